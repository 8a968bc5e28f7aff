//! Corrects the kind and permanence of OS errors before any layer sees them.
//!
//! OpenDAL turns every `std::io::Error` it has no kind for into `Unexpected`
//! marked temporary (`new_std_io_error`), so reading a directory (EISDIR),
//! deleting a non-empty one (ENOTEMPTY) or a path through a file (ENOTDIR)
//! looked retryable: a `RetryLayer` spent its whole backoff (about 7 s by
//! default) on a failure that can never succeed. [`ClassifyLayer`] sits
//! right above the service, below every layer a user adds, and rebuilds such
//! errors with the right kind and no temporary mark.

use std::io;
use std::sync::Arc;

use opendal::raw::*;
use opendal::*;

/// The kind an OS error really is, and `None` when OpenDAL's temporary
/// `Unexpected` stands (the failure may pass: a timeout, a reset connection).
fn permanent_kind(io: io::ErrorKind) -> Option<ErrorKind> {
    use io::ErrorKind as Io;
    Some(match io {
        Io::IsADirectory => ErrorKind::IsADirectory,
        Io::NotADirectory => ErrorKind::NotADirectory,
        // Conflicts with the entry's current state, as S3's BucketNotEmpty.
        Io::DirectoryNotEmpty => ErrorKind::Conflict,
        Io::ReadOnlyFilesystem => ErrorKind::PermissionDenied,
        Io::InvalidInput
        | Io::InvalidFilename
        | Io::StorageFull
        | Io::QuotaExceeded
        | Io::FileTooLarge
        | Io::CrossesDevices
        | Io::TooManyLinks
        | Io::NotSeekable
        | Io::ExecutableFileBusy
        | Io::ArgumentListTooLong => ErrorKind::Unexpected,
        _ => return None,
    })
}

/// A source that cannot pass, found in `err`'s chain: the kind it really
/// is, and a copy of it to keep as the rebuilt error's source (errors are
/// not `Clone`; a client's error is kept as its text).
fn permanent(err: &Error) -> Option<(ErrorKind, io::Error)> {
    let mut next = std::error::Error::source(err);
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            let kind = permanent_kind(io.kind())?;
            let copy = match io.raw_os_error() {
                Some(code) => io::Error::from_raw_os_error(code),
                None => io::Error::new(io.kind(), io.to_string()),
            };
            return Some((kind, copy));
        }
        #[cfg(any(feature = "services-redis", feature = "services-sftp"))]
        if clients::cannot_pass(e) {
            return Some((ErrorKind::Unexpected, io::Error::other(chain(e))));
        }
        next = e.source();
    }
    None
}

/// `e` and its sources, as text.
#[cfg(any(feature = "services-redis", feature = "services-sftp"))]
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        text.push_str(": ");
        text.push_str(&s.to_string());
        next = s.source();
    }
    text
}

/// `err` with its real kind and permanence, when a source in its chain is a
/// failure that cannot pass but OpenDAL marked it a temporary `Unexpected`;
/// otherwise `err` unchanged.
pub fn classify(err: Error, operation: Operation, scheme: &str, path: &str) -> Error {
    if err.kind() != ErrorKind::Unexpected || !err.is_temporary() {
        return err;
    }
    let Some((kind, source)) = permanent(&err) else {
        return err;
    };
    // `Error` offers no way to change a kind: rebuild it.
    Error::new(kind, err.message())
        .with_operation(operation)
        .with_context("service", scheme)
        .with_context("path", path)
        .set_source(source)
}

/// Service clients whose every error OpenDAL marks temporary, and what their
/// own errors say about retrying.
#[cfg(any(feature = "services-redis", feature = "services-sftp"))]
mod clients {
    #[cfg(feature = "services-sftp")]
    use openssh_sftp_client::error::{Error as SftpError, SftpErrorKind};
    #[cfg(feature = "services-redis")]
    use redis::{RedisError, RetryMethod};

