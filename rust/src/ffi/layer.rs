//! Layer functions: build a layer once, apply it to any operator.

use std::sync::Arc;

use crate::call::{self, run_now};
use crate::handles::Handle;
use crate::input::Input;
use crate::layers::Layer;
use crate::objects::{self, Object};
use crate::output::Payload;

/// Builds a layer of `kind` (a `LayerKind`) from its options in `input`.
/// Invalid options are `ConfigInvalid`, naming the option. Record: `double` handle.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_layer_new(
    kind: u32,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run_now(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { call::bytes(input, input_len as usize, "input")? };
        let layer = Layer::build(kind, &Input::decode(bytes)?, &objects::queue(queue)?)?;
        Ok(Payload::Object(Object::Layer(Arc::new(layer))))
    })
}

/// A new operator: `op` wrapped in `layer`. Both stay usable; applying one
/// layer to many operators shares its state. Record: `double` handle.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_layer(
    op: Handle,
    layer: Handle,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run_now(queue, ticket, out, out_cap, || {
        let op = objects::operator(op)?;
        let layer = objects::layer(layer)?;
        Ok(Payload::Object(Object::Operator(layer.apply(op))))
    })
}
