//! Completion queues: where asynchronous outcomes wait to be collected.
//!
//! A caller submits an operation under a ticket of its choosing. When the
//! operation finishes on the runtime, its result is stored under that ticket
//! and the ticket is pushed to the ready list; `wait` blocks until the list is
//! non-empty and hands the caller a whole batch at once (one wake-up for many
//! completions). Results too large for the caller's scratch buffer are held
//! here until `take` copies them into a buffer of the right size.
//!
//! Each loaded copy of the TypeScript module owns its own queue, so module
//! copies and workers never collect each other's completions. A ticket is
//! the caller's name for a call; each submission also gets a call number of
//! its own, so a late result of an earlier call (cancelled, collected, its
//! ticket reused) never becomes the outcome of the ticket's next call.
//!
//! A closed queue aborts its running work and drops every result, finished
//! or late: nobody will collect them. The queue also keeps the lines of the
//! `LoggingLayer`s made through it until they are drained.
//!
//! Completions reach the caller in one of two ways: it blocks in `wait`
//! (Deno: a pending `nonblocking` call), or it gives the queue a function
//! to call (`notify`): a thread of the queue then calls it whenever new
//! tickets are ready, and the caller collects them with `wait` (timeout 0)
//! from inside it. That thread never holds the lock while it calls, and
//! nothing ever waits for it, so a caller that makes any call from inside
//! the function (or never returns to it) blocks nobody but that thread.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use opendal::{Buffer, Error, ErrorKind, Result};
use tokio::task::AbortHandle;

use crate::logs::LogBuffer;
use crate::output::Payload;

/// Data kept for the caller to copy out with `take`.
pub enum Held {
    Bytes(Buffer),
    Record(Vec<u8>),
}

impl Held {
    pub fn len(&self) -> usize {
        match self {
            Held::Bytes(b) => b.len(),
            Held::Record(r) => r.len(),
        }
    }

    /// Copies the data into `dst`, which must be at least `len()` long.
    pub fn copy_into(&self, dst: &mut [u8]) {
        match self {
            Held::Bytes(b) => {
                let mut at = 0;
                for chunk in b.clone() {
                    dst[at..at + chunk.len()].copy_from_slice(&chunk);
                    at += chunk.len();
                }
            }
            Held::Record(r) => dst[..r.len()].copy_from_slice(r),
        }
    }
}

/// How a submitted operation ended. (Moved once per operation, so its size
/// does not matter.)
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    Finished(Result<Payload>),
    Cancelled,
}

enum Slot {
    /// Submitted call number `call`, still running; the handle cancels it.
    Running {
        call: u64,
        abort: Option<AbortHandle>,
    },
    /// Finished; waiting for `outcome`.
    Done(Outcome),
    /// Outcome read; data waiting for `take`.
    Held(Held),
}

/// The function a queue's notifier thread calls when tickets are ready.
pub type Notify = unsafe extern "C" fn();

#[derive(Default)]
struct State {
    slots: HashMap<u32, Slot>,
    ready: Vec<u32>,
    closed: bool,
    /// The last call number handed out.
    calls: u64,
    /// How many tickets were ever made ready: the notifier calls again only
    /// for new ones, so a caller that leaves tickets uncollected is not
    /// called in a loop.
    readied: u64,
    /// What the notifier thread calls; `None` stops it.
    notify: Option<Notify>,
    /// Whether a notifier thread runs (it clears this as it ends).
    notifying: bool,
}

/// One consumer's completion queue.
#[derive(Default)]
pub struct Queue {
    state: Mutex<State>,
    ready: Condvar,
    logs: LogBuffer,
}

