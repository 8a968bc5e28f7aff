//! Appends that OpenDAL commits and then reports as failed.
//!
//! OpenDAL 0.59.5's ftp service appends, then returns metadata without the
//! object's length, which OpenDAL's own writer refuses after the fact:
//! "append result does not contain the final content length". The bytes are
//! at the target, yet the caller sees `Unexpected`, and a caller who retries
//! appends them twice. OpenDAL raises that error only once the service's
//! close has succeeded, so here it is taken for what it is, a committed
//! append, and the metadata is looked up instead.

use opendal::{Error, ErrorKind, Metadata, Operator, Result};

/// The message of OpenDAL's `CompleteWriter::close` for that case.
const NO_LENGTH: &str = "append result does not contain the final content length";

/// Whether `err` says an append was committed but returned no length.
fn committed_without_length(err: &Error) -> bool {
    err.kind() == ErrorKind::Unexpected && err.message() == NO_LENGTH
}

/// The result of closing an append to `path`: a committed append's metadata
/// (looked up when the service returned none), or the close's own error.
pub async fn settle(op: &Operator, path: &str, closed: Result<Metadata>) -> Result<Metadata> {
    match closed {
        Err(e) if committed_without_length(&e) => op.stat(path).await,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::runtime;

    #[test]
    fn only_the_no_length_error_counts_as_committed() {
        let op = Operator::new(opendal::services::Memory::default()).unwrap();
        runtime().block_on(async {
            op.write("log", "abcdef").await.unwrap();
            let no_length = Error::new(ErrorKind::Unexpected, NO_LENGTH);
            let meta = settle(&op, "log", Err(no_length)).await.unwrap();
            assert_eq!(meta.content_length(), 6);

            let other = Error::new(ErrorKind::Unexpected, "connection reset");
            let err = settle(&op, "log", Err(other)).await.unwrap_err();
            assert_eq!(err.message(), "connection reset");

            let wrong_kind = Error::new(ErrorKind::PermissionDenied, NO_LENGTH);
            let err = settle(&op, "log", Err(wrong_kind)).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::PermissionDenied);
        });
    }
}
