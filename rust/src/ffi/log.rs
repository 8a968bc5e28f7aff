//! Collecting `LoggingLayer` lines.

use crate::call::{Out, deliver_error, guard};
use crate::handles::Handle;
use crate::objects;
use crate::output::Record;
use crate::status::{self, BAD_OUT};

/// How many log records wait in `queue` (cheap: one lookup, one atomic
/// load); 0 for an invalid queue.
#[unsafe(no_mangle)]
pub extern "C" fn opendal_log_pending(queue: Handle) -> u32 {
    guard(|| Ok(objects::queue(queue)?.logs().pending() as u32)).unwrap_or(0)
}

/// Moves as many records waiting in `queue` as fit into `out`: the lines
/// of the `LoggingLayer`s made through it. Record: `u32` count, `f64` lines
/// dropped since the last call (the queue keeps 10 000), then per record
/// `u32` sink, `u8` level (0 debug .. 3 error; 255 retires the sink: its
/// layer is gone and no line for it follows), text.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_log_drain(queue: Handle, out: *mut u8, out_cap: u32) -> i32 {
    let Some(out) = Out::new(out, out_cap) else {
        return BAD_OUT;
    };
    guard(|| {
        let q = objects::queue(queue)?;
        let mut rec = Record::default();
        q.logs().drain(&mut rec, out_cap as usize);
        out.write_all(&rec.0);
        Ok(status::OK)
    })
    .unwrap_or_else(|e| deliver_error(&e, &out))
}