    /// Whether `e` is a client error that a retry cannot fix: one Redis
    /// itself would not retry (a database index out of range, a wrong
    /// type, ...), or an SFTP server's generic failure (reading a
    /// directory, removing a non-empty one), as opposed to a lost connection.
    pub fn cannot_pass(e: &(dyn std::error::Error + 'static)) -> bool {
        #[cfg(feature = "services-redis")]
        if let Some(r) = e.downcast_ref::<RedisError>() {
            return matches!(r.retry_method(), RetryMethod::NoRetry);
        }
        #[cfg(feature = "services-sftp")]
        if let Some(SftpError::SftpError(kind, _)) = e.downcast_ref::<SftpError>() {
            return matches!(kind, SftpErrorKind::Failure | SftpErrorKind::BadMessage);
        }
        false
    }
}

/// `op` with [`ClassifyLayer`] right above its service, below every layer a
/// user adds (a `RetryLayer` must see the real kinds). The memory service
/// has no OS or client errors to correct, and skips its cost.
pub fn below_every_layer(op: Operator) -> Operator {
    if op.info().scheme() == "memory" {
        op
    } else {
        op.layer(ClassifyLayer)
    }
}

/// The layer that corrects errors, right above a service.
#[derive(Debug, Clone, Copy)]
pub struct ClassifyLayer;

impl Layer for ClassifyLayer {
    fn apply_service(&self, inner: Servicer) -> Servicer {
        let scheme = inner.info().scheme();
        Arc::new(ClassifyService { inner, scheme })
    }
}

/// A service whose errors pass through [`classify`].
#[derive(Debug)]
pub struct ClassifyService {
    inner: Servicer,
    scheme: &'static str,
}

impl ClassifyService {
    fn wrap<T>(&self, inner: T, path: &str) -> Classified<T> {
        Classified {
            inner,
            scheme: self.scheme,
            path: path.to_string(),
        }
    }
}

impl Service for ClassifyService {
    type Reader = Classified<oio::Reader>;
    type Writer = Classified<oio::Writer>;
    type Lister = Classified<oio::Lister>;
    type Deleter = Classified<oio::Deleter>;
    type Copier = Classified<oio::Copier>;
    type Composer = Classified<oio::Composer>;

    fn info(&self) -> ServiceInfo {
        self.inner.info()
    }

    fn capability(&self) -> Capability {
        self.inner.capability()
    }

    async fn create_dir(
        &self,
        ctx: &OperationContext,
        path: &str,
        args: OpCreateDir,
    ) -> Result<RpCreateDir> {
        let r = self.inner.create_dir(ctx, path, args).await;
        r.map_err(|e| classify(e, Operation::CreateDir, self.scheme, path))
    }

    async fn stat(&self, ctx: &OperationContext, path: &str, args: OpStat) -> Result<RpStat> {
        let r = self.inner.stat(ctx, path, args).await;
        r.map_err(|e| classify(e, Operation::Stat, self.scheme, path))
    }

    fn read(&self, ctx: &OperationContext, path: &str, args: OpRead) -> Result<Self::Reader> {
        self.inner
            .read(ctx, path, args)
            .map(|r| self.wrap(r, path))
            .map_err(|e| classify(e, Operation::Read, self.scheme, path))
    }

    fn write(&self, ctx: &OperationContext, path: &str, args: OpWrite) -> Result<Self::Writer> {
        self.inner
            .write(ctx, path, args)
            .map(|w| self.wrap(w, path))
            .map_err(|e| classify(e, Operation::Write, self.scheme, path))
    }

    fn delete(&self, ctx: &OperationContext) -> Result<Self::Deleter> {
        self.inner
            .delete(ctx)
            .map(|d| self.wrap(d, ""))
            .map_err(|e| classify(e, Operation::Delete, self.scheme, ""))
    }

    fn list(&self, ctx: &OperationContext, path: &str, args: OpList) -> Result<Self::Lister> {
        self.inner
            .list(ctx, path, args)
            .map(|l| self.wrap(l, path))
            .map_err(|e| classify(e, Operation::List, self.scheme, path))
    }

