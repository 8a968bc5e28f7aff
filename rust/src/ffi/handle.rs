//! Releasing native objects and counting them.

use crate::call::guard;
use crate::objects::{OBJECTS, Object};
use crate::status;

/// Releases the object behind `handle` (any kind). Operations already running
/// on it finish first: they hold their own reference.
///
/// Returns 0, or the `ConfigInvalid` code when the handle is not alive
/// (closing twice is harmless and reports that).
#[unsafe(no_mangle)]
pub extern "C" fn opendal_close(handle: u32) -> i32 {
    guard(|| {
        Ok(match OBJECTS.remove(handle) {
            Some(Object::Queue(q)) => {
                q.close();
                status::OK
            }
            Some(_) => status::OK,
            None => status::code_of(opendal::ErrorKind::ConfigInvalid),
        })
    })
    .unwrap_or_else(|e| status::code_of(e.kind()))
}

/// How many native objects are alive: a diagnostic for leak tests.
#[unsafe(no_mangle)]
pub extern "C" fn opendal_handle_count() -> f64 {
    OBJECTS.live() as f64
}