fn ticket_busy(ticket: u32) -> Error {
    Error::new(
        ErrorKind::ConfigInvalid,
        format!("ticket {ticket} is still in use: collect its outcome before reusing it"),
    )
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Claims `ticket` for an operation about to run; returns its call number.
    pub fn begin(&self, ticket: u32) -> Result<u64> {
        let mut s = self.lock();
        if s.closed {
            return Err(Error::new(ErrorKind::ConfigInvalid, "the queue is closed"));
        }
        if s.slots.contains_key(&ticket) {
            return Err(ticket_busy(ticket));
        }
        s.calls += 1;
        let call = s.calls;
        s.slots.insert(ticket, Slot::Running { call, abort: None });
        Ok(call)
    }

    /// Releases a claimed ticket whose operation finished inline.
    pub fn finish_inline(&self, ticket: u32) {
        self.lock().slots.remove(&ticket);
    }

    /// Records how to cancel call `call`, running under `ticket`.
    pub fn set_abort(&self, ticket: u32, call: u64, handle: AbortHandle) {
        if let Some(Slot::Running { call: c, abort }) = self.lock().slots.get_mut(&ticket)
            && *c == call
        {
            *abort = Some(handle);
        }
    }

    /// Stores the result of call `call` under `ticket` and wakes the waiter.
    /// A result nobody waits for (the call was cancelled, the ticket moved on
    /// to another call, the queue closed) is dropped.
    pub fn complete(&self, ticket: u32, call: u64, result: Result<Payload>) {
        let mut s = self.lock();
        match s.slots.get(&ticket) {
            Some(Slot::Running { call: c, .. }) if *c == call => {
                s.slots
                    .insert(ticket, Slot::Done(Outcome::Finished(result)));
                s.ready.push(ticket);
                s.readied += 1;
                self.ready.notify_all();
            }
            _ => {
                // Dropped outside the lock: it may own objects.
                drop(s);
                drop(result);
            }
        }
    }

    /// Cancels the operation under `ticket`: its future is dropped and its
    /// outcome becomes a cancellation. Returns false when it already finished.
    pub fn cancel(&self, ticket: u32) -> bool {
        let mut s = self.lock();
        let Some(Slot::Running { abort, .. }) = s.slots.get(&ticket) else {
            return false;
        };
        if let Some(h) = abort {
            h.abort();
        }
        s.slots.insert(ticket, Slot::Done(Outcome::Cancelled));
        s.ready.push(ticket);
        s.readied += 1;
        self.ready.notify_all();
        true
    }

    /// Blocks until at least one ticket is ready (or `timeout` passes, or the
    /// queue closes) and moves up to `max` ready tickets into `out`.
    /// Returns false when the queue is closed and nothing is ready.
    pub fn wait(&self, out: &mut Vec<u32>, max: usize, timeout: Option<Duration>) -> bool {
        let mut s = self.lock();
        while s.ready.is_empty() && !s.closed {
            match timeout {
                None => s = self.ready.wait(s).unwrap_or_else(|e| e.into_inner()),
                Some(t) if t.is_zero() => break,
                Some(t) => {
                    let (guard, result) = self
                        .ready
                        .wait_timeout(s, t)
                        .unwrap_or_else(|e| e.into_inner());
                    s = guard;
                    if result.timed_out() {
                        break;
                    }
                }
            }
        }
        let n = s.ready.len().min(max);
        out.extend(s.ready.drain(..n));
        n > 0 || !s.closed
    }

    /// Has a thread of the queue call `notify` each time new tickets are
    /// ready (and once when the queue closes), until it is replaced or
    /// `None` stops it. The thread starts with the first function and ends
    /// when stopped or closed; it holds no lock while it calls, and nothing
    /// ever waits for it.
    pub fn set_notify(self: &Arc<Self>, notify: Option<Notify>) -> Result<()> {
        let mut s = self.lock();
        if s.closed {
            return Err(Error::new(ErrorKind::ConfigInvalid, "the queue is closed"));
        }
        s.notify = notify;
        if notify.is_none() || s.notifying {
            drop(s);
            self.ready.notify_all();
            return Ok(());
        }
        let queue = self.clone();
        std::thread::Builder::new()
            .name("opendal-notify".into())
            .spawn(move || queue.notifier())
            .map_err(|e| {
                s.notify = None;
                Error::new(ErrorKind::Unexpected, "could not start a notifier thread").set_source(e)
            })?;
        s.notifying = true;
        Ok(())
    }

    /// The notifier thread: calls the function for every new batch of ready
    /// tickets, and a last time when the queue closes (so that its caller
    /// sees the closed queue), then ends.
    fn notifier(&self) {
        let mut seen = 0;
        loop {
            let mut s = self.lock();
            let notify = loop {
                let Some(notify) = s.notify else {
                    s.notifying = false;
                    return;
                };
                if s.closed {
                    s.notifying = false;
                    s.notify = None;
                    break notify;
                }
                if !s.ready.is_empty() && s.readied != seen {
                    seen = s.readied;
                    break notify;
                }
                s = self.ready.wait(s).unwrap_or_else(|e| e.into_inner());
            };
            let last = s.closed;
            drop(s);
            // SAFETY: the caller of `set_notify` keeps the function callable
            // until it stops the notifier or closes the queue.
            unsafe { notify() };
            if last {
                return;
            }
        }
    }

    /// Stops the notifier without calling it again (its caller is gone).
    pub fn forget_notify(&self) {
        self.lock().notify = None;
        self.ready.notify_all();
    }

    /// Takes the finished result under `ticket`.
    pub fn take_done(&self, ticket: u32) -> Result<Outcome> {
        let mut s = self.lock();
        match s.slots.remove(&ticket) {
            Some(Slot::Done(r)) => Ok(r),
            Some(other) => {
                s.slots.insert(ticket, other);
                Err(not_ready(ticket))
            }
            None => Err(not_ready(ticket)),
        }
    }

    /// Keeps `data` under `ticket` for `take_held` (a closed queue drops it).
    pub fn hold(&self, ticket: u32, data: Held) {
        let mut s = self.lock();
        if !s.closed {
            s.slots.insert(ticket, Slot::Held(data));
        }
    }

    /// Removes and returns the data held under `ticket`.
    pub fn take_held(&self, ticket: u32) -> Result<Held> {
        let mut s = self.lock();
        match s.slots.remove(&ticket) {
            Some(Slot::Held(h)) => Ok(h),
            Some(other) => {
                s.slots.insert(ticket, other);
                Err(nothing_held(ticket))
            }
            None => Err(nothing_held(ticket)),
        }
    }

    /// Drops whatever is finished or held under `ticket`; running work is
    /// left alone (cancel it first).
    pub fn release(&self, ticket: u32) {
        let mut s = self.lock();
        if !matches!(s.slots.get(&ticket), Some(Slot::Running { .. })) {
            let released = s.slots.remove(&ticket);
            drop(s);
            drop(released);
        }
    }

    /// Closes the queue for good: running work is aborted, finished and held
    /// results are dropped, every waiter wakes, later waits return at once
    /// and later submissions fail.
    pub fn close(&self) {
        let slots = {
            let mut s = self.lock();
            s.closed = true;
            s.ready.clear();
            for slot in s.slots.values() {
                if let Slot::Running { abort: Some(h), .. } = slot {
                    h.abort();
                }
            }
            std::mem::take(&mut s.slots)
        };
        self.ready.notify_all();
        // Dropped outside the lock: results may own objects.
        drop(slots);
    }

    /// The lines of the `LoggingLayer`s made through this queue.
    pub fn logs(&self) -> &LogBuffer {
        &self.logs
    }

    /// Tickets claimed and not yet collected.
    #[cfg(test)]
    pub fn outstanding(&self) -> usize {
        self.lock().slots.len()
    }
}

