//! The bodies of the writer exports (skeletons in `ffi/exports.rs`, docs in
//! `abi.rs`): write chunks, then close (or abort).

use opendal::{Buffer, Error, ErrorKind, Result};

use crate::handles::Handle;
use crate::objects;
use crate::operations::Work;
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

pub(crate) fn write(writer: Handle, data: &[u8]) -> Result<impl Work + use<>> {
    let w = objects::writer(writer)?;
    let buf = Buffer::from(data.to_vec());
    Ok(async move {
        open(&mut *w.lock().await)?
            .write(buf)
            .await
            .map(|_| Payload::Empty)
    })
}

pub(crate) fn close(writer: Handle) -> Result<impl Work + use<>> {
    let w = objects::writer(writer)?;
    Ok(async move {
        let mut guard = w.lock().await;
        let meta = open(&mut guard)?.close().await;
        *guard = None;
        meta.map(Payload::Metadata)
    })
}

pub(crate) fn abort(writer: Handle) -> Result<impl Work + use<>> {
    let w = objects::writer(writer)?;
    Ok(async move {
        let mut guard = w.lock().await;
        let r = open(&mut guard)?.abort().await;
        *guard = None;
        r.map(|_| Payload::Empty)
    })
}
