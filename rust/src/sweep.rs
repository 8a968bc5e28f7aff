//! `removeAll` where OpenDAL's recursive delete leaves directories behind.
//!
//! OpenDAL 0.59.5's ftp lister never returns the listed directory itself, so
//! a recursive listing (which OpenDAL's recursive delete walks) misses every
//! empty directory, and its deleter takes the server's refusal to remove a
//! non-empty directory for success: after a recursive delete the files are
//! gone but the directories stay. Its one-level listing does return child
//! directories, so here the rest is removed by walking that, deepest first.

use opendal::{ErrorKind, Operator, Result};

/// Services whose recursive listing misses empty directories.
const MISSES_EMPTY_DIRS: &[&str] = &["ftp"];

/// Removes what a recursive delete of `path` left: the directory `path`
/// names (with or without its trailing `/`) and everything still under it.
pub async fn leftovers(op: &Operator, path: &str) -> Result<()> {
    if !MISSES_EMPTY_DIRS.contains(&op.info().scheme()) {
        return Ok(());
    }
    let dir = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    remove_dir(op, dir).await
}

/// Removes `dir`'s entries one level at a time, then `dir`. A directory that
/// is not there (or a path that named a file) is nothing to do.
async fn remove_dir(op: &Operator, dir: String) -> Result<()> {
    let entries = match op.list(&dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry.path();
        if path == dir {
            continue;
        }
        if entry.metadata().is_dir() {
            Box::pin(remove_dir(op, path.to_string())).await?;
        } else {
            op.delete(path).await?;
        }
    }
    op.delete(&dir).await
}
