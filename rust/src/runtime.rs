//! The process-wide tokio runtime that runs every operation.

use std::sync::LazyLock;

use tokio::runtime::{Builder, Runtime};

static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    // Services and the HTTP transport register once, before any operator.
    opendal::install_default();
    Builder::new_multi_thread()
        .enable_all()
        .thread_name("opendal-deno")
        .build()
        .expect("the tokio runtime must start")
});

/// The runtime, started on first use.
pub fn runtime() -> &'static Runtime {
    &RUNTIME
}
