//! The native library behind `@opendal/core`: Apache OpenDAL behind a flat C
//! API that Deno reaches through FFI (and any C program can link).
//!
//! One library owns the tokio runtime, the service registry and every native
//! object (operators, readers, writers, listers, queues), each addressed by a
//! generation-checked handle from one table. Every exported function catches
//! panics and validates its inputs; errors come back in-band with each call.

mod call;
mod classify;
pub mod ffi;
mod handles;
mod input;
mod layers;
mod logs;
mod objects;
mod output;
mod queue;
mod ranges;
mod redact;
mod report;
mod runtime;
pub mod status;
mod unsupported;
