//! Refuses to copy or rename an object onto itself.
//!
//! OpenDAL compares the two paths as written, so `f` and `./f` pass its
//! check, and then most services destroy the object: fs and sftp truncate
//! the target (which is the source) before copying, and `copyTo` within one
//! service streams a file into itself. Here the two paths are compared with
//! `.`, `..` and repeated `/` resolved, and on fs by the file they reach
//! (which also catches symbolic and hard links). A match is `IsSameFile`,
//! before anything is touched.

use std::sync::Arc;

use opendal::{Error, ErrorKind, Operator, Result};

/// `path` as a list of segments, with `.`, `..`, empty segments, surrounding
/// whitespace and a trailing `/` resolved away (`..` above the start stays).
fn segments(path: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for segment in path.trim().split('/') {
        match segment {
            "" | "." => {}
            ".." if out.last().is_some_and(|s| *s != "..") => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out
}

/// Whether two operators are views of one service instance (the same
/// operator, or layers over it).
fn same_service(a: &Operator, b: &Operator) -> bool {
    std::ptr::addr_eq(Arc::as_ptr(a.base_service()), Arc::as_ptr(b.base_service()))
}

/// The file `path` reaches below an fs operator's root.
fn fs_path(op: &Operator, path: &str) -> std::path::PathBuf {
    let root = op.info().root();
    std::path::Path::new(&*root).join(path.trim().trim_start_matches('/'))
}

/// Whether two existing files are one (same device and inode, through any
/// link); `false` when either cannot be looked up.
#[cfg(unix)]
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether two existing files are one (through symbolic links).
#[cfg(not(unix))]
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn is_same_file(operation: &'static str, from: &str, to: &str) -> Error {
    Error::new(
        ErrorKind::IsSameFile,
        format!("{from:?} and {to:?} name the same file"),
    )
    .with_operation(operation)
}

/// `IsSameFile` when `from` in `src` and `to` in `dst` name one object.
/// `by_file` also compares fs files by identity: for copies, which would
/// truncate the source; a rename onto the same file is harmless (and is how
/// a case-insensitive filesystem changes a name's case).
pub async fn refuse_same(
    operation: &'static str,
    (src, from): (&Operator, &str),
    (dst, to): (&Operator, &str),
    by_file: bool,
) -> Result<()> {
    if same_service(src, dst) && segments(from) == segments(to) {
        return Err(is_same_file(operation, from, to));
    }
    let on_fs = |op: &Operator| op.info().scheme() == "fs";
    if by_file && on_fs(src) && on_fs(dst) {
        let (a, b) = (fs_path(src, from), fs_path(dst, to));
        let same = tokio::task::spawn_blocking(move || same_file(&a, &b))
            .await
            .unwrap_or(false);
        if same {
            return Err(is_same_file(operation, from, to));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compare_with_dot_segments_resolved() {
        for same in [
            "d/f", "./d/f", "d/./f", "d//f", "/d/f", "d/f/.", " d/f", "d/f/", "d/../d/f", "x/../d/f",
        ] {
            assert_eq!(segments(same), ["d", "f"], "{same:?}");
        }
        assert_eq!(segments("../f"), ["..", "f"]);
        assert_eq!(segments("../../f"), ["..", "..", "f"]);
        assert_ne!(segments("d/f"), segments("d/g"));
        assert_ne!(segments("d/f"), segments("f"));
    }

    fn block_on<T>(f: impl Future<Output = T>) -> T {
        crate::runtime::runtime().block_on(f)
    }

    #[test]
    fn refuses_one_object_under_two_names() {
        let op = Operator::via_iter("memory", []).unwrap();
        let layered = op.clone().layer(opendal::layers::RetryLayer::new());
        let err = block_on(refuse_same("copy", (&op, "d/f"), (&layered, "./d/f"), true))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::IsSameFile);
        block_on(refuse_same("copy", (&op, "d/f"), (&op, "d/g"), true)).unwrap();
        // Another memory operator is another store.
        let other = Operator::via_iter("memory", []).unwrap();
        block_on(refuse_same("copy", (&op, "d/f"), (&other, "d/f"), true)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn fs_files_compare_by_identity() {
        let dir = std::env::temp_dir().join(format!("same-object-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("f"), b"x").unwrap();
        std::fs::hard_link(dir.join("f"), dir.join("hard")).unwrap();
        std::os::unix::fs::symlink(dir.join("f"), dir.join("soft")).unwrap();
        std::fs::write(dir.join("sub/g"), b"y").unwrap();
        let fs = |root: &std::path::Path| {
            let root = root.to_str().unwrap().to_string();
            Operator::via_iter("fs", [("root".to_string(), root)]).unwrap()
        };
        let (a, b) = (fs(&dir), fs(&dir.join("sub")));
        for to in ["hard", "soft"] {
            let err = block_on(refuse_same("copy", (&a, "f"), (&a, to), true)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::IsSameFile, "{to}");
            // A rename onto the same file loses nothing: not refused.
            block_on(refuse_same("rename", (&a, "f"), (&a, to), false)).unwrap();
        }
        // Two operators whose roots overlap reach one file by two paths.
        let err = block_on(refuse_same("copyTo", (&a, "sub/g"), (&b, "g"), true)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::IsSameFile);
        block_on(refuse_same("copy", (&a, "f"), (&a, "missing"), true)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
