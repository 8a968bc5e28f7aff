//! The bodies of the composer exports (skeletons in `ffi/exports.rs`, docs
//! in `abi.rs`): sources handed over in order, then one commit.

use opendal::{Error, ErrorKind, Result};

use crate::handles::Handle;
use crate::input::{Input, Tag};
use crate::objects;
use crate::operations::Work;
use crate::output::Payload;

fn closed() -> Error {
    Error::new(ErrorKind::ConfigInvalid, "the composer is already closed")
}

pub(crate) fn compose(composer: Handle, input: Input<'_>) -> Result<impl Work + use<>> {
    let c = objects::composer(composer)?;
    let (head, entries) = input.split_at_each(Tag::Path);
    head.no_options("composer")?;
    let sources = entries
        .iter()
        .map(|e| Ok((e.entry_path()?.to_string(), e.compose_source_options(&c.op)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(async move {
        let mut guard = c.composer.lock().await;
        let composer = guard.as_mut().ok_or_else(closed)?;
        for (path, opts) in sources {
            composer.compose_options(&path, opts).await?;
        }
        Ok(Payload::Empty)
    })
}

pub(crate) fn close(composer: Handle) -> Result<impl Work + use<>> {
    let c = objects::composer(composer)?;
    Ok(async move {
        let mut guard = c.composer.lock().await;
        let result = guard.as_mut().ok_or_else(closed)?.close().await;
        *guard = None;
        result.map(Payload::Metadata)
    })
}
