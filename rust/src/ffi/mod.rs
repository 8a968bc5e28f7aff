//! The exported C functions, one file per object kind.
//!
//! Conventions shared by every function (see `include/opendal_deno.h`):
//! inputs arrive as one tagged byte buffer (`input.rs`), byte counts and
//! offsets as `double`, and every result as a status plus a record written
//! into `out` (`output.rs`). `queue`/`ticket` choose blocking (ticket 0) or
//! asynchronous execution (`call.rs`).

pub mod deleter;
pub mod handle;
pub mod layer;
pub mod library;
pub mod lister;
pub mod log;
pub mod operations;
pub mod operator;
pub mod queue;
pub mod reader;
pub mod writer;