    fn copy(
        &self,
        ctx: &OperationContext,
        from: &str,
        to: &str,
        args: OpCopy,
    ) -> Result<Self::Copier> {
        self.inner
            .copy(ctx, from, to, args)
            .map(|c| self.wrap(c, from))
            .map_err(|e| classify(e, Operation::Copy, self.scheme, from))
    }

    fn compose(&self, ctx: &OperationContext, to: &str, args: OpCompose) -> Result<Self::Composer> {
        self.inner
            .compose(ctx, to, args)
            .map(|c| self.wrap(c, to))
            .map_err(|e| classify(e, Operation::Compose, self.scheme, to))
    }

    async fn rename(
        &self,
        ctx: &OperationContext,
        from: &str,
        to: &str,
        args: OpRename,
    ) -> Result<RpRename> {
        let r = self.inner.rename(ctx, from, to, args).await;
        r.map_err(|e| classify(e, Operation::Rename, self.scheme, from))
    }

    async fn restore(
        &self,
        ctx: &OperationContext,
        path: &str,
        args: OpRestore,
    ) -> Result<RpRestore> {
        let r = self.inner.restore(ctx, path, args).await;
        r.map_err(|e| classify(e, Operation::Restore, self.scheme, path))
    }

    async fn presign(
        &self,
        ctx: &OperationContext,
        path: &str,
        args: OpPresign,
    ) -> Result<RpPresign> {
        self.inner.presign(ctx, path, args).await
    }
}

/// A reader, writer, lister, deleter, copier or composer whose errors pass
/// through [`classify`].
pub struct Classified<T> {
    inner: T,
    scheme: &'static str,
    path: String,
}

impl<T> Classified<T> {
    fn fix(&self, operation: Operation) -> impl FnOnce(Error) -> Error + '_ {
        move |e| classify(e, operation, self.scheme, &self.path)
    }
}

impl<T: oio::Read> oio::Read for Classified<T> {
    async fn open(&self, range: BytesRange) -> Result<(RpRead, Box<dyn oio::ReadStreamDyn>)> {
        let (rp, stream) = self
            .inner
            .open(range)
            .await
            .map_err(self.fix(Operation::Read))?;
        let stream = Classified {
            inner: stream,
            scheme: self.scheme,
            path: self.path.clone(),
        };
        Ok((rp, Box::new(stream) as Box<dyn oio::ReadStreamDyn>))
    }

    async fn read(&self, range: BytesRange) -> Result<(RpRead, Buffer)> {
        self.inner
            .read(range)
            .await
            .map_err(self.fix(Operation::Read))
    }
}

impl<T: oio::ReadStream> oio::ReadStream for Classified<T> {
    async fn read(&mut self) -> Result<Buffer> {
        let r = self.inner.read().await;
        r.map_err(self.fix(Operation::Read))
    }
}

impl<T: oio::Write> oio::Write for Classified<T> {
    async fn write(&mut self, bs: Buffer) -> Result<()> {
        let r = self.inner.write(bs).await;
        r.map_err(self.fix(Operation::Write))
    }

    async fn copy_from(&mut self, path: &str, args: OpRead, range: BytesRange) -> Result<()> {
        let r = self.inner.copy_from(path, args, range).await;
        r.map_err(self.fix(Operation::Write))
    }

    async fn close(&mut self) -> Result<Metadata> {
        let r = self.inner.close().await;
        r.map_err(self.fix(Operation::Write))
    }

    async fn abort(&mut self) -> Result<()> {
        let r = self.inner.abort().await;
        r.map_err(self.fix(Operation::Write))
    }
}

impl<T: oio::List> oio::List for Classified<T> {
    async fn next(&mut self) -> Result<Option<oio::Entry>> {
        let r = self.inner.next().await;
        r.map_err(self.fix(Operation::List))
    }
}

impl<T: oio::Delete> oio::Delete for Classified<T> {
    async fn delete(&mut self, path: &str, args: OpDelete) -> Result<()> {
        // Remembered for an error that only shows at `close`.
        path.clone_into(&mut self.path);
        let r = self.inner.delete(path, args).await;
        r.map_err(self.fix(Operation::Delete))
    }

