//! What each operation does: read its paths and options from the decoded
//! input, refuse what the service cannot do, and return the future that
//! calls OpenDAL. The exports that run these are generated from `abi.rs`
//! (`ffi/operations.rs`); the three with other signatures (presign, write,
//! copyTo) are in `ffi/operator.rs` and use the helpers here.

use std::future::Future;

use futures::StreamExt;
use opendal::options::{CopyOptions, DeleteOptions, ReadOptions, StatOptions, WriteOptions};
use opendal::{Buffer, Operator, Result};

use crate::appended;
use crate::input::{Input, Tag, invalid};
use crate::objects::{Object, SharedOperator};
use crate::output::Payload;
use crate::ranges::{self, RangeReader};
use crate::same_object::refuse_same;
use crate::staged::StagedWriter;
use crate::sweep;
use crate::unsupported::refuse_operation;

/// The work an operation hands to `call::run`: it owns everything it needs.
pub trait Work: Future<Output = Result<Payload>> + Send + 'static {}
impl<F: Future<Output = Result<Payload>> + Send + 'static> Work for F {}

pub fn stat(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let path = input.path()?.to_string();
    let opts = input.stat_options(&op)?;
    Ok(async move { op.stat_options(&path, opts).await.map(Payload::Metadata) })
}

pub fn exists(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    input.no_options("exists")?;
    let path = input.path()?.to_string();
    Ok(async move { op.exists(&path).await.map(Payload::Bool) })
}

pub fn read(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let path = input.entry_path()?.to_string();
    let opts = input.read_options(&op)?;
    Ok(async move { ranges::read(&op, &path, opts).await.map(Payload::Bytes) })
}

pub fn create_dir(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    input.no_options("createDir")?;
    let path = input.path()?.to_string();
    Ok(async move { op.create_dir(&path).await.map(|_| Payload::Empty) })
}

pub fn delete(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let path = input.entry_path()?.to_string();
    let opts = input.delete_options(&op)?;
    Ok(async move { op.delete_options(&path, opts).await.map(|_| Payload::Empty) })
}

pub fn remove_all(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    input.no_options("removeAll")?;
    let path = input.entry_path()?.to_string();
    let opts = DeleteOptions {
        recursive: true,
        ..Default::default()
    };
    Ok(async move {
        op.delete_options(&path, opts).await?;
        sweep::leftovers(&op, &path).await?;
        Ok(Payload::Empty)
    })
}

/// A copy's source, target and options, read before its future.
struct CopyArgs {
    from: String,
    to: String,
    opts: CopyOptions,
}

impl CopyArgs {
    fn read(op: &Operator, input: &Input<'_>) -> Result<CopyArgs> {
        Ok(CopyArgs {
            from: input.entry_path()?.to_string(),
            to: input.target()?.to_string(),
            opts: input.copy_options(op)?,
        })
    }

    /// `IsSameFile` when both paths name one file, unless a version is
    /// copied: copying a version onto its own path restores it.
    async fn refuse_same(&self, op: &Operator) -> Result<()> {
        if self.opts.source_version.is_some() {
            return Ok(());
        }
        refuse_same("copy", (op, &self.from), (op, &self.to), true).await
    }
}

pub fn copy(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let args = CopyArgs::read(&op, &input)?;
    Ok(async move {
        args.refuse_same(&op).await?;
        op.copy_options(&args.from, &args.to, args.opts)
            .await
            .map(|_| Payload::Empty)
    })
}

pub fn copier(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let args = CopyArgs::read(&op, &input)?;
    Ok(async move {
        args.refuse_same(&op).await?;
        let copier = op.copier_options(&args.from, &args.to, args.opts).await?;
        Ok(Payload::Object(Object::copier(copier)))
    })
}

pub fn rename(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let from = input.entry_path()?.to_string();
    let to = input.target()?.to_string();
    let opts = input.rename_options(&op)?;
    Ok(async move {
        refuse_same("rename", (&op, &from), (&op, &to), false).await?;
        op.rename_options(&from, &to, opts)
            .await
            .map(|_| Payload::Empty)
    })
}

pub fn reader(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let path = input.entry_path()?.to_string();
    let opts = input.reader_options(&op)?;
    Ok(async move {
        let reader = op.reader_options(&path, opts.clone()).await?;
        let reader = RangeReader::new(reader, op, path, &opts);
        Ok(Payload::Object(Object::reader(reader)))
    })
}

pub fn writer(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let path = input.entry_path()?.to_string();
    let opts = streaming_write_options(&op, input.write_options(&op)?);
    Ok(async move {
        let writer = StagedWriter::open(&op, &path, opts).await?;
        Ok(Payload::Object(Object::writer(writer)))
    })
}

pub fn lister(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let path = input.path()?.to_string();
    let opts = input.list_options(&op)?;
    Ok(async move {
        let lister = op.lister_options(&path, opts).await?;
        Ok(Payload::Object(Object::lister(lister)))
    })
}

pub fn deleter(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    input.no_options("deleter")?;
    Ok(async move {
        let deleter = op.deleter().await?;
        Ok(Payload::Object(Object::deleter(op, deleter)))
    })
}

pub fn restore(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let path = input.entry_path()?.to_string();
    // Bad input is ConfigInvalid before the capability is looked at.
    let if_not_exists = input.find(Tag::IfNotExists).map(|f| f.bool()).transpose()?;
    if if_not_exists == Some(true) && input.find(Tag::Version).is_none() {
        return Err(invalid("the restore option ifNotExists needs a version"));
    }
    refuse_operation(&op, "restore", op.info().capability().restore, "restore")?;
    let opts = input.restore_options(&op)?;
    Ok(async move {
        op.restore_options(&path, opts)
            .await
            .map(|_| Payload::Empty)
    })
}

