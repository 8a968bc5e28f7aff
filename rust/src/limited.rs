//! Which operators have a concurrent-limit layer in them. OpenDAL gives no
//! way to ask an operator for its layers, and a read body kept open between
//! reads (`sequential.rs`) holds one of that layer's permits: under a limit
//! it would starve every other call on the operator while the reader idles.
//! So the operators made by applying that layer (or any layer over such an
//! operator) are remembered here, by their service stack.

use std::sync::{Arc, Mutex, Weak};

use opendal::Operator;
use opendal::raw::ServiceDyn;

/// The service stacks of limited operators. Weak: an operator dropped is
/// forgotten, and its allocation (so its address) stays reserved while its
/// entry exists, so no other operator is mistaken for it.
static LIMITED: Mutex<Vec<Weak<dyn ServiceDyn>>> = Mutex::new(Vec::new());

/// Remembers that `op` has a concurrent-limit layer.
pub fn remember(op: &Operator) {
    let mut limited = LIMITED.lock().unwrap_or_else(|e| e.into_inner());
    limited.retain(|w| w.strong_count() > 0);
    limited.push(Arc::downgrade(op.service()));
}

/// Whether `op` has a concurrent-limit layer.
pub fn is_limited(op: &Operator) -> bool {
    let service = Arc::as_ptr(op.service()) as *const ();
    let limited = LIMITED.lock().unwrap_or_else(|e| e.into_inner());
    limited.iter().any(|w| w.as_ptr() as *const () == service)
}
