//! Log records from `LoggingLayer`, buffered for JavaScript to collect.
//!
//! OpenDAL's logging layer calls an interceptor inline with each operation,
//! on whatever thread runs it. The interceptor here formats one line, keeps
//! it if it is at or above the layer's level, and appends it to a bounded
//! buffer; the TypeScript side drains the buffer after operations complete
//! and hands each line to the layer's sink. No callback into JavaScript, so
//! `--allow-ffi=<path of the library>` is enough.

use std::collections::VecDeque;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use opendal::layers::LoggingInterceptor;
use opendal::raw::{Operation, ServiceInfo};
use opendal::{Error, ErrorKind};

use crate::output::Record;
use crate::redact::redact;
use crate::report::report;

/// Levels, lowest first. The numbers are part of the ABI.
pub(crate) const DEBUG: u8 = 0;
pub(crate) const INFO: u8 = 1;
pub(crate) const WARN: u8 = 2;
pub(crate) const ERROR: u8 = 3;

/// Lines kept before the oldest are dropped (and counted).
const CAPACITY: usize = 10_000;

struct Line {
    sink: u32,
    level: u8,
    text: String,
}

static LINES: Mutex<VecDeque<Line>> = Mutex::new(VecDeque::new());
static PENDING: AtomicUsize = AtomicUsize::new(0);
static DROPPED: AtomicUsize = AtomicUsize::new(0);

/// How many lines wait to be collected.
pub fn pending() -> usize {
    PENDING.load(Ordering::Relaxed)
}

fn push(line: Line) {
    let mut lines = LINES.lock().unwrap_or_else(|e| e.into_inner());
    if lines.len() >= CAPACITY {
        lines.pop_front();
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
    lines.push_back(line);
    PENDING.store(lines.len(), Ordering::Relaxed);
}

/// Moves up to `max_bytes` of lines into a record: count, lines dropped
/// since the last drain, then (sink, level, text) per line.
pub fn drain(rec: &mut Record, max_bytes: usize) {
    let mut lines = LINES.lock().unwrap_or_else(|e| e.into_inner());
    let count_at = rec.0.len();
    rec.u32(0);
    rec.f64(DROPPED.swap(0, Ordering::Relaxed) as f64);
    let mut count = 0u32;
    while let Some(line) = lines.front() {
        if count > 0 && rec.0.len() + line.text.len() + 16 > max_bytes {
            break;
        }
        let mut line = lines.pop_front().expect("checked above");
        // A single line longer than the whole buffer is cut to fit.
        let room = max_bytes.saturating_sub(rec.0.len() + 16);
        if line.text.len() > room {
            let mut end = room;
            while !line.text.is_char_boundary(end) {
                end -= 1;
            }
            line.text.truncate(end);
        }
        rec.u32(line.sink);
        rec.u8(line.level);
        rec.str(Some(&line.text));
        count += 1;
    }
    rec.0[count_at..count_at + 4].copy_from_slice(&count.to_le_bytes());
    PENDING.store(lines.len(), Ordering::Relaxed);
}

/// The interceptor of one `LoggingLayer`: its sink id and lowest level.
#[derive(Clone, Copy, Debug)]
pub struct Capture {
    pub sink: u32,
    pub level: u8,
}

fn level_of(message: &str, err: Option<&Error>) -> u8 {
    match err {
        Some(e) if e.kind() == ErrorKind::Unexpected => ERROR,
        Some(_) => WARN,
        // An operation's end: "finished", or "close succeeded" for writers.
        None if message == "finished" || message.ends_with("succeeded") => INFO,
        None => DEBUG,
    }
}

impl LoggingInterceptor for Capture {
    fn log(
        &self,
        info: &ServiceInfo,
        operation: Operation,
        context: &[(&str, &str)],
        message: &str,
        err: Option<&Error>,
    ) {
        let level = level_of(message, err);
        if level < self.level {
            return;
        }
        let mut text = format!("{} {operation}", info.scheme());
        // Memory's "name" is an address: noise in a log line.
        if !info.name().is_empty() && info.scheme() != "memory" {
            let _ = write!(text, " name={}", info.name());
        }
        for (k, v) in context {
            let _ = write!(text, " {k}={v}");
        }
        let _ = write!(text, " {message}");
        if let Some(e) = err {
            // The short form: the operation and path are already on the line.
            let _ = write!(text, ": {}: {}", e.kind(), report(e).message);
        }
        // The name and error context can quote URLs with credentials.
        let text = redact(&text).into_owned();
        push(Line {
            sink: self.sink,
            level,
            text,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_outcomes() {
        let err = Error::new(ErrorKind::NotFound, "x");
        let bad = Error::new(ErrorKind::Unexpected, "x");
        assert_eq!(level_of("started", None), DEBUG);
        assert_eq!(level_of("finished", None), INFO);
        assert_eq!(level_of("close succeeded", None), INFO);
        assert_eq!(level_of("created writer", None), DEBUG);
        assert_eq!(level_of("failed", Some(&err)), WARN);
        assert_eq!(level_of("failed", Some(&bad)), ERROR);
    }
}
