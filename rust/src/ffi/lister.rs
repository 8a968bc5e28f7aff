//! Lister functions: entries in batches.

use futures::{FutureExt, StreamExt};

use crate::call::run;
use crate::objects;
use crate::output::Payload;

/// Returns up to `max` entries (at least 1 unless the listing is done). It
/// waits for the first entry only, then takes what is ready without waiting,
/// so a consumer sees entries as soon as the service sends them. Record:
/// count, done flag, then (path, name, metadata) per entry.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_lister_next(
    lister: u32,
    max: u32,
    queue: u32,
    ticket: u32,
    out: *mut u8,
    out_cap: u32,
) -> i32 {
    run(queue, ticket, out, out_cap, || {
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
            while !done && entries.len() < max {
                match l.next().now_or_never() {
                    Some(Some(e)) => entries.push(e?),
                    Some(None) => done = true,
                    None => break,
                }
            }
            Ok(Payload::Entries { entries, done })
        })
    })
}
