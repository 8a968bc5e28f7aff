//! The bodies of the copier exports (skeletons in `ffi/exports.rs`, docs
//! in `abi.rs`): a copy driven one step at a time, so the caller can show
//! progress, then committed or abandoned.

use opendal::{Error, ErrorKind, Result};

use crate::handles::Handle;
use crate::objects;
use crate::operations::Work;
use crate::output::Payload;

fn finished() -> Error {
    Error::new(
        ErrorKind::ConfigInvalid,
        "the copier is already closed or aborted",
    )
}

pub(crate) fn next(copier: Handle) -> Result<impl Work + use<>> {
    let c = objects::copier(copier)?;
    Ok(async move {
        let mut guard = c.lock().await;
        let copier = guard.as_mut().ok_or_else(finished)?;
        let step = copier.next().await?;
        Ok(Payload::Number(step.map_or(-1.0, |n| n as f64)))
    })
}

pub(crate) fn close(copier: Handle) -> Result<impl Work + use<>> {
    let c = objects::copier(copier)?;
    Ok(async move {
        let mut guard = c.lock().await;
        let result = guard.as_mut().ok_or_else(finished)?.close().await;
        if result.is_ok() {
            *guard = None;
        }
        result.map(Payload::Metadata)
    })
}

pub(crate) fn abort(copier: Handle) -> Result<impl Work + use<>> {
    let c = objects::copier(copier)?;
    Ok(async move {
        let mut guard = c.lock().await;
        let Some(mut copier) = guard.take() else {
            return Ok(Payload::Empty);
        };
        copier.abort().await.map(|_| Payload::Empty)
    })
}
