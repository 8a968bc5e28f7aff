//! The body of the reader export (skeleton in `ffi/exports.rs`, doc in
//! `abi.rs`): random-access range reads.

use opendal::{BytesRange, Result};

use crate::call;
use crate::handles::Handle;
use crate::input::invalid;
use crate::objects;
use crate::operations::Work;
use crate::output::Payload;

pub(crate) fn read(reader: Handle, offset: f64, length: f64) -> Result<impl Work + use<>> {
    let r = objects::reader(reader)?;
    // Exactly -1 means "to the end" (length) or "the last length bytes"
    // (offset); any other negative or NaN is refused.
    let length = if length == -1.0 {
        None
    } else {
        Some(call::length(length, "length")? as u64)
    };
    let range = if offset == -1.0 {
        let suffix = length
            .ok_or_else(|| invalid("a suffix read needs its length (the last bytes to read)"))?;
        r.check_suffix()?;
        BytesRange::suffix(suffix)
    } else {
        BytesRange::new(call::length(offset, "offset")? as u64, length)
    };
    Ok(async move { r.read(range).await.map(Payload::Bytes) })
}
