//! How every exported function runs: validate, run blocking or submit, and
//! write the outcome into the caller's `out` buffer.
//!
//! Ticket 0 means "block until done". Any other ticket submits the work: it
//! is polled once right away on the caller's thread, so work that needs no
//! I/O (the memory service, cached results, validation errors) finishes
//! inline with no thread hop; otherwise it moves to the runtime and its
//! outcome arrives through the queue.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Once};
use std::task::{Context, Poll, Waker};

use opendal::{Buffer, Error, ErrorKind, Result};

use crate::objects;
use crate::handles::Handle;
use crate::output::{Payload, Record};
use crate::queue::{Held, Outcome, Queue};
use crate::runtime::runtime;
use crate::status::{self, BAD_OUT, HELD, MIN_OUT, OK, PENDING};
use crate::trim;

/// The caller's output buffer.
pub struct Out {
    ptr: *mut u8,
    cap: usize,
}

impl Out {
    /// `None` when the buffer cannot even hold a status record.
    pub fn new(ptr: *mut u8, cap: u32) -> Option<Out> {
        (!ptr.is_null() && cap as usize >= MIN_OUT).then_some(Out {
            ptr,
            cap: cap as usize,
        })
    }

    /// Writes `bytes`, which must fit.
    pub fn write_all(&self, bytes: &[u8]) {
        debug_assert!(bytes.len() <= self.cap);
        self.write(bytes);
    }

    fn write(&self, bytes: &[u8]) {
        self.write_at(0, bytes);
    }

    /// Writes what fits of `bytes` at `offset`.
    fn write_at(&self, offset: usize, bytes: &[u8]) {
        let n = bytes.len().min(self.cap.saturating_sub(offset));
        // SAFETY: the caller promised `cap` writable bytes at `ptr`, and
        // `offset + n <= cap`.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.ptr.add(offset), n) };
    }
}

/// Borrows `len` bytes at `ptr`; a zero length needs no pointer.
///
/// # Safety
/// When `len > 0` and `ptr` is not null, `ptr` must point at `len` readable bytes.
pub unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!("{what} is null but its length is {len}"),
        ));
    }
    // SAFETY: checked non-null; the caller guarantees the length.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows the caller's buffer to fill, `len` bytes at `ptr` (a `double`
/// length, checked as [`length`] checks one); a zero length needs no pointer.
///
/// # Safety
/// When `len > 0` and `ptr` is not null, `ptr` must point at `len` writable
/// bytes that nothing else touches during the call.
pub unsafe fn dest<'a>(ptr: *mut u8, len: f64) -> Result<&'a mut [u8]> {
    let len = length(len, "buffer length")?;
    if len == 0 {
        return Ok(&mut []);
    }
    if ptr.is_null() {
        return Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!("buffer is null but its length is {len}"),
        ));
    }
    // SAFETY: checked non-null; the caller guarantees the length.
    Ok(unsafe { std::slice::from_raw_parts_mut(ptr, len) })
}

/// A byte count or offset passed as `f64` (JavaScript numbers stay on
/// Deno's fast path); `what` names it in the error.
pub fn length(len: f64, what: &str) -> Result<usize> {
    // 2^53: beyond it doubles are not exact, and a count that large can
    // only be a caller's mistake (it used to reach `from_raw_parts`/an
    // allocation and abort the process).
    if !(len.is_finite() && len >= 0.0 && len.fract() == 0.0 && len <= 9_007_199_254_740_992.0) {
        return Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!("{what} must be a non-negative integer, got {len}"),
        ));
    }
    Ok(len as usize)
}

