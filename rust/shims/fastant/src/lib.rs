//! The part of `fastant`'s API that foyer-storage uses (`Instant::now`,
//! `duration_since`, and `Atomic` with `atomic`), over `std::time::Instant`.
//!
//! Why this exists: crates.io's `fastant` calibrates the TSC in a library
//! constructor, busy-looping for at least 20 ms of CPU every time the
//! library is loaded, whether or not a foyer operator is ever made. foyer
//! only reads the clock to throttle its disk statistics, where
//! `std::time::Instant` (a vDSO call) is fast enough.

use std::ops::Sub;
use std::sync::OnceLock;
use std::time::Duration;

/// A monotonic instant: nanoseconds since the first one this process took.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(u64);

fn origin() -> std::time::Instant {
    static ORIGIN: OnceLock<std::time::Instant> = OnceLock::new();
    *ORIGIN.get_or_init(std::time::Instant::now)
}

impl Instant {
    /// Now.
    pub fn now() -> Instant {
        let nanos = origin().elapsed().as_nanos();
        Instant(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// Time from `earlier` to `self`; zero if `earlier` is later.
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    /// Time since `self`.
    pub fn elapsed(&self) -> Duration {
        Instant::now().duration_since(*self)
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;

    fn sub(self, earlier: Instant) -> Duration {
        self.duration_since(earlier)
    }
}

#[cfg(feature = "atomic")]
pub use atomic::Atomic;

#[cfg(feature = "atomic")]
mod atomic {
    use super::Instant;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// An `Instant` that threads can load and store.
    #[derive(Debug, Default)]
    pub struct Atomic(AtomicU64);

    impl Atomic {
        /// Holds `v`.
        pub fn new(v: Instant) -> Self {
            Atomic(AtomicU64::new(v.0))
        }

        /// The instant held.
        pub fn load(&self, order: Ordering) -> Instant {
            Instant(self.0.load(order))
        }

        /// Holds `val` from now on.
        pub fn store(&self, val: Instant, order: Ordering) {
            self.0.store(val.0, order)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn instants_move_forward() {
        let a = Instant::now();
        std::thread::sleep(Duration::from_millis(2));
        let b = Instant::now();
        assert!(b.duration_since(a) >= Duration::from_millis(2));
        assert_eq!(a.duration_since(b), Duration::ZERO);
        assert!(a.elapsed() >= Duration::from_millis(2));
    }

    #[cfg(feature = "atomic")]
    #[test]
    fn atomic_holds_what_was_stored() {
        let a = Atomic::new(Instant::now());
        let later = Instant::now();
        a.store(later, Ordering::Relaxed);
        assert_eq!(a.load(Ordering::Relaxed), later);
    }
}
