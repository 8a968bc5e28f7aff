//! A thread's queues, closed when the thread exits.
//!
//! Deno runs each isolate's JavaScript (the main one, each Worker) on a
//! thread of its own, and a terminated Worker's thread exits. Deno does not
//! reliably run unload handlers or finalizers for a terminated Worker, so
//! the module cannot release what the Worker made; this does. A queue
//! belongs to the thread that created it (`opendal_queue_new` is a
//! synchronous call on the isolate's thread), every object belongs to the
//! queue it was made through, and when the thread exits its queues are
//! closed: running work is aborted, finished results are dropped, and every
//! object made through them is released.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use opendal::Result;

use crate::handles::Handle;
use crate::objects::{self, Object};
use crate::queue::Queue;

/// The queues made on this thread.
#[derive(Default)]
struct Home {
    queues: RefCell<Vec<Handle>>,
}

impl Drop for Home {
    fn drop(&mut self) {
        for queue in self.queues.take() {
            // A panic must not escape a thread-local destructor (it aborts).
            let _ = catch_unwind(AssertUnwindSafe(|| {
                // The thread's JavaScript is gone: its notifier must not
                // call into it, not even to say the queue closed.
                if let Ok(q) = objects::queue(queue) {
                    q.forget_notify();
                }
                objects::close(queue)
            }));
        }
    }
}

thread_local! {
    static HOME: Home = Home::default();
}

/// Creates a queue that belongs to this thread.
pub fn new_queue() -> Result<Handle> {
    let queue = objects::insert(Object::Queue(Arc::new(Queue::default())), None)?;
    let registered = HOME.try_with(|home| {
        let mut queues = home.queues.borrow_mut();
        // Forget queues closed since: a thread that makes many stays small.
        queues.retain(|q| objects::is_live(*q));
        queues.push(queue);
    });
    if registered.is_err() {
        // The thread is exiting: nothing would close the queue.
        let _ = objects::close(queue);
        return Err(opendal::Error::new(
            opendal::ErrorKind::Unexpected,
            "this thread is exiting: no queue can be made on it",
        ));
    }
    Ok(queue)
}