fn not_ready(ticket: u32) -> Error {
    Error::new(
        ErrorKind::ConfigInvalid,
        format!("ticket {ticket} has no finished outcome"),
    )
}

fn nothing_held(ticket: u32) -> Error {
    Error::new(
        ErrorKind::ConfigInvalid,
        format!("ticket {ticket} holds no data to take"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_cannot_be_claimed_twice() {
        let q = Queue::default();
        let call = q.begin(3).unwrap();
        assert_eq!(q.begin(3).unwrap_err().kind(), ErrorKind::ConfigInvalid);
        q.complete(3, call, Ok(Payload::Empty));
        assert!(q.begin(3).is_err(), "still uncollected");
        assert!(matches!(q.take_done(3).unwrap(), Outcome::Finished(Ok(_))));
        q.begin(3).unwrap();
    }

    #[test]
    fn wait_returns_completions_in_batches() {
        let q = Arc::new(Queue::default());
        let calls: Vec<u64> = (1..=5).map(|t| q.begin(t).unwrap()).collect();
        let q2 = q.clone();
        let th = std::thread::spawn(move || {
            for (t, call) in (1..=5).zip(calls) {
                q2.complete(t, call, Ok(Payload::Bool(true)));
            }
        });
        th.join().unwrap();
        let mut out = Vec::new();
        q.wait(&mut out, 3, None);
        assert_eq!(out, vec![1, 2, 3]);
        out.clear();
        q.wait(&mut out, 16, Some(Duration::ZERO));
        assert_eq!(out, vec![4, 5]);
        out.clear();
        q.wait(&mut out, 16, Some(Duration::from_millis(5)));
        assert!(out.is_empty(), "nothing left: the wait times out");
    }

    #[test]
    fn cancel_wins_over_a_late_result() {
        let q = Queue::default();
        let call = q.begin(9).unwrap();
        assert!(q.cancel(9));
        q.complete(9, call, Ok(Payload::Bool(true)));
        assert!(matches!(q.take_done(9).unwrap(), Outcome::Cancelled));
        assert!(!q.cancel(9), "nothing left to cancel");
    }

    #[test]
    fn a_late_result_never_reaches_the_next_call_of_its_ticket() {
        let q = Queue::default();
        let first = q.begin(9).unwrap();
        // Cancelled while its last poll was finishing on another thread...
        assert!(q.cancel(9));
        assert!(matches!(q.take_done(9).unwrap(), Outcome::Cancelled));
        // ...the caller collects the cancellation and reuses the ticket...
        let second = q.begin(9).unwrap();
        assert_ne!(first, second);
        // ...before the first call's result arrives: it must be dropped.
        q.complete(9, first, Ok(Payload::Bool(true)));
        assert!(q.take_done(9).is_err(), "the first call's result was taken");
        q.complete(9, second, Ok(Payload::Bool(false)));
        assert!(matches!(
            q.take_done(9).unwrap(),
            Outcome::Finished(Ok(Payload::Bool(false)))
        ));
    }

    #[test]
    fn closing_drops_results_and_refuses_new_work() {
        let q = Queue::default();
        let running = q.begin(1).unwrap();
        let done = q.begin(2).unwrap();
        q.complete(2, done, Ok(Payload::Bool(true)));
        q.hold(3, Held::Record(vec![0; 1 << 20]));
        q.close();
        assert_eq!(q.outstanding(), 0, "finished and held results dropped");
        q.complete(1, running, Ok(Payload::Bool(true)));
        assert_eq!(q.outstanding(), 0, "a late result is dropped");
        q.hold(4, Held::Record(vec![1]));
        assert_eq!(q.outstanding(), 0);
        assert_eq!(q.begin(5).unwrap_err().kind(), ErrorKind::ConfigInvalid);
        let mut out = Vec::new();
        q.wait(&mut out, 8, None);
        assert!(out.is_empty(), "a closed queue never blocks");
    }

    #[test]
    fn held_data_is_taken_once() {
        let q = Queue::default();
        q.hold(4, Held::Record(vec![1, 2, 3]));
        let h = q.take_held(4).unwrap();
        let mut dst = [0u8; 3];
        h.copy_into(&mut dst);
        assert_eq!(dst, [1, 2, 3]);
        assert!(q.take_held(4).is_err());
        assert_eq!(q.outstanding(), 0);
    }

    /// Waits (at most a second) until `calls` reaches `n`.
    fn until(calls: &std::sync::atomic::AtomicUsize, n: usize) -> usize {
        use std::sync::atomic::Ordering::SeqCst;
        for _ in 0..100 {
            if calls.load(SeqCst) >= n {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        calls.load(SeqCst)
    }

    #[test]
    fn the_notifier_calls_for_new_tickets_only_and_once_on_close() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        extern "C" fn count() {
            CALLS.fetch_add(1, SeqCst);
        }
        let q = Arc::new(Queue::default());
        q.set_notify(Some(count)).unwrap();
        let a = q.begin(1).unwrap();
        let b = q.begin(2).unwrap();
        q.complete(1, a, Ok(Payload::Empty));
        assert_eq!(until(&CALLS, 1), 1);
        // Ticket 1 is left uncollected: no call until another is ready.
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(CALLS.load(SeqCst), 1, "not called again for the same ticket");
        q.complete(2, b, Ok(Payload::Empty));
        assert_eq!(until(&CALLS, 2), 2);
        q.close();
        assert_eq!(until(&CALLS, 3), 3, "a last call when the queue closes");
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(CALLS.load(SeqCst), 3);
        assert!(q.set_notify(Some(count)).is_err(), "a closed queue refuses");
    }

    #[test]
    fn a_stopped_or_forgotten_notifier_is_never_called() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        extern "C" fn count() {
            CALLS.fetch_add(1, SeqCst);
        }
        let q = Arc::new(Queue::default());
        q.set_notify(Some(count)).unwrap();
        q.set_notify(None).unwrap();
        let a = q.begin(1).unwrap();
        q.complete(1, a, Ok(Payload::Empty));
        // Started again, it reports what is ready.
        q.set_notify(Some(count)).unwrap();
        assert_eq!(until(&CALLS, 1), 1);
        q.forget_notify();
        let b = q.begin(2).unwrap();
        q.complete(2, b, Ok(Payload::Empty));
        q.close();
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(CALLS.load(SeqCst), 1, "nothing after forget_notify");
    }

    #[test]
    fn the_notified_function_may_call_the_queue_and_block() {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use std::sync::OnceLock;
        static QUEUE: OnceLock<Arc<Queue>> = OnceLock::new();
        static COLLECTED: AtomicUsize = AtomicUsize::new(0);
        extern "C" fn collect() {
            // What JavaScript does: collect with a wait that never blocks,
            // then start more work and stop the notifier from inside.
            let q = QUEUE.get().unwrap();
            let mut out = Vec::new();
            q.wait(&mut out, 16, Some(Duration::ZERO));
            for t in out {
                q.take_done(t).unwrap();
                COLLECTED.fetch_add(1, SeqCst);
            }
            std::thread::sleep(Duration::from_millis(20)); // JavaScript is slow
            if COLLECTED.load(SeqCst) >= 3 {
                q.set_notify(None).unwrap();
            }
        }
        let q = QUEUE.get_or_init(|| Arc::new(Queue::default())).clone();
        q.set_notify(Some(collect)).unwrap();
        for t in 1..=3 {
            let call = q.begin(t).unwrap();
            // Completes while the notifier is inside `collect`, or not.
            q.complete(t, call, Ok(Payload::Empty));
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(until(&COLLECTED, 3), 3);
        assert_eq!(q.outstanding(), 0);
    }

    #[test]
    fn close_releases_waiters() {
        let q = Arc::new(Queue::default());
        let q2 = q.clone();
        let th = std::thread::spawn(move || {
            let mut out = Vec::new();
            q2.wait(&mut out, 8, None);
            out
        });
        std::thread::sleep(Duration::from_millis(20));
        q.close();
        assert!(th.join().unwrap().is_empty());
    }
}