thread_local! {
    /// How many [`quietly`] calls are running on this thread.
    static CATCHING: Cell<u32> = const { Cell::new(0) };
    /// Where the last panic caught on this thread happened.
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// `file:line` of a panic, with the registry or checkout prefix cut.
fn panic_location(info: &PanicHookInfo<'_>) -> Option<String> {
    let l = info.location()?;
    let file = l.file();
    let file = match file.find("/registry/src/") {
        Some(at) => file[at + 14..].split_once('/').map_or(file, |(_, rest)| rest),
        None => file,
    };
    Some(format!("{file}:{}", l.line()))
}

/// Installs, once, a panic hook that keeps panics [`quietly`] catches off
/// stderr, even with `RUST_BACKTRACE` set: the error returned to the caller
/// says what happened and where. Other panics print as usual. (The hook is
/// this library's own: Deno's panics go to Deno's.)
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.get() > 0 {
                PANIC_AT.set(panic_location(info));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f`, catching a panic without printing it.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    install_quiet_hook();
    CATCHING.set(CATCHING.get() + 1);
    let r = catch_unwind(AssertUnwindSafe(f));
    CATCHING.set(CATCHING.get() - 1);
    r
}

fn panic_error(panic: Box<dyn Any + Send>) -> Error {
    let msg = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    let at = PANIC_AT
        .take()
        .map(|at| format!(" (at {at})"))
        .unwrap_or_default();
    Error::new(
        ErrorKind::Unexpected,
        format!("internal panic in opendal-deno (please report): {msg}{at}"),
    )
}

/// Runs `f`, turning a panic into an `Unexpected` error.
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    quietly(f).unwrap_or_else(|p| Err(panic_error(p)))
}

/// A submitted future that turns a panic while it is polled (on any
/// thread) into an error.
struct Guarded<F>(Pin<Box<F>>);

impl<F: Future<Output = Result<Payload>>> Future for Guarded<F> {
    type Output = Result<Payload>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let fut = self.0.as_mut();
        quietly(|| fut.poll(cx)).unwrap_or_else(|p| Poll::Ready(Err(panic_error(p))))
    }
}

/// The largest result that rides in `out` instead of waiting for a `take`:
/// copying it twice is cheaper than a second call up to about this size.
const INLINE_MAX: usize = 64 * 1024;

thread_local! {
    static SCRATCH: std::cell::RefCell<Record> = std::cell::RefCell::new(Record(Vec::with_capacity(4096)));
}

/// Writes `result` into `out`: the record itself when it fits, otherwise its
/// size, keeping the record (and any bytes) under `ticket` in `queue`. A new
/// object is stored as an object of `queue`, whose handle is `owner`.
pub fn deliver(
    queue: &Queue,
    owner: Handle,
    ticket: u32,
    result: Result<Payload>,
    out: &Out,
) -> i32 {
    let payload = match result {
        Ok(Payload::Object(object)) => match objects::insert(object, Some(owner)) {
            Ok(handle) => Payload::Handle(handle),
            Err(err) => return deliver_error(&err, out),
        },
        Ok(payload) => payload,
        Err(err) => return deliver_error(&err, out),
    };
    SCRATCH.with_borrow_mut(|rec| {
        rec.0.clear();
        rec.payload(&payload);
        if let Payload::Bytes(buf) = payload {
            trim::delivered(buf.len());
            // Small results ride in `out` after the record (one call, no
            // queue); larger ones wait for a `take` straight into the
            // caller's memory, so they are copied once.
            let fits = rec.0.len() + 4 + buf.len() <= out.cap;
            if fits && buf.len() <= INLINE_MAX {
                rec.u32(1);
                out.write(&rec.0);
                // Chunk by chunk: a body that arrived in pieces is not joined first.
                let mut at = rec.0.len();
                for chunk in buf {
                    out.write_at(at, &chunk);
                    at += chunk.len();
                }
                return OK;
            }
            rec.u32(0);
            queue.hold(ticket, Held::Bytes(buf));
        }
        if rec.0.len() <= out.cap {
            out.write(&rec.0);
            OK
        } else {
            out.write(&(rec.0.len() as f64).to_le_bytes());
            queue.hold(ticket, Held::Record(std::mem::take(&mut rec.0)));
            HELD
        }
    })
}

/// Writes an error record into `out` and returns its code. An error never
/// needs a second call: a record too long for `out` loses the end of its
/// detail, and only when even the message does not fit, the detail and the
/// end of the message.
pub fn deliver_error(err: &Error, out: &Out) -> i32 {
    let mut rec = Record::default();
    rec.error(err);
    if rec.0.len() > out.cap {
        rec = fitted(&rec.0, out.cap);
    }
    out.write(&rec.0);
    status::code_of(err.kind())
}

/// An error record (`[temporary][message][detail]`) cut to `cap` bytes.
fn fitted(record: &[u8], cap: usize) -> Record {
    let text = |at: usize| -> (&str, usize) {
        let len = u32::from_le_bytes(record[at..at + 4].try_into().expect("4 bytes")) as usize;
        let s = std::str::from_utf8(&record[at + 4..at + 4 + len]).expect("written as UTF-8");
        (s, at + 4 + len)
    };
    let (message, after) = text(4);
    let (detail, _) = text(after);
    // Room for the flag and two lengths.
    let room = cap - 12;
    let message = cut(message, room);
    let detail = cut(detail, room - message.len());
    let mut rec = Record::default();
    rec.0.extend_from_slice(&record[..4]);
    rec.str(Some(message));
    rec.str(Some(detail));
    rec
}

/// The longest prefix of `s` of at most `max` bytes, on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Delivers the outcome of a finished ticket.
pub fn deliver_outcome(
    queue: &Queue,
    owner: Handle,
    ticket: u32,
    outcome: Outcome,
    out: &Out,
) -> i32 {
    match outcome {
        Outcome::Finished(r) => deliver(queue, owner, ticket, r, out),
        Outcome::Cancelled => {
            deliver_error(
                &Error::new(ErrorKind::Unexpected, "the operation was aborted"),
                out,
            );
            status::CANCELLED
        }
    }
}

/// Runs one operation: `prepare` validates the inputs and builds the future
/// (synchronously, so bad input fails at once), then the future runs blocking
/// (ticket 0) or is submitted.
pub fn run<F>(
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
    prepare: impl FnOnce() -> Result<F>,
) -> i32
where
    F: Future<Output = Result<Payload>> + Send + 'static,
{
    run_then(queue, ticket, out, out_cap, prepare, |r| r)
}

/// [`run`] for a read into the caller's `dst` (`dst_len` writable bytes):
/// bytes ready before this returns (always for ticket 0, and for work that
/// finishes inline) are copied straight into `dst`, at most `dst_len` of
/// them, and delivered as [`Payload::Written`]. Bytes that arrive later are
/// delivered as a bytes record, for the caller to copy: `dst` is only valid
/// during this call.
pub fn run_into<F>(
    dst: *mut u8,
    dst_len: f64,
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
    prepare: impl FnOnce() -> Result<F>,
) -> i32
where
    F: Future<Output = Result<Payload>> + Send + 'static,
{
    // SAFETY: the caller promised `dst_len` writable bytes at `dst` for this
    // call; the slice is used only before it returns (`now`).
    let dst = match unsafe { dest(dst, dst_len) } {
        Ok(dst) => dst,
        // Refused before anything runs, as bad input to `prepare` is.
        Err(e) => return run(queue, ticket, out, out_cap, || Err::<F, _>(e)),
    };
    run_then(queue, ticket, out, out_cap, prepare, |r| match r {
        Ok(Payload::Bytes(buf)) => Ok(Payload::Written(fill(dst, buf))),
        other => other,
    })
}

/// Copies what fits of `buf` into `dst`, chunk by chunk as `deliver` does
/// (no joined copy first), and returns how many bytes it wrote.
pub fn fill(dst: &mut [u8], buf: Buffer) -> usize {
    let mut at = 0;
    for chunk in buf {
        if at == dst.len() {
            break;
        }
        let n = chunk.len().min(dst.len() - at);
        dst[at..at + n].copy_from_slice(&chunk[..n]);
        at += n;
    }
    trim::delivered(at);
    at
}

/// [`run`], with `now` applied to an outcome ready before the call returns.
fn run_then<F>(
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
    prepare: impl FnOnce() -> Result<F>,
    now: impl FnOnce(Result<Payload>) -> Result<Payload>,
) -> i32
where
    F: Future<Output = Result<Payload>> + Send + 'static,
{
    let Some(out) = Out::new(out, out_cap) else {
        return BAD_OUT;
    };
    let q = match objects::queue(queue) {
        Ok(q) => q,
        Err(e) => return deliver_error(&e, &out),
    };
    let result = guard(|| {
        if ticket == 0 {
            // Pinned on this stack: OpenDAL's futures are large (a read's is
            // past the allocator's small sizes, where a box cost about 900
            // instructions to allocate and free), and `block_on` gets a
            // pointer, so nothing large is copied either. `block_on` polls on
            // this thread, so `guard` already catches a panic inside it.
            let fut = std::pin::pin!(prepare()?);
            return Ok(Some(runtime().block_on(fut)));
        }
        // Boxed once, here: every later move (the unwind guard, the task)
        // then copies a pointer.
        let fut = Box::pin(prepare()?);
        let call = q.begin(ticket)?;
        let _entered = runtime().enter();
        let mut fut = Guarded(fut);
        if let Poll::Ready(r) = Pin::new(&mut fut).poll(&mut Context::from_waker(Waker::noop())) {
            q.finish_inline(ticket);
            return Ok(Some(r));
        }
        let q2 = Arc::clone(&q);
        let task = runtime().spawn(async move {
            let r = fut.await;
            q2.complete(ticket, call, r);
        });
        q.set_abort(ticket, call, task.abort_handle());
        Ok(None)
    });
    match result {
        Ok(Some(r)) => deliver(&q, queue, ticket, now(r), &out),
        Ok(None) => PENDING,
        Err(e) => deliver_error(&e, &out),
    }
}

/// Runs a blocking call that fills the caller's buffer (`Runs::Blocking`
/// in `abi.rs`): `f`'s count of bytes written, or minus the error's status
/// with its record in `out`; -infinity when `out` cannot hold a record. No
/// queue and no result record: for the hottest small calls, where those
/// cost as much as the operation (bench/PROFILE.md).
pub fn run_blocking(out: *mut u8, out_cap: u32, f: impl FnOnce() -> Result<usize>) -> f64 {
    let Some(out) = Out::new(out, out_cap) else {
        return f64::NEG_INFINITY;
    };
    match guard(f) {
        Ok(count) => count as f64,
        Err(e) => -f64::from(deliver_error(&e, &out)),
    }
}

/// Runs a quick synchronous call that needs no runtime (constructors,
/// lookups), with the same output conventions.
pub fn run_now(
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
    f: impl FnOnce() -> Result<Payload>,
) -> i32 {
    let Some(out) = Out::new(out, out_cap) else {
        return BAD_OUT;
    };
    let q = match objects::queue(queue) {
        Ok(q) => q,
        Err(e) => return deliver_error(&e, &out),
    };
    let r = guard(|| {
        let _entered = runtime().enter();
        f()
    });
    deliver(&q, queue, ticket, r, &out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_count_is_named_once() {
        let err = length(-1.0, "offset").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConfigInvalid);
        assert!(
            err.to_string()
                .contains("offset must be a non-negative integer, got -1"),
            "{err}"
        );
        assert_eq!(length(3.0, "data length").unwrap(), 3);
    }
}
