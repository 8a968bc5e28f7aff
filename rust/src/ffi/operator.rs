//! The bodies of the operator exports that are not uniform operations:
//! construction, info, check, presign, write, read into the caller's buffer
//! (queued, or blocking without the queue) and copy between operators.
//! Their `extern "C"` skeletons are generated (`ffi/exports.rs`); each doc
//! is in `abi.rs`'s `EXPORTS`.

use std::sync::Arc;

use opendal::options::ReadOptions;
use opendal::{ErrorKind, Result};

use crate::classify;
use crate::handles::Handle;
use crate::input::{Input, Tag, below_root};
use crate::objects::{self, Object};
use crate::operations::{self, Work};
use crate::output::Payload;
use crate::runtime::runtime;
use crate::{call, ranges};
use crate::services;

pub(crate) fn new(input: Input<'_>) -> Result<Payload> {
    let op = classify::below_every_layer(match input.find(Tag::Uri) {
        Some(uri) => {
            let expected = input.find(Tag::Scheme).map(|f| f.str()).transpose()?;
            services::from_uri(uri.str()?, expected, input.config()?)?
        }
        None => {
            let scheme = input.scheme()?;
            services::open(scheme, input.config()?)?
        }
    });
    Ok(Payload::Object(Object::Operator(Arc::new(op))))
}

/// A read whose bytes `call::run_into` copies into the caller's buffer.
pub(crate) fn read_into(op: Handle, input: Input<'_>) -> Result<impl Work + use<>> {
    operations::read(objects::operator(op)?, input)
}

/// `readIntoSync` without options: `path` from its start into `dst`, on the
/// caller's thread, with what `read_into` does around it (the range clamped
/// to what exists) and nothing else: no input to decode, no queue, no record.
pub(crate) fn read_into_blocking(op: Handle, path: &str, dst: &mut [u8]) -> Result<usize> {
    let op = objects::operator(op)?;
    let path = below_root(path, "path")?;
    let opts = ReadOptions {
        range: (0..dst.len() as u64).into(),
        ..Default::default()
    };
    // Pinned on this stack, as `call::run` pins a blocking call's future.
    let read = std::pin::pin!(ranges::read(&op, path, opts));
    Ok(call::fill(dst, runtime().block_on(read)?))
}

pub(crate) fn info(op: Handle) -> Result<Payload> {
    Ok(Payload::Info(objects::operator(op)?.info()))
}

pub(crate) fn check(op: Handle) -> Result<impl Work + use<>> {
    let op = objects::operator(op)?;
    Ok(async move {
        if op.info().capability().list {
            return op.check().await.map(|_| Payload::Empty);
        }
        match op.stat(".opendal-deno-check").await {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
            _ => Ok(Payload::Empty),
        }
    })
}

pub(crate) fn presign(op: Handle, kind: u32, input: Input<'_>) -> Result<impl Work + use<>> {
    operations::presign(objects::operator(op)?, input, kind)
}

pub(crate) fn write(op: Handle, input: Input<'_>, data: &[u8]) -> Result<impl Work + use<>> {
    operations::write(objects::operator(op)?, input, data)
}

pub(crate) fn copy_to(op: Handle, target: Handle, input: Input<'_>) -> Result<impl Work + use<>> {
    operations::copy_to(objects::operator(op)?, objects::operator(target)?, input)
}
