//! The bodies of the layer exports (skeletons in `ffi/exports.rs`, docs in
//! `abi.rs`): build a layer once, apply it to any operator.

use std::sync::Arc;

use opendal::{Operator, Result};

use crate::handles::Handle;
use crate::input::Input;
use crate::layers::Layer;
use crate::objects::{self, Object};
use crate::output::Payload;

/// A `LoggingLayer` keeps its lines in the caller's `queue`.
pub(crate) fn new(kind: u32, input: Input<'_>, queue: Handle, _ticket: u32) -> Result<Payload> {
    let layer = Layer::build(kind, &input, &objects::queue(queue)?)?;
    Ok(Payload::Object(Object::Layer(Arc::new(layer))))
}

pub(crate) fn apply(op: Handle, layer: Handle) -> Result<Payload> {
    let op = objects::operator(op)?;
    let layer = objects::layer(layer)?;
    Ok(Payload::Object(Object::Operator(Arc::new(layer.apply(Operator::clone(&op))))))
}
