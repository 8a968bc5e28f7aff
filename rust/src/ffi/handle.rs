//! Releasing native objects, counting them, and the instance they belong to.

use crate::call::guard;
use crate::handles::Handle;
use crate::objects::{OBJECTS, Object, SharedWriter};
use crate::runtime::runtime;
use crate::status;

/// Releases the object behind `handle` (any kind). Operations already running
/// on it finish first: they hold their own reference. A writer that was
/// neither closed nor aborted is aborted, never committed.
///
/// Returns 0, or the `ConfigInvalid` code when the handle is not alive or
/// belongs to another instance of the library (closing twice is harmless
/// and reports that).
#[unsafe(no_mangle)]
pub extern "C" fn opendal_close(handle: Handle) -> i32 {
    guard(|| {
        Ok(match OBJECTS.remove(handle) {
            Ok(Object::Queue(q)) => {
                q.close();
                status::OK
            }
            Ok(Object::Writer(w)) => {
                abandon(w);
                status::OK
            }
            Ok(_) => status::OK,
            Err(_) => status::code_of(opendal::ErrorKind::ConfigInvalid),
        })
    })
    .unwrap_or_else(|e| status::code_of(e.kind()))
}

/// A writer released before `close` or `abort` (dropped by its owner): abort
/// it in the background, so a multipart upload does not linger where the
/// service can abort one. Nothing was committed either way.
fn abandon(w: SharedWriter) {
    runtime().spawn(async move {
        if let Some(mut writer) = w.lock().await.take() {
            let _ = writer.abort().await;
        }
    });
}

/// How many native objects are alive: a diagnostic for leak tests.
#[unsafe(no_mangle)]
pub extern "C" fn opendal_handle_count() -> f64 {
    OBJECTS.live() as f64
}

/// This library instance's tag, drawn at random when it loaded: bits 32 to
/// 52 of every handle it makes. Two loaded copies of the library (another
/// version, another file) have different tags and refuse each other's
/// handles.
#[unsafe(no_mangle)]
pub extern "C" fn opendal_instance() -> f64 {
    OBJECTS.tag() as f64
}
