//! What identifies this loaded library: the version of its C boundary, and
//! the instance tag its handles carry.

use crate::objects::OBJECTS;

/// The version of the C boundary: bumped by any change to the header (a
/// function, a constant, a record layout). Two copies of `@opendal/core`
/// share one loaded library only when their ABI versions are equal.
pub const ABI_VERSION: u32 = 2;

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
