//! The native library behind `@opendal/core`: Apache OpenDAL behind a flat C
//! API that Deno reaches through FFI (and any C program can link).
//!
//! One library owns the tokio runtime, the service registry and every native
//! object (operators, readers, writers, listers, deleters, copiers,
//! composers, layers, queues), each addressed by a generation-checked handle
//! from one table that names this loaded instance of the library. Every
//! object belongs to the queue it was made through, and a queue to the thread
//! that made it: a thread that exits (a terminated Deno Worker) leaves
//! nothing behind. Every exported function catches panics and validates its
//! inputs; errors come back in-band with each call.

mod appended;
mod call;
mod classify;
pub mod codes;
pub mod ffi;
mod handles;
// Hostile calls against every export, through the C API only.
#[cfg(test)]
mod hostile;
mod home;
mod input;
mod layers;
mod limited;
mod logs;
mod names;
mod objects;
mod operations;
mod options;
mod output;
mod queue;
mod ranges;
mod redact;
mod report;
mod runtime;
mod service_list;
mod services;
mod staged;
mod sweep;
mod same_object;
mod sequential;
mod trim;
pub mod status;
mod unsupported;
