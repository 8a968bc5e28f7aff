//! Gives memory back to the system after a burst of large results.
//!
//! glibc keeps freed memory in its arenas for reuse, and raises its mmap
//! threshold after large frees, so the buffers of many reads in flight at
//! once (and the JavaScript copies of their bytes) stay resident after
//! they are released: 2 000 reads of 64 KiB at once left ~270 MiB behind.
//! Once at least [`THRESHOLD`] bytes of results were delivered, a task
//! checks every second; after a second with no new results it asks glibc
//! to return what it holds free (`malloc_trim`). Elsewhere (macOS, musl,
//! Windows) the allocator's own policy applies.

use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::runtime::runtime;

/// Result bytes after which a quiet second triggers a trim.
const THRESHOLD: usize = 64 * 1024 * 1024;

/// Result bytes delivered since the last trim.
static DELIVERED: AtomicUsize = AtomicUsize::new(0);

/// Notes `bytes` of results handed to the caller.
pub fn delivered(bytes: usize) {
    if DELIVERED.fetch_add(bytes, Ordering::Relaxed) + bytes >= THRESHOLD {
        start();
    }
}

fn start() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        runtime().spawn(async {
            let mut seen = 0;
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let now = DELIVERED.load(Ordering::Relaxed);
                if now >= THRESHOLD && now == seen {
                    DELIVERED.store(0, Ordering::Relaxed);
                    let _ = tokio::task::spawn_blocking(release).await;
                }
                seen = DELIVERED.load(Ordering::Relaxed);
            }
        });
    });
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release() {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: glibc's malloc_trim takes any pad and only releases free memory.
    unsafe { malloc_trim(0) };
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release() {}
