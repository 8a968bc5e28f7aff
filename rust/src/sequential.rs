//! Sequential reads of one reader continue one open body instead of making
//! a request each. A stream (`reader.readable`) reads its object in chunks;
//! on an HTTP service each chunk was a ranged GET of its own (4 096 for a GiB
//! in 256 KiB chunks), and a key-value service fetched the whole value again
//! for each chunk. From the second read that starts where a whole read
//! ended, the rest of the object is read as one body, kept open between
//! reads until the reader is dropped.
//!
//! A read elsewhere leaves open bodies alone, so a few streams of one reader
//! each keep theirs (up to `MAX_OPEN`). A body that fails is dropped and the
//! read is made as a ranged read of its own: a broken connection costs a
//! request, not an error. Readers under a concurrent-limit layer keep no
//! body: an idle one would hold a permit (`limited.rs`).

use std::collections::VecDeque;
use std::sync::Mutex;

use futures::StreamExt;
use opendal::{Buffer, BufferStream, Reader, Result};

/// Open bodies (and remembered ends) per reader: enough for a few streams
/// of one reader, few enough that idle bodies hold little.
const MAX_OPEN: usize = 4;

/// An open body, positioned at `at`.
struct Body {
    at: u64,
    stream: BufferStream,
    /// What the last piece of the stream held past the last read.
    rest: Buffer,
}

impl Body {
    /// Up to `size` bytes from the body: fewer only at its end.
    async fn read(&mut self, size: u64) -> Result<Buffer> {
        let mut parts = Vec::new();
        let mut got = 0;
        while got < size {
            if self.rest.is_empty() {
                match self.stream.next().await {
                    Some(piece) => self.rest = piece?,
                    None => break,
                }
                continue;
            }
            let take = (size - got).min(self.rest.len() as u64) as usize;
            parts.extend(self.rest.split_to(take));
            got += take as u64;
        }
        self.at += got;
        Ok(parts.into_iter().collect())
    }
}

/// The open bodies of one reader, and where its recent whole reads ended.
#[derive(Default)]
pub struct Sequential {
    bodies: Mutex<VecDeque<Body>>,
    ends: Mutex<VecDeque<u64>>,
}

impl Sequential {
    /// Reads `size` bytes at `offset` from an open body, or from a new one
    /// when a whole read ended at `offset`. `None` when neither applies or
    /// the body failed: the caller makes a ranged read instead.
    pub async fn read(&self, reader: &Reader, offset: u64, size: u64) -> Option<Buffer> {
        let mut body = match self.take(offset) {
            Some(body) => body,
            None if self.continues(offset) => Body {
                at: offset,
                stream: reader.clone().into_stream(offset..).await.ok()?,
                rest: Buffer::new(),
            },
            None => return None,
        };
        let buf = body.read(size).await.ok()?;
        // A body read to its end has nothing more to give.
        if buf.len() as u64 == size {
            self.put(body);
        }
        Some(buf)
    }

    /// Remembers where a whole ranged read ended, for the next read there
    /// to open a body.
    pub fn ended(&self, end: u64) {
        let mut ends = lock(&self.ends);
        if !ends.contains(&end) {
            if ends.len() == MAX_OPEN {
                ends.pop_front();
            }
            ends.push_back(end);
        }
    }

    fn take(&self, offset: u64) -> Option<Body> {
        let mut bodies = lock(&self.bodies);
        let at = bodies.iter().position(|b| b.at == offset)?;
        bodies.remove(at)
    }

    fn put(&self, body: Body) {
        let mut bodies = lock(&self.bodies);
        if bodies.len() == MAX_OPEN {
            bodies.pop_front();
        }
        bodies.push_back(body);
    }

    fn continues(&self, offset: u64) -> bool {
        let mut ends = lock(&self.ends);
        let Some(at) = ends.iter().position(|&e| e == offset) else {
            return false;
        };
        ends.remove(at);
        true
    }
}

/// The guarded value, even after a panic elsewhere (the lists stay valid).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
