//! Range reads that run past the end return what exists (and nothing when
//! they start past it), on every service. Services disagree on how they fail
//! such a read (416, a short body, "too little data"), so after any failure
//! of a partial read the object's length is looked up once and the range is
//! clamped and retried; the common, in-range read costs nothing extra.
//!
//! On fs, a read to the end is first bounded by the file's length: OpenDAL
//! reads a range of unknown length there in zero-filled 2 MiB buffers
//! whatever the file's size, and the bytes returned keep their buffer alive
//! (2 000 reads of 64 KiB at once took 2-3.5 GiB, and kept it).

use opendal::options::{ReadOptions, ReaderOptions, StatOptions};
use opendal::{Buffer, BytesRange, ErrorKind, Operator, Reader, Result};
use tokio::sync::OnceCell;

use crate::objects::SharedOperator;
use crate::sequential::Sequential;

/// Where the object's length comes from when a range needs clamping.
struct Source<'a> {
    op: &'a Operator,
    path: &'a str,
    version: Option<String>,
    /// The caller's `contentLengthHint`, trusted as OpenDAL trusts it.
    length_hint: Option<u64>,
}

impl Source<'_> {
    /// `range` ending at the end of the file when its length is needed up
    /// front (see the module notes): `None` when it starts past the end.
    /// A failed lookup is the read's failure (the read would fail alike, and
    /// layers that count attempts see one); a directory leaves the range as
    /// it is, for the read to report.
    async fn bounded(&self, range: BytesRange) -> Result<Option<BytesRange>> {
        if range.size().is_some() || self.op.info().scheme() != "fs" {
            return Ok(Some(range));
        }
        if let Some(total) = self.length_hint {
            return Ok(clamp(range, total));
        }
        let opts = StatOptions {
            version: self.version.clone(),
            ..Default::default()
        };
        let meta = self.op.stat_options(self.path, opts).await?;
        Ok(if meta.is_file() {
            clamp(range, meta.content_length())
        } else {
            Some(range)
        })
    }

    async fn length(&self) -> Result<u64> {
        let opts = StatOptions {
            version: self.version.clone(),
            ..Default::default()
        };
        Ok(self
            .op
            .stat_options(self.path, opts)
            .await?
            .content_length())
    }
}

/// The part of `range` inside an object of `total` bytes: `None` when it
/// starts past the end, or the range itself when it already fits.
fn clamp(range: BytesRange, total: u64) -> Option<BytesRange> {
    let offset = range.offset();
    if offset >= total {
        return None;
    }
    let rest = total - offset;
    Some(BytesRange::new(
        offset,
        Some(range.size().map_or(rest, |s| s.min(rest))),
    ))
}

/// Whether `err` may be how a service fails a read past the end (a 416, a
/// short body, "too little data"; WebHDFS answers 403, which OpenDAL maps to
/// `PermissionDenied`). Others, such as reading a directory
/// (`IsADirectory`), are never retried: clamped to the length of a
/// directory they would read as empty.
fn may_be_past_end(err: &opendal::Error, op: &Operator) -> bool {
    match err.kind() {
        ErrorKind::RangeNotSatisfied | ErrorKind::Unexpected => true,
        ErrorKind::PermissionDenied => op.info().scheme() == "webhdfs",
        _ => false,
    }
}

/// Retries a failed partial read within the object, or returns `err`.
async fn retry_clamped<F, Fut>(
    range: BytesRange,
    total: u64,
    err: opendal::Error,
    read: F,
) -> Result<Buffer>
where
    F: FnOnce(BytesRange) -> Fut,
    Fut: Future<Output = Result<Buffer>>,
{
    match clamp(range, total) {
        None => Ok(Buffer::new()),
        Some(inside) if inside != range => read(inside).await,
        Some(_) => Err(err),
    }
}

