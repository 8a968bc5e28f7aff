//! The bodies of the deleter exports (skeletons in `ffi/exports.rs`, docs
//! in `abi.rs`): queue paths (sent in batches where the service deletes in
//! batches), then close to send the rest.

use opendal::{Error, ErrorKind, Result};

use crate::handles::Handle;
use crate::input::{Input, Tag};
use crate::objects;
use crate::operations::Work;
use crate::output::Payload;

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

pub(crate) fn delete(deleter: Handle, input: Input<'_>) -> Result<impl Work + use<>> {
    let d = objects::deleter(deleter)?;
    let (head, entries) = input.split_at_each(Tag::Path);
    head.no_options("deleteMany")?;
    let entries = entries
        .iter()
        .map(|entry| {
            let opts = entry.delete_entry_options(&d.op)?;
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
}

pub(crate) fn close(deleter: Handle) -> Result<impl Work + use<>> {
    let d = objects::deleter(deleter)?;
    Ok(async move {
        let mut guard = d.deleter.lock().await;
        let r = guard.as_mut().ok_or_else(closed)?.close().await;
        *guard = None;
        r.map(|_| Payload::Empty).map_err(naming_failed_path)
    })
}
