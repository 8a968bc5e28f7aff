//! A bare small read for `bench/floor.ts`: OpenDAL's ranged read of one
//! memory file into the caller's buffer, on a runtime built as the
//! library builds its own, with none of the library's bookkeeping (no
//! handle table, no input decoding, no result record, no panic guard).
//! Measurement code only: it trusts its caller.

use std::sync::OnceLock;
use std::time::Instant;

use opendal::Operator;
use opendal::options::ReadOptions;
use opendal::services::Memory;
use tokio::runtime::{Builder, Runtime};

struct Floor {
    runtime: Runtime,
    op: Operator,
}

/// Made by the first `floor_init`; `None` if that failed.
static FLOOR: OnceLock<Option<Floor>> = OnceLock::new();

const PATH: &str = "p";

/// Writes `size` bytes at the path every read reads (a new size replaces
/// the last). Call first.
#[unsafe(no_mangle)]
pub extern "C" fn floor_init(size: f64) -> bool {
    let made = || -> Option<Floor> {
        let runtime = Builder::new_multi_thread().enable_all().build().ok()?;
        let op = Operator::new(Memory::default()).ok()?;
        Some(Floor { runtime, op })
    };
    let Some(floor) = FLOOR.get_or_init(made) else {
        return false;
    };
    let data = vec![1u8; size as usize];
    floor.runtime.block_on(floor.op.write(PATH, data)).is_ok()
}

/// What the library does for `readIntoSync`, and nothing else: a read
/// bounded by the buffer, blocking on the caller's thread, copied in.
fn read_into(floor: &Floor, dst: &mut [u8]) -> usize {
    let opts = ReadOptions {
        range: (0..dst.len() as u64).into(),
        ..Default::default()
    };
    let Ok(buf) = floor.runtime.block_on(floor.op.read_options(PATH, opts)) else {
        return 0;
    };
    let mut at = 0;
    for chunk in buf {
        let n = chunk.len().min(dst.len() - at);
        dst[at..at + n].copy_from_slice(&chunk[..n]);
        at += n;
    }
    at
}

/// The floor and the caller's buffer, or `None` before a good `floor_init`.
///
/// # Safety
/// `dst` must be `len` writable bytes for the call.
unsafe fn ready<'a>(dst: *mut u8, len: f64) -> Option<(&'static Floor, &'a mut [u8])> {
    let floor = FLOOR.get()?.as_ref()?;
    // SAFETY: the caller's promise above.
    Some((floor, unsafe {
        std::slice::from_raw_parts_mut(dst, len as usize)
    }))
}

/// One read into `dst` (`len` bytes); returns the bytes read, or -1 before
/// a good `floor_init`.
///
/// # Safety
/// `dst` must be `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn floor_read_into(dst: *mut u8, len: f64) -> f64 {
    // SAFETY: the caller's promise above.
    match unsafe { ready(dst, len) } {
        Some((floor, dst)) => read_into(floor, dst) as f64,
        None => -1.0,
    }
}

/// `count` reads in a Rust loop (raw Rust, in this process); returns
/// nanoseconds per read, or -1 before a good `floor_init`.
///
/// # Safety
/// As [`floor_read_into`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn floor_loop(count: f64, dst: *mut u8, len: f64) -> f64 {
    // SAFETY: the caller's promise above.
    let Some((floor, dst)) = (unsafe { ready(dst, len) }) else {
        return -1.0;
    };
    let start = Instant::now();
    for _ in 0..count as u64 {
        std::hint::black_box(read_into(floor, dst));
    }
    start.elapsed().as_nanos() as f64 / count
}
