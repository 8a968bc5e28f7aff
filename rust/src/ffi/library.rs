//! What identifies this loaded library: the version of its C boundary, and
//! the instance tag its handles carry.

use std::sync::OnceLock;

use crate::objects::OBJECTS;

/// The version of the C boundary: bumped by any change to the header (a
/// function, a constant, a record layout). Two copies of `@opendal/core`
/// share one loaded library only when their ABI versions are equal.
pub const ABI_VERSION: u32 = 5;

/// [`ABI_VERSION`] after a marker, in the library file: a test copies the
/// file and rewrites the number to get a library of another ABI version
/// without a second build.
#[repr(C)]
struct AbiStamp {
    marker: [u8; 16],
    version: u32,
}

#[used]
static ABI_STAMP: AbiStamp = AbiStamp {
    marker: *b"opendal-deno-abi",
    version: ABI_VERSION,
};

/// This library's ABI version (`OPENDAL_ABI_VERSION` when it was built).
#[unsafe(no_mangle)]
pub extern "C" fn opendal_abi_version() -> u32 {
    // Read from the file's bytes, not folded into the code.
    // SAFETY: a valid, aligned, immutable static.
    unsafe { std::ptr::read_volatile(&raw const ABI_STAMP.version) }
}

/// This library instance's tag, drawn at random when it loaded: bits 32 to
/// 52 of every handle it makes. Two loaded copies of the library (another
/// version, another file, another load) have different tags and refuse each
/// other's handles.
#[unsafe(no_mangle)]
pub extern "C" fn opendal_instance() -> f64 {
    OBJECTS.tag() as f64
}

/// The names of the services this library was built with, sorted and
/// comma-separated (`fs,memory,s3`), as UTF-8 in `out`: the first
/// `out_cap` bytes of it. Returns its whole length, so a caller whose
/// buffer was too small can call again with one big enough.
///
/// # Safety
/// `out` must point at `out_cap` writable bytes, or be null (then nothing
/// is written, whatever `out_cap` says).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opendal_services(out: *mut u8, out_cap: u32) -> u32 {
    static TEXT: OnceLock<String> = OnceLock::new();
    let text = TEXT.get_or_init(|| crate::service_list::built().join(","));
    let n = text.len().min(out_cap as usize);
    if n > 0 && !out.is_null() {
        // SAFETY: the caller guarantees `out_cap` writable bytes at `out`.
        unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), out, n) };
    }
    text.len() as u32
}
