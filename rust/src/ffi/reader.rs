//! Reader functions: random-access range reads.

use crate::call::{self, run};
use crate::handles::Handle;
use crate::objects;
use crate::output::Payload;
use opendal::BytesRange;

/// Reads `length` bytes at `offset` (`length` -1 reads to the end). A range
/// past the end returns what exists. Record: `f64` length,
/// `u32` inline flag; when 1 the bytes follow in `out`, when 0 they are
/// held under the ticket for `opendal_queue_take`.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_reader_read(
    reader: Handle,
    offset: f64,
    length: f64,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
        let r = objects::reader(reader)?;
        let offset = call::length(offset, "offset")? as u64;
        // Exactly -1 means "to the end"; any other negative or NaN is refused.
        let length = if length == -1.0 {
            None
        } else {
            Some(call::length(length, "length")? as u64)
        };
        Ok(async move {
            r.read(BytesRange::new(offset, length))
                .await
                .map(Payload::Bytes)
        })
    })
}
