//! The body of the lister export (skeleton in `ffi/exports.rs`, doc in
//! `abi.rs`): entries in batches.

use std::time::Duration;

use futures::StreamExt;
use tokio::time::{Instant, timeout_at};

use crate::handles::Handle;
use crate::objects;
use crate::operations::Work;
use crate::output::Payload;
use opendal::Result;

/// How long an asynchronous batch keeps collecting after its first entry:
/// long enough to fill batches from a service that yields about one entry
/// per wake-up (fs goes through a thread pool for each), short enough that a
/// consumer sees entries promptly.
const BATCH_BUDGET: Duration = Duration::from_millis(1);

/// Waits for the first entry; a blocking call (ticket 0) then fills the
/// batch, an asynchronous one collects more for at most `BATCH_BUDGET`.
pub(crate) fn next(
    lister: Handle,
    max: u32,
    _queue: Handle,
    ticket: u32,
) -> Result<impl Work + use<>> {
    let l = objects::lister(lister)?;
    let max = max.max(1) as usize;
    Ok(async move {
        let mut l = l.lock().await;
        let mut entries = Vec::new();
        let mut done = false;
        match l.next().await {
            None => done = true,
            Some(e) => entries.push(e?),
        }
        let deadline = (ticket != 0).then(|| Instant::now() + BATCH_BUDGET);
        while !done && entries.len() < max {
            // A lister's `next` is cancel-safe: a timed-out wait loses nothing.
            let next = match deadline {
                None => l.next().await,
                Some(at) => match timeout_at(at, l.next()).await {
                    Ok(next) => next,
                    Err(_) => break,
                },
            };
            match next {
                Some(e) => entries.push(e?),
                None => done = true,
            }
        }
        Ok(Payload::Entries { entries, done })
    })
}
