//! The body of the reader export (skeleton in `ffi/exports.rs`, doc in
//! `abi.rs`): random-access range reads.

use opendal::{BytesRange, Result};

use crate::call;
use crate::handles::Handle;
use crate::objects;
use crate::operations::Work;
use crate::output::Payload;

pub(crate) fn read(reader: Handle, offset: f64, length: f64) -> Result<impl Work + use<>> {
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
}
