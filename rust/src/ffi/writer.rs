//! Writer functions: write chunks, then close (or abort).

use opendal::{Buffer, Error, ErrorKind, Result};

use crate::call::{self, run};
use crate::handles::Handle;
use crate::objects;
use crate::output::Payload;
use crate::staged::StagedWriter;

fn closed() -> Error {
    Error::new(
        ErrorKind::ConfigInvalid,
        "the writer is already closed or aborted",
    )
}

fn open(w: &mut Option<StagedWriter>) -> Result<&mut StagedWriter> {
    w.as_mut().ok_or_else(closed)
}

/// Appends `data` to the writer (copied once before this returns).
///
/// # Safety
/// `data` must point at `data_len` readable bytes; `out` at `out_cap` writable bytes.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn opendal_writer_write(
    writer: Handle,
    data: *const u8,
    data_len: f64,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        let w = objects::writer(writer)?;
        // SAFETY: forwarded from the caller.
        let data = unsafe { call::bytes(data, call::length(data_len, "data length")?, "data")? };
        let buf = Buffer::from(data.to_vec());
        Ok(async move {
            open(&mut *w.lock().await)?
                .write(buf)
                .await
                .map(|_| Payload::Empty)
        })
    })
}

/// Finishes the write and makes the data visible. Record: metadata.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_writer_close(
    writer: Handle,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        let w = objects::writer(writer)?;
        Ok(async move {
            let mut guard = w.lock().await;
            let meta = open(&mut guard)?.close().await;
            *guard = None;
            meta.map(Payload::Metadata)
        })
    })
}

/// Abandons the write: nothing becomes visible where the service supports it.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_writer_abort(
    writer: Handle,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        let w = objects::writer(writer)?;
        Ok(async move {
            let mut guard = w.lock().await;
            let r = open(&mut guard)?.abort().await;
            *guard = None;
            r.map(|_| Payload::Empty)
        })
    })
}
