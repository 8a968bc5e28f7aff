//! Writers that commit only on `close`: until then nothing is visible at the
//! target, and `abort` (or a writer dropped unclosed) leaves nothing behind.
//!
//! Object stores stage an upload until it completes, and OpenDAL aborts it.
//! OpenDAL's fs (unless `atomic_write_dir` is set), sftp and hdfs-native
//! services write the target in place and cannot abort, so there a writer
//! here writes a staged file beside the target, `.<name>.<random>.opendal-partial`,
//! renamed over the target on `close` and deleted on `abort`. Beside the
//! target, so the rename never crosses a file system (sftp renames with the
//! atomic POSIX rename where the server offers it, as OpenSSH does). With
//! `atomic_write_dir` set OpenDAL stages once more inside it; the result is
//! the same, for one extra rename.
//!
//! An append writer writes in place (the existing bytes stay where they
//! are). On fs its `abort` cuts the file back to the length it had at open,
//! or deletes it when it did not exist; sftp cannot take an append back.

use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;

use opendal::options::WriteOptions;
use opendal::raw::normalize_path;
use opendal::{Buffer, Error, ErrorKind, Metadata, Operator, Result, Writer};

use crate::appended;

/// Marks a staged file, so a person (or a sweep) can tell it from data.
pub const STAGED_SUFFIX: &str = ".opendal-partial";

/// Services whose writers write in place and cannot abort.
const IN_PLACE: &[&str] = &["fs", "sftp", "hdfs-native"];

/// How a writer's data becomes visible, or goes away.
enum Commit {
    /// The service commits on close and discards on abort by itself.
    Native,
    /// fs, sftp, hdfs-native: `staged` is renamed over `target` on close, deleted on abort.
    Rename {
        op: Operator,
        staged: String,
        target: String,
        if_not_exists: bool,
    },
    /// fs append: in place; abort cuts `file` back to `length` (deletes
    /// `path` when it had none: it did not exist).
    Append {
        op: Operator,
        path: String,
        file: PathBuf,
        length: Option<u64>,
    },
}

/// A writer that commits only on `close`.
pub struct StagedWriter {
    writer: Writer,
    commit: Commit,
    /// The operator and path of an append, whose close `appended` settles.
    append: Option<(Operator, String)>,
}

impl StagedWriter {
    /// Opens a writer on `path`, staged beside it where the service writes in
    /// place (see the module notes).
    pub async fn open(op: &Operator, path: &str, opts: WriteOptions) -> Result<StagedWriter> {
        let path = normalize_path(path);
        let append = opts.append.then(|| (op.clone(), path.clone()));
        // A directory path is refused by OpenDAL itself, with its own message.
        let scheme = op.info().scheme();
        let native = !IN_PLACE.contains(&scheme) || (opts.append && scheme != "fs");
        if native || path.ends_with('/') {
            let writer = op.writer_options(&path, opts).await?;
            return Ok(StagedWriter {
                writer,
                commit: Commit::Native,
                append,
            });
        }
        if opts.append {
            // The writer validates the options; fs opens the file on the first write.
            let writer = op.writer_options(&path, opts).await?;
            let length = match op.stat(&path).await {
                Ok(meta) => Some(meta.content_length()),
                Err(e) if e.kind() == ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            };
            let file = PathBuf::from(op.info().root()).join(&path);
            return Ok(StagedWriter {
                writer,
                commit: Commit::Append {
                    op: op.clone(),
                    path,
                    file,
                    length,
                },
                append,
            });
        }
        let if_not_exists = opts.if_not_exists;
        let staged = staged_path(&path);
        let writer = op
            .writer_options(
                &staged,
                WriteOptions {
                    if_not_exists: false,
                    ..opts
                },
            )
            .await?;
        if if_not_exists && op.exists(&path).await? {
            return Err(already_exists());
        }
        Ok(StagedWriter {
            writer,
            commit: Commit::Rename {
                op: op.clone(),
                staged,
                target: path,
                if_not_exists,
            },
            append,
        })
    }

    /// Appends `buf`.
    pub async fn write(&mut self, buf: Buffer) -> Result<()> {
        self.writer.write(buf).await
    }

    /// Makes everything written visible at the target. A close that fails
    /// commits nothing: what it staged is discarded.
    pub async fn close(&mut self) -> Result<Metadata> {
        let closed = self.commit().await;
        if closed.is_err() {
            // The close's error is the news; the abort only tidies up.
            let _ = self.abort().await;
        }
        closed
    }

    async fn commit(&mut self) -> Result<Metadata> {
        let closed = self.writer.close().await;
        let meta = match &self.append {
            Some((op, path)) => appended::settle(op, path, closed).await?,
            None => closed?,
        };
        if let Commit::Rename {
            op,
            staged,
            target,
            if_not_exists,
        } = &self.commit
        {
            // As OpenDAL's own staging checks: between two steps, not atomic.
            if *if_not_exists && op.exists(target).await? {
                return Err(already_exists());
            }
            op.rename(staged, target).await?;
        }
        Ok(meta)
    }

    /// Discards everything written.
    pub async fn abort(&mut self) -> Result<()> {
        match &self.commit {
            Commit::Native => self.writer.abort().await,
            Commit::Rename { op, staged, .. } => {
                // fs cannot abort without `atomic_write_dir` (and then it
                // removes its own temporary file): the staged file is ours.
                let _ = self.writer.abort().await;
                op.delete(staged).await
            }
            Commit::Append {
                op,
                path,
                file,
                length,
            } => {
                // Close, not abort: OpenDAL's fs writes through tokio's
                // `File`, whose last write may still be landing; closing
                // flushes it, so the cut below cannot be undone after it.
                let _ = self.writer.close().await;
                match length {
                    None => op.delete(path).await,
                    Some(length) => cut_back(file.clone(), *length).await,
                }
            }
        }
    }
}

/// `.<name>.<random>.opendal-partial` in the target's directory. The name is
/// shortened to keep the whole within the usual 255-byte limit.
fn staged_path(path: &str) -> String {
    let (dir, name) = match path.rsplit_once('/') {
        Some((dir, name)) => (&path[..dir.len() + 1], name),
        None => ("", path),
    };
    let mut end = name.len().min(200);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("{dir}.{}.{random:016x}{STAGED_SUFFIX}", &name[..end])
}

fn already_exists() -> Error {
    Error::new(
        ErrorKind::ConditionNotMatch,
        "the target already exists (ifNotExists)",
    )
}

/// Truncates `file` to `length` if it grew past it.
async fn cut_back(file: PathBuf, length: u64) -> Result<()> {
    let cut = tokio::task::spawn_blocking(move || {
        let f = std::fs::OpenOptions::new().write(true).open(&file)?;
        if f.metadata()?.len() > length {
            f.set_len(length)?;
        }
        Ok::<_, std::io::Error>(())
    });
    match cut.await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Error::new(
            ErrorKind::Unexpected,
            "could not cut an aborted append back to its length",
        )
        .set_source(e)),
        Err(e) => Err(Error::new(ErrorKind::Unexpected, "the cut-back task failed").set_source(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_sit_beside_their_target() {
        let top = staged_path("a.txt");
        assert!(top.starts_with(".a.txt.") && top.ends_with(STAGED_SUFFIX), "{top}");
        let nested = staged_path("dir/sub/a.txt");
        assert!(nested.starts_with("dir/sub/.a.txt."), "{nested}");
        assert_ne!(staged_path("a"), staged_path("a"), "each is unique");
        let long = staged_path(&"é".repeat(127));
        assert!(long.len() <= 255, "{}", long.len());
    }
}