/// `op.read_options`, returning what exists of a range that runs past the end.
pub async fn read(op: &Operator, path: &str, mut opts: ReadOptions) -> Result<Buffer> {
    let source = Source {
        op,
        path,
        version: opts.version.clone(),
        length_hint: opts.content_length_hint,
    };
    let Some(range) = source.bounded(opts.range).await? else {
        return Ok(Buffer::new());
    };
    opts.range = range;
    match op.read_options(path, opts.clone()).await {
        Err(err) if !range.is_full() && !range.is_suffix() && may_be_past_end(&err, op) => {
            let Ok(total) = source.length().await else {
                return Err(err);
            };
            retry_clamped(range, total, err, |inside| {
                op.read_options(
                    path,
                    ReadOptions {
                        range: inside,
                        ..opts
                    },
                )
            })
            .await
        }
        other => other,
    }
}

/// A reader that remembers how to look up its object's length.
pub struct RangeReader {
    reader: Reader,
    op: SharedOperator,
    path: String,
    version: Option<String>,
    length_hint: Option<u64>,
    length: OnceCell<u64>,
    /// Open bodies for sequential reads. `None` on fs, which reads a range
    /// of unknown length in 2 MiB buffers (see the module notes), and under
    /// a concurrent-limit layer (`limited.rs`).
    sequential: Option<Sequential>,
}

impl RangeReader {
    /// A reader of `path` (at `version`), whose `contentLengthHint` is trusted.
    pub fn new(reader: Reader, op: SharedOperator, path: String, opts: &ReaderOptions) -> Self {
        // Not under a concurrent limit: an idle body would hold a permit.
        let keeps_bodies = op.info().scheme() != "fs" && !crate::limited::is_limited(&op);
        let sequential = keeps_bodies.then(Sequential::default);
        Self {
            sequential,
            reader,
            op,
            path,
            version: opts.version.clone(),
            length_hint: opts.content_length_hint,
            length: OnceCell::new(),
        }
    }

    /// Refuses a suffix read where the service cannot do one.
    pub fn check_suffix(&self) -> Result<()> {
        if self.op.info().capability().read_with_suffix {
            return Ok(());
        }
        let flags = ["read_with_suffix"];
        Err(crate::unsupported::unsupported(&self.op, "reader", "suffix", &flags))
    }

    /// Reads `range`, returning what exists of it past the end.
    pub async fn read(&self, range: BytesRange) -> Result<Buffer> {
        let source = Source {
            op: &self.op,
            path: &self.path,
            version: self.version.clone(),
            length_hint: self.length_hint,
        };
        // Looked up at each read to the end: the file may have grown.
        let Some(range) = source.bounded(range).await? else {
            return Ok(Buffer::new());
        };
        // A read of known size, from a body when it continues one.
        let sized = match (range.size(), &self.sequential) {
            (Some(size), Some(seq)) if size > 0 && !range.is_suffix() => Some((size, seq)),
            _ => None,
        };
        if let Some((size, seq)) = sized
            && let Some(buf) = seq.read(&self.reader, range.offset(), size).await
        {
            return Ok(buf);
        }
        match self.reader.read(range).await {
            Ok(buf) => {
                if let Some((size, seq)) = sized
                    && buf.len() as u64 == size
                {
                    seq.ended(range.offset() + size);
                }
                Ok(buf)
            }
            Err(err) if !range.is_full() && !range.is_suffix() && may_be_past_end(&err, &self.op) => {
                let Ok(total) = self
                    .length
                    .get_or_try_init(|| source.length())
                    .await
                    .copied()
                else {
                    return Err(err);
                };
                retry_clamped(range, total, err, |inside| self.reader.read(inside)).await
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_ranges_to_the_object() {
        assert_eq!(
            clamp(BytesRange::new(0, Some(10)), 100),
            Some(BytesRange::new(0, Some(10)))
        );
        assert_eq!(
            clamp(BytesRange::new(95, Some(10)), 100),
            Some(BytesRange::new(95, Some(5)))
        );
        assert_eq!(
            clamp(BytesRange::new(95, None), 100),
            Some(BytesRange::new(95, Some(5)))
        );
        assert_eq!(clamp(BytesRange::new(100, Some(1)), 100), None);
        assert_eq!(clamp(BytesRange::new(500, None), 100), None);
    }
}
