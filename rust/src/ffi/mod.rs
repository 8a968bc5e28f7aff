//! The exported C functions. `exports.rs` (generated from `abi.rs`) holds
//! every export with the shared tail; the other files hold their bodies,
//! one file per object kind, and the exports without the tail.
//!
//! Conventions shared by every function (see `include/opendal_deno.h`):
//! inputs arrive as one tagged byte buffer (`input.rs`), byte counts and
//! offsets as `double`, and every result as a status plus a record written
//! into `out` (`output.rs`). `queue`/`ticket` choose blocking (ticket 0) or
//! asynchronous execution (`call.rs`).

pub mod composer;
pub mod copier;
pub mod deleter;
pub mod exports;
pub mod handle;
pub mod layer;
pub mod library;
pub mod lister;
pub mod log;
pub mod operator;
pub mod queue;
pub mod reader;
pub mod writer;
