//! Releasing native objects and counting them.

use crate::call::guard;
use crate::handles::Handle;
use crate::objects::{self, OBJECTS};
use crate::status;

/// Releases the object behind `handle` (any kind). Operations already running
/// on it finish first: they hold their own reference. A writer that was
/// neither closed nor aborted is aborted, never committed. Closing a queue
/// aborts its running work, drops its uncollected results, and releases
/// every object made through it.
///
/// Returns 0, or the `ConfigInvalid` code when the handle is not alive or
/// belongs to another instance of the library (closing twice is harmless
/// and reports that).
#[unsafe(no_mangle)]
pub extern "C" fn opendal_close(handle: Handle) -> i32 {
    guard(|| {
        Ok(match objects::close(handle) {
            Ok(()) => status::OK,
            Err(_) => status::code_of(opendal::ErrorKind::ConfigInvalid),
        })
    })
    .unwrap_or_else(|e| status::code_of(e.kind()))
}

/// How many native objects are alive: a diagnostic for leak tests.
#[unsafe(no_mangle)]
pub extern "C" fn opendal_handle_count() -> f64 {
    OBJECTS.live() as f64
}
