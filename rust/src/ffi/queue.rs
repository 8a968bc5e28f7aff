//! Completion queues: creating them, waiting on them, collecting outcomes.

use std::time::Duration;

use opendal::ErrorKind;

use crate::call::{self, Out, guard};
use crate::handles::Handle;
use crate::home;
use crate::objects;
use crate::output::Payload;
use crate::queue::Notify;
use crate::status::{self, BAD_OUT};

/// Creates a completion queue. Returns its handle, or 0 when the handle
/// table is full.
///
/// The queue belongs to the calling thread: when that thread exits, the
/// queue is closed (see `opendal_close`), and with it every object made
/// through it. (In Deno each isolate, the main one or a Worker, runs on a
/// thread of its own, so a terminated Worker leaves nothing behind.)
#[unsafe(no_mangle)]
pub extern "C" fn opendal_queue_new() -> Handle {
    guard(home::new_queue).unwrap_or(0.0)
}

/// Blocks until at least one submitted operation of `queue` has finished,
/// then writes up to `cap` finished tickets (`u32` LE each) into `tickets`
/// and returns how many. `timeout_ms` < 0 waits forever, 0 only looks.
/// Returns how many (0 when none finished within the timeout),
/// `OPENDAL_BAD_OUT` when `tickets` is null or `cap` is 0, or
/// `OPENDAL_CLOSED` when the queue is closed (also while waiting) or is not
/// a queue. It never blocks on bad arguments.
///
/// # Safety
/// `tickets` must point at `4 * cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_queue_wait(
    queue: Handle,
    tickets: *mut u8,
    cap: u32,
    timeout_ms: i32,
) -> i32 {
    guard(|| {
        let Ok(q) = objects::queue(queue) else {
            return Ok(status::CLOSED);
        };
        if tickets.is_null() || cap == 0 {
            return Ok(status::BAD_OUT);
        }
        let cap = cap.min(i32::MAX as u32);
        let timeout = u64::try_from(timeout_ms).ok().map(Duration::from_millis);
        let mut ready = Vec::new();
        if !q.wait(&mut ready, cap as usize, timeout) {
            return Ok(status::CLOSED);
        }
        for (i, t) in ready.iter().enumerate() {
            // SAFETY: i < cap, and the caller promised 4 * cap bytes.
            unsafe {
                std::ptr::copy_nonoverlapping(t.to_le_bytes().as_ptr(), tickets.add(i * 4), 4)
            };
        }
        Ok(ready.len() as i32)
    })
    .unwrap_or(status::CLOSED)
}

/// Writes the outcome of a finished `ticket` into `out`, with the same
/// status and record as a blocking call. The ticket is free again afterwards
/// unless the status is `HELD` or the record announces bytes to take.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_queue_outcome(
    queue: Handle,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    let Some(out) = Out::new(out, out_cap) else {
        return BAD_OUT;
    };
    let r = guard(|| {
        let q = objects::queue(queue)?;
        let outcome = q.take_done(ticket)?;
        Ok(call::deliver_outcome(&q, queue, ticket, outcome, &out))
    });
    r.unwrap_or_else(|e| call::deliver_error(&e, &out))
}

/// Copies the bytes or record held under `ticket` into `dst` and frees them.
/// `dst_len` must equal the announced size. Returns 0 or `ConfigInvalid`.
///
/// # Safety
/// `dst` must point at `dst_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_queue_take(
    queue: Handle,
    ticket: u32,
    dst: *mut u8,
    dst_len: f64,
) -> i32 {
    guard(|| {
        let q = objects::queue(queue)?;
        let len = call::length(dst_len, "destination length")?;
        let held = q.take_held(ticket)?;
        if held.len() != len || (len > 0 && dst.is_null()) {
            let size = held.len();
            q.hold(ticket, held);
            return Err(opendal::Error::new(
                ErrorKind::ConfigInvalid,
                format!("destination must be {size} bytes"),
            ));
        }
        if len > 0 {
            // SAFETY: non-null and `len` bytes long, as the caller promised.
            held.copy_into(unsafe { std::slice::from_raw_parts_mut(dst, len) });
        }
        Ok(status::OK)
    })
    .unwrap_or_else(|e| status::code_of(e.kind()))
}

/// Cancels the running operation under `ticket`: its work is dropped and its
/// outcome becomes `CANCELLED`. Returns `OPENDAL_OK` when cancelled,
/// `OPENDAL_NOT_FOUND` when nothing runs under the ticket (it finished, and
/// its outcome stands, or was never submitted), `OPENDAL_CONFIG_INVALID` for
/// a bad queue.
#[unsafe(no_mangle)]
pub extern "C" fn opendal_queue_cancel(queue: Handle, ticket: u32) -> i32 {
    guard(|| {
        Ok(match objects::queue(queue)?.cancel(ticket) {
            true => status::OK,
            false => status::NOT_FOUND,
        })
    })
    .unwrap_or_else(|e| status::code_of(e.kind()))
}

/// Frees whatever finished outcome or held data `ticket` still has, so the
/// ticket can be reused without collecting it.
#[unsafe(no_mangle)]
pub extern "C" fn opendal_queue_release(queue: Handle, ticket: u32) {
    let _ = guard(|| {
        objects::queue(queue)?.release(ticket);
        Ok(())
    });
}

/// The body of `opendal_queue_notify`: sets (or, with `None`, stops) the
/// function the queue's notifier thread calls.
pub fn notify(notify: Option<Notify>, queue: Handle, _ticket: u32) -> opendal::Result<Payload> {
    objects::queue(queue)?.set_notify(notify)?;
    Ok(Payload::Empty)
}
