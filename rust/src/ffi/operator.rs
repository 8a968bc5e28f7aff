//! Operator functions: construction, info, and every operation.
//!
//! Each takes `input` (tagged fields: paths and options, see `input.rs`) and
//! ends with the shared `queue, ticket, out, out_cap` tail (see `call.rs`).

use opendal::{Buffer, ErrorKind, Operator, Result};

use crate::call::{self, run, run_now};
use crate::classify;
use crate::handles::Handle;
use crate::input::{Input, Tag};
use crate::objects::{self, Object};
use crate::operations::{self, Work};
use crate::output::Payload;
use crate::services;

// The uniform operations, generated from `abi.rs`: named here too, where
// the other operator exports are.
pub use super::operations::*;

/// Decodes `input` and looks up `op`, then lets `build` make the future.
///
/// # Safety
/// `input` must point at `input_len` readable bytes.
unsafe fn with_operator<F>(
    op: Handle,
    input: *const u8,
    input_len: u32,
    build: impl FnOnce(Operator, Input<'_>) -> Result<F>,
) -> Result<F> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { call::bytes(input, input_len as usize, "input")? };
    let input = Input::decode(bytes)?;
    build(objects::operator(op)?, input)
}

/// Creates an operator from a `Scheme` field and `Config` pairs, or from a
/// `Uri` field (OpenDAL's URI parsing; `Config` pairs on top, and a `Scheme`
/// field, when present, the only scheme accepted). The record
/// holds the new handle (`double`). An unknown scheme is `Unsupported`, and its
/// message lists the schemes this build has; an unknown config key is
/// `ConfigInvalid` naming the closest valid key. Keys are OpenDAL's
/// (`access_key_id`) or their camelCase (`accessKeyId`).
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_new(
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
        let input = Input::decode(bytes)?;
        let op = classify::below_every_layer(match input.find(Tag::Uri) {
            Some(uri) => {
                let expected = input.find(Tag::Scheme).map(|f| f.str()).transpose()?;
                services::from_uri(uri.str()?, expected, input.config()?)?
            }
            None => {
                let scheme = input.scheme()?;
                Operator::via_iter(scheme, services::check(scheme, input.config()?)?)?
            }
        });
        Ok(Payload::Object(Object::Operator(op)))
    })
}

/// The operator's scheme, root, name and full capability.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_info(
    op: Handle,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run_now(queue, ticket, out, out_cap, || {
        Ok(Payload::Info(objects::operator(op)?.info()))
    })
}

/// Checks that the service answers (for example: the bucket exists). OpenDAL
/// checks by listing; services that cannot list (key-value stores, http) are
/// checked by a stat of a name that does not exist, which must come back as
/// `NotFound` from the service itself.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_operator_check(
    op: Handle,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
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
    })
}

/// Runs an operation on `op` with the decoded `input` (the shared tail):
/// what every generated export in `ffi/operations.rs` calls.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn operation<F>(
    op: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
    build: impl FnOnce(Operator, Input<'_>) -> Result<F>,
) -> i32
where
    F: Work,
{
    run(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        unsafe { with_operator(op, input, input_len, build) }
    })
}

/// Presigns a request for `Path`, valid for `Expire` seconds. `kind` is a
/// `PresignKind`. Record: presigned request (method, URL, header pairs).
/// Services that cannot presign answer `Unsupported`.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn opendal_operator_presign(
    op: Handle,
    kind: u32,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        unsafe {
            with_operator(op, input, input_len, |op, input| {
                operations::presign(op, input, kind)
            })
        }
    })
}

/// Writes `data` to `Path` (the write options). The bytes are copied once
/// before this returns, so the caller may reuse `data` at once. Record:
/// metadata (what the service returned).
///
/// # Safety
/// `input`/`data` must point at `input_len`/`data_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn opendal_operator_write(
    op: Handle,
    input: *const u8,
    input_len: u32,
    data: *const u8,
    data_len: f64,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        unsafe {
            with_operator(op, input, input_len, |op, input| {
                operations::write(op, input, &|| {
                    let data = call::bytes(data, call::length(data_len, "data length")?, "data")?;
                    Ok(Buffer::from(data.to_vec()))
                })
            })
        }
    })
}

/// Streams `Path` of operator `op` into `Target` of operator `target` (any
/// service to any service) without the bytes leaving the library: the write
/// options apply to the target. Nothing is committed unless the whole copy
/// succeeds. Record: metadata (the target's).
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn opendal_operator_copy_to(
    op: Handle,
    target: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        // SAFETY: forwarded from the caller.
        unsafe {
            with_operator(op, input, input_len, |src, input| {
                operations::copy_to(src, objects::operator(target)?, input)
            })
        }
    })
}
