//! Deleter functions: queue paths (sent in batches where the service deletes
//! in batches), then close to send the rest.

use opendal::{Error, ErrorKind, Result};

use crate::call::{self, run};
use crate::handles::Handle;
use crate::input::{Input, Tag};
use crate::objects;
use crate::output::Payload;
use crate::unsupported;

fn closed() -> Error {
    Error::new(ErrorKind::ConfigInvalid, "the deleter is already closed")
}

/// OpenDAL reports the first path of a batch the service refused in the
/// error's context (`context: { path: <path>, version: <version>, ...`),
/// which it offers no getter for; this puts that path in the message, so
/// the caller learns which path failed.
fn naming_failed_path(err: Error) -> Error {
    let text = err.to_string();
    let Some(rest) = text.split_once("context: { path: ").map(|(_, r)| r) else {
        return err;
    };
    let Some((path, _)) = rest.split_once(", version: ") else {
        return err;
    };
    let cause = crate::report::report(&err).message;
    Error::new(err.kind(), format!("{cause} (failed path {path:?})"))
        .with_temporary(err.is_temporary())
        .with_context("cause", text)
}

/// Queues the entries of `input` for deletion: each a `Path` field (below
/// the root) followed by its options (`Version`). Every entry is checked
/// before any is queued, so a bad one queues nothing. Paths are sent when a
/// batch fills (or one by one where the service has no batch delete), so a
/// failure here is a service's. Record: empty.
///
/// # Safety
/// `input` must point at `input_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn opendal_deleter_delete(
    deleter: Handle,
    input: *const u8,
    input_len: u32,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        let d = objects::deleter(deleter)?;
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { call::bytes(input, input_len as usize, "input")? };
        let input = Input::decode(bytes)?;
        let (head, entries) = input.split_at_each(Tag::Path);
        head.no_options("deleteMany")?;
        let entries = entries
            .iter()
            .map(|entry| {
                let opts = entry.delete_entry_options()?;
                unsupported::delete(&d.op, &opts)?;
                Ok((entry.entry_path()?.to_string(), opts))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(async move {
            let mut guard = d.deleter.lock().await;
            let deleter = guard.as_mut().ok_or_else(closed)?;
            for entry in entries {
                deleter.delete(entry).await.map_err(naming_failed_path)?;
            }
            Ok(Payload::Empty)
        })
    })
}

/// Sends every path still queued and closes the deleter. Record: empty.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_deleter_close(
    deleter: Handle,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        let d = objects::deleter(deleter)?;
        Ok(async move {
            let mut guard = d.deleter.lock().await;
            let r = guard.as_mut().ok_or_else(closed)?.close().await;
            *guard = None;
            r.map(|_| Payload::Empty).map_err(naming_failed_path)
        })
    })
}