pub fn compose(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let (head, entries) = input.split_at_each(Tag::Path);
    let to = head.target()?.to_string();
    // Bad input is ConfigInvalid before the capability is looked at.
    if entries.is_empty() {
        return Err(invalid("compose needs at least one source"));
    }
    let opts = head.compose_options(&op)?;
    let sources = entries
        .iter()
        .map(|e| Ok((e.entry_path()?.to_string(), e.compose_source_options(&op)?)))
        .collect::<Result<Vec<_>>>()?;
    refuse_operation(&op, "compose", op.info().capability().compose, "compose")?;
    Ok(async move {
        op.compose_options(sources, &to, opts)
            .await
            .map(Payload::Metadata)
    })
}

pub fn composer(op: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let to = input.target()?.to_string();
    let opts = input.compose_options(&op)?;
    refuse_operation(&op, "composer", op.info().capability().compose, "compose")?;
    Ok(async move {
        let composer = op.composer_options(&to, opts).await?;
        Ok(Payload::Object(Object::composer(op, composer)))
    })
}

/// Writes `data` to `Path`, copying it out of the caller's memory once the
/// input is known to be good.
pub fn write(op: SharedOperator, input: Input<'_>, data: &[u8]) -> Result<impl Work + use<>> {
    let path = input.entry_path()?.to_string();
    let opts = input.write_options(&op)?;
    let data = Buffer::from(data.to_vec());
    let append = opts.append;
    Ok(async move {
        let written = op.write_options(&path, data, opts).await;
        let written = if append {
            appended::settle(&op, &path, written).await
        } else {
            written
        };
        written.map(Payload::Metadata)
    })
}

/// Streams `Path` of `src` into `Target` of `dst`; nothing is committed
/// unless the whole copy succeeds.
pub fn copy_to(src: SharedOperator, dst: SharedOperator, input: Input<'_>) -> Result<impl Work + use<>> {
    let from = input.entry_path()?.to_string();
    let to = input.target()?.to_string();
    let opts = streaming_write_options(&dst, input.write_options(&dst)?);
    Ok(async move {
        refuse_same("copyTo", (&src, &from), (&dst, &to), true).await?;
        let mut chunks = src.reader(&from).await?.into_stream(..).await?;
        let mut writer = StagedWriter::open(&dst, &to, opts).await?;
        while let Some(chunk) = chunks.next().await {
            let step = match chunk {
                Ok(buf) => writer.write(buf).await,
                Err(e) => Err(e),
            };
            if let Err(e) = step {
                // Best effort: leave nothing half-written behind.
                let _ = writer.abort().await;
                return Err(e);
            }
        }
        writer.close().await.map(Payload::Metadata)
    })
}

/// Presigns a `kind` request (a `PresignKind`) for `Path`, with the
/// options of that operation's presign set in `abi.rs`.
pub fn presign(op: SharedOperator, input: Input<'_>, kind: u32) -> Result<impl Work + use<>> {
    use crate::codes::PresignKind;
    let path = input.entry_path()?.to_string();
    let kind = [
        PresignKind::Read,
        PresignKind::Write,
        PresignKind::Stat,
        PresignKind::Delete,
    ]
    .into_iter()
    .find(|k| *k as u32 == kind)
    .ok_or_else(|| {
        invalid(format!("presign kind must be 0 to 3, got {kind}"))
    })?;
    /// The options of one kind, decoded and checked before the future.
    enum Signed {
        Read(ReadOptions),
        Write(WriteOptions),
        Stat(StatOptions),
        Delete(DeleteOptions),
    }
    let signed = match kind {
        PresignKind::Read => Signed::Read(input.presign_read_options(&op)?),
        PresignKind::Write => Signed::Write(input.presign_write_options(&op)?),
        PresignKind::Stat => Signed::Stat(input.presign_stat_options(&op)?),
        PresignKind::Delete => Signed::Delete(input.presign_delete_options(&op)?),
    };
    let expire = input.expire()?;
    Ok(async move {
        let req = match signed {
            Signed::Read(o) => op.presign_read_options(&path, expire, o).await,
            Signed::Write(o) => op.presign_write_options(&path, expire, o).await,
            Signed::Stat(o) => op.presign_stat_options(&path, expire, o).await,
            Signed::Delete(o) => op.presign_delete_options(&path, expire, o).await,
        };
        req.map(Payload::Presigned)
    })
}

/// Services whose writer takes exactly one `write` (OpenDAL's one-shot
/// writer) refuse a second chunk. Their writers here keep the chunks (without
/// copying them) and send them as one body at close: the only way such a
/// service can take a stream. Key-value services and memory buffer by
/// themselves, so they are left alone (buffering here would also hand a
/// throttle layer one huge write at close). These are the services of
/// OpenDAL 0.59.5 whose writer is a `OneShotWriter` (azfile's unless it
/// appends).
const ONE_SHOT_WRITERS: &[&str] = &[
    "azfile",
    "cloudflare-kv",
    "dbfs",
    "dropbox",
    "gdrive",
    "github",
    "ipmfs",
    "koofr",
    "lakefs",
    "onedrive",
    "pcloud",
    "seafile",
    "vercel-artifacts",
    "webdav",
    "yandex-disk",
];

fn streaming_write_options(op: &Operator, mut opts: WriteOptions) -> WriteOptions {
    if ONE_SHOT_WRITERS.contains(&op.info().scheme()) && opts.chunk.is_none() {
        opts.chunk = Some(usize::MAX / 2);
    }
    opts
}
