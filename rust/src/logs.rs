//! Log records from `LoggingLayer`, buffered for JavaScript to collect.
//!
//! OpenDAL's logging layer calls an interceptor inline with each operation,
//! on whatever thread runs it. The interceptor here formats one line, keeps
//! it if it is at or above the layer's level, and appends it to a bounded
//! buffer in the queue the layer was made through: the one of the isolate
//! (main thread or Worker) that owns the layer's sink. The TypeScript side
//! drains its queue after operations complete and hands each line to the
//! layer's sink. No callback into JavaScript, so `--allow-ffi=<path of the
//! library>` is enough.
//!
//! When the last operator using a layer goes, its interceptor's last clone
//! drops and retires the sink: a record that tells the TypeScript side to
//! let go of the sink. Retirements are never dropped.

use std::collections::VecDeque;
use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use opendal::layers::LoggingInterceptor;
use opendal::raw::{Operation, ServiceInfo};
use opendal::{Error, ErrorKind};

use crate::codes::LogLevel;
use crate::output::Record;
use crate::queue::Queue;
use crate::redact::redact;
use crate::report::report;

/// Levels, lowest first (declared in `abi.rs`).
pub(crate) const DEBUG: u8 = LogLevel::Debug as u8;
pub(crate) const INFO: u8 = LogLevel::Info as u8;
pub(crate) const WARN: u8 = LogLevel::Warn as u8;
pub(crate) const ERROR: u8 = LogLevel::Error as u8;
/// The level of a record that retires its sink: no line for it will follow.
pub(crate) const RETIRED: u8 = LogLevel::Retired as u8;

/// Lines kept before the oldest are dropped (and counted).
const CAPACITY: usize = 10_000;
/// Bytes a record entry takes besides its text (sink, level, text length).
const ENTRY: usize = 9;

struct Line {
    sink: u32,
    level: u8,
    text: String,
}

#[derive(Default)]
struct Lines {
    lines: VecDeque<Line>,
    /// Sinks retired since the last drain, delivered after every line.
    retired: Vec<u32>,
}

/// The lines waiting in one queue.
#[derive(Default)]
pub struct LogBuffer {
    state: Mutex<Lines>,
    pending: AtomicUsize,
    dropped: AtomicUsize,
}

impl LogBuffer {
    fn lock(&self) -> MutexGuard<'_, Lines> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many records wait to be collected.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Relaxed)
    }

    fn push(&self, line: Line) {
        let mut s = self.lock();
        if s.lines.len() >= CAPACITY {
            s.lines.pop_front();
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
        s.lines.push_back(line);
        self.pending.store(s.lines.len() + s.retired.len(), Ordering::Relaxed);
    }

    fn retire(&self, sink: u32) {
        let mut s = self.lock();
        s.retired.push(sink);
        self.pending.store(s.lines.len() + s.retired.len(), Ordering::Relaxed);
    }

    /// Moves up to `max_bytes` of records into `rec`: count, lines dropped
    /// since the last drain, then (sink, level, text) per record. Retired
    /// sinks come last, once every line before them is out.
    pub fn drain(&self, rec: &mut Record, max_bytes: usize) {
        let mut s = self.lock();
        let count_at = rec.0.len();
        rec.u32(0);
        rec.f64(self.dropped.swap(0, Ordering::Relaxed) as f64);
        let mut count = 0u32;
        while let Some(line) = s.lines.front() {
            if count > 0 && rec.0.len() + line.text.len() + ENTRY > max_bytes {
                break;
            }
            let mut line = s.lines.pop_front().expect("checked above");
            // A single line longer than the whole buffer is cut to fit.
            let room = max_bytes.saturating_sub(rec.0.len() + ENTRY);
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
        if s.lines.is_empty() {
            while rec.0.len() + ENTRY <= max_bytes
                && let Some(sink) = s.retired.pop()
            {
                rec.u32(sink);
                rec.u8(RETIRED);
                rec.str(Some(""));
                count += 1;
            }
        }
        rec.0[count_at..count_at + 4].copy_from_slice(&count.to_le_bytes());
        self.pending.store(s.lines.len() + s.retired.len(), Ordering::Relaxed);
    }
}

/// The interceptor of one `LoggingLayer`, cloned into every operator it wraps.
#[derive(Clone, Debug)]
pub struct Capture(Arc<Sink>);

/// Where a layer's lines go: its sink id, its lowest level, and the queue
/// it was made through.
#[derive(Debug)]
struct Sink {
    id: u32,
    level: u8,
    queue: Weak<Queue>,
}

impl Capture {
    /// Lines of `level` and above, for sink `id`, into the logs of `queue`.
    pub fn new(id: u32, level: u8, queue: &Arc<Queue>) -> Capture {
        Capture(Arc::new(Sink {
            id,
            level,
            queue: Arc::downgrade(queue),
        }))
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        if let Some(q) = self.queue.upgrade() {
            q.logs().retire(self.id);
        }
    }
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
        let sink = &self.0;
        let level = level_of(message, err);
        if level < sink.level {
            return;
        }
        // A queue that is gone has nobody to read its lines.
        let Some(queue) = sink.queue.upgrade() else {
            return;
        };
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
        queue.logs().push(Line {
            sink: sink.id,
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

    fn line(sink: u32, text: &str) -> Line {
        Line {
            sink,
            level: INFO,
            text: text.into(),
        }
    }

    /// (sink, level, text) of each entry of a drained record.
    fn entries(rec: &Record) -> Vec<(u32, u8, String)> {
        let b = &rec.0;
        let count = u32::from_le_bytes(b[..4].try_into().unwrap());
        let mut at = 12;
        (0..count)
            .map(|_| {
                let sink = u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
                let level = b[at + 4];
                let len = u32::from_le_bytes(b[at + 5..at + 9].try_into().unwrap()) as usize;
                let text = String::from_utf8(b[at + 9..at + 9 + len].to_vec()).unwrap();
                at += 9 + len;
                (sink, level, text)
            })
            .collect()
    }

    #[test]
    fn retirements_follow_every_line_and_are_never_dropped() {
        let logs = LogBuffer::default();
        logs.push(line(1, "a"));
        logs.retire(1);
        for _ in 0..CAPACITY {
            logs.push(line(2, "b"));
        }
        assert_eq!(logs.pending(), CAPACITY + 1);
        // A small buffer: the lines come out in several drains, the
        // retirement only after the last of them.
        let mut seen = Vec::new();
        while logs.pending() > 0 {
            let mut rec = Record::default();
            logs.drain(&mut rec, 4096);
            seen.extend(entries(&rec));
        }
        assert_eq!(seen.len(), CAPACITY + 1, "one line dropped, none added");
        assert_eq!(seen.last().unwrap(), &(1, RETIRED, String::new()));
        assert!(seen[..CAPACITY].iter().all(|(_, level, _)| *level == INFO));
    }

    #[test]
    fn a_sink_retires_when_its_last_capture_goes() {
        let queue = Arc::new(Queue::default());
        let capture = Capture::new(7, DEBUG, &queue);
        let copies = [capture.clone(), capture.clone()];
        drop(capture);
        assert_eq!(queue.logs().pending(), 0, "copies still alive");
        drop(copies);
        let mut rec = Record::default();
        queue.logs().drain(&mut rec, 4096);
        assert_eq!(entries(&rec), vec![(7, RETIRED, String::new())]);
    }
}
