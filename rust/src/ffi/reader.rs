//! Reader functions: random-access range reads.

use crate::call::{self, run};
use crate::handles::Handle;
use crate::objects;
use crate::output::Payload;
use opendal::BytesRange;

/// Reads `length` bytes at `offset` (`length` -1 reads to the end; `offset`
/// -1 reads the last `length` bytes, where the capability has
/// `read_with_suffix`). A range past the end returns what exists. Record:
/// `f64` length,
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
        // Exactly -1 means "to the end" (length) or "the last length bytes"
        // (offset); any other negative or NaN is refused.
        let length = if length == -1.0 {
            None
        } else {
            Some(call::length(length, "length")? as u64)
        };
        let range = if offset == -1.0 {
            let suffix = length.ok_or_else(|| {
                opendal::Error::new(
                    opendal::ErrorKind::ConfigInvalid,
                    "a suffix read needs its length (the last bytes to read)",
                )
            })?;
            r.check_suffix()?;
            BytesRange::suffix(suffix)
        } else {
            BytesRange::new(call::length(offset, "offset")? as u64, length)
        };
        Ok(async move { r.read(range).await.map(Payload::Bytes) })
    })
}
