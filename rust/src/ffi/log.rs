//! Collecting `LoggingLayer` lines.

use crate::call::{Out, deliver_error, guard};
use crate::logs;
use crate::output::Record;
use crate::status::{self, BAD_OUT};

/// How many log lines wait to be collected (cheap: one atomic load).
#[unsafe(no_mangle)]
pub extern "C" fn opendal_log_pending() -> u32 {
    logs::pending() as u32
}

/// Moves as many waiting lines as fit into `out`. Record: `u32` count,
/// `f64` lines dropped since the last call (the buffer keeps 10 000), then
/// per line `u32` sink, `u8` level (0 debug .. 3 error), text.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_log_drain(out: *mut u8, out_cap: u32) -> i32 {
    let Some(out) = Out::new(out, out_cap) else {
        return BAD_OUT;
    };
    guard(|| {
        let mut rec = Record::default();
        logs::drain(&mut rec, out_cap as usize);
        out.write_all(&rec.0);
        Ok(status::OK)
    })
    .unwrap_or_else(|e| deliver_error(&e, &out))
}