    async fn close(&mut self) -> Result<()> {
        let r = self.inner.close().await;
        r.map_err(self.fix(Operation::Delete))
    }
}

impl<T: oio::Copy> oio::Copy for Classified<T> {
    async fn next(&mut self) -> Result<Option<usize>> {
        let r = self.inner.next().await;
        r.map_err(self.fix(Operation::Copy))
    }

    async fn close(&mut self) -> Result<Metadata> {
        let r = self.inner.close().await;
        r.map_err(self.fix(Operation::Copy))
    }

    async fn abort(&mut self) -> Result<()> {
        let r = self.inner.abort().await;
        r.map_err(self.fix(Operation::Copy))
    }
}

impl<T: oio::Compose> oio::Compose for Classified<T> {
    async fn compose(&mut self, path: &str, args: OpRead) -> Result<()> {
        let r = self.inner.compose(path, args).await;
        r.map_err(self.fix(Operation::Compose))
    }

    async fn close(&mut self) -> Result<Metadata> {
        let r = self.inner.close().await;
        r.map_err(self.fix(Operation::Compose))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temporary_os_error(code: i32) -> Error {
        Error::new(ErrorKind::Unexpected, "os failure")
            .with_operation(Operation::Read)
            .set_source(io::Error::from_raw_os_error(code))
            .set_temporary()
    }

    #[test]
    fn permanent_os_errors_get_their_kind() {
        for (code, kind) in [
            (21, ErrorKind::IsADirectory),     // EISDIR
            (20, ErrorKind::NotADirectory),    // ENOTDIR
            (39, ErrorKind::Conflict),         // ENOTEMPTY
            (30, ErrorKind::PermissionDenied), // EROFS
            (28, ErrorKind::Unexpected),       // ENOSPC
        ] {
            let e = classify(temporary_os_error(code), Operation::Read, "fs", "a");
            assert_eq!(e.kind(), kind, "os error {code}");
            assert!(!e.is_temporary(), "os error {code}");
            let source = std::error::Error::source(&e).expect("kept");
            assert!(source.to_string().contains(&format!("os error {code}")));
        }
    }

    #[test]
    fn passing_failures_stay_temporary() {
        for code in [110, 104, 111, 4] {
            // ETIMEDOUT, ECONNRESET, ECONNREFUSED, EINTR
            let e = classify(temporary_os_error(code), Operation::Read, "fs", "a");
            assert!(e.is_temporary(), "os error {code}");
            assert_eq!(e.kind(), ErrorKind::Unexpected);
        }
    }

    #[cfg(feature = "services-redis")]
    #[test]
    fn redis_errors_redis_would_not_retry_are_permanent() {
        use redis::{ErrorKind as Redis, RedisError, ServerErrorKind};
        let as_opendal = |e: RedisError| {
            Error::new(ErrorKind::Unexpected, e.category())
                .set_source(e)
                .set_temporary()
        };
        let db = RedisError::from((
            Redis::Server(ServerErrorKind::ResponseError),
            "Redis server refused to switch database",
        ));
        let e = classify(as_opendal(db), Operation::Stat, "redis", "x");
        assert!(!e.is_temporary());
        assert!(e.to_string().contains("refused to switch database"), "{e}");
        let refused = RedisError::from(io::Error::from(io::ErrorKind::ConnectionRefused));
        let e = classify(as_opendal(refused), Operation::Stat, "redis", "x");
        assert!(e.is_temporary(), "a refused connection may pass");
    }

    #[test]
    fn other_errors_are_untouched() {
        let e =
            Error::new(ErrorKind::NotFound, "gone").set_source(io::Error::from_raw_os_error(21));
        assert_eq!(
            classify(e, Operation::Stat, "fs", "a").kind(),
            ErrorKind::NotFound
        );
        let e = Error::new(ErrorKind::Unexpected, "no source").set_temporary();
        assert!(classify(e, Operation::Stat, "fs", "a").is_temporary());
    }
}
