//! The one handle table that owns every native object.
//!
//! A handle is a whole number below 2^53, carried as a C `double`: JavaScript
//! holds it exactly and passes it on Deno's FFI fast path. Its bits:
//!
//! - 0..20: the slot's index;
//! - 20..32: the slot's generation, bumped each time the slot is reused;
//! - 32..53: the tag of the library instance that made it, drawn at random
//!   when the library loads.
//!
//! A lookup compares all three, so a closed, stale or forged handle, or one
//! made by another loaded copy of the library (another version, another
//! file, an earlier load), never reaches an object of this one and fails
//! cleanly. Freed slots are reused oldest first and only once
//! [`REUSE_AFTER`] of them are free, so a generation comes round again only
//! after millions of reuses.

use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};
use std::sync::RwLock;

/// A handle as the C API passes it (see the module documentation).
pub type Handle = f64;

/// Bits of a handle that index the slot.
pub(crate) const INDEX_BITS: u32 = 20;
const INDEX_MASK: u64 = (1 << INDEX_BITS) - 1;
const GENERATION_BITS: u32 = 12;
const GENERATION_LIMIT: u32 = 1 << GENERATION_BITS;
/// Where the instance tag starts.
const TAG_SHIFT: u32 = INDEX_BITS + GENERATION_BITS;
/// Bits of the instance tag: what is left below 2^53.
const TAG_BITS: u32 = 53 - TAG_SHIFT;
/// Freed slots kept aside before the oldest is reused.
pub(crate) const REUSE_AFTER: usize = 1024;
/// The most objects alive at once.
pub(crate) const CAPACITY: usize = 1 << INDEX_BITS;

/// Why a handle names no object of this table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Miss {
    /// Made by another instance of the library (or not a handle at all).
    Foreign,
    /// This instance's, but closed, stale or never issued.
    Dead,
}

/// A random instance tag in `1..2^TAG_BITS`: std's `RandomState` is seeded
/// from the operating system's random source.
pub fn random_tag() -> u64 {
    let tag = RandomState::new().hash_one(std::process::id()) & ((1 << TAG_BITS) - 1);
    tag.max(1)
}

struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

struct Slots<T> {
    slots: Vec<Slot<T>>,
    free: VecDeque<u32>,
    live: usize,
}

/// A table of objects addressed by generation-checked, instance-tagged handles.
pub struct Table<T> {
    tag: u64,
    inner: RwLock<Slots<T>>,
}

impl<T: Clone> Table<T> {
    /// An empty table whose handles carry `tag` (`1..2^21`).
    pub const fn new(tag: u64) -> Self {
        Self {
            tag,
            inner: RwLock::new(Slots {
                slots: Vec::new(),
                free: VecDeque::new(),
                live: 0,
            }),
        }
    }

    /// The instance tag every handle of this table carries.
    pub fn tag(&self) -> u64 {
        self.tag
    }

    /// The slot index and generation of `handle`, if it is one of ours.
    fn split(&self, handle: Handle) -> Result<(usize, u32), Miss> {
        let bits = handle as u64;
        // NaN, fractions, negatives and numbers past 2^64 fail the round trip.
        if bits as f64 != handle || bits >> TAG_SHIFT != self.tag {
            return Err(Miss::Foreign);
        }
        let index = (bits & INDEX_MASK) as usize;
        let generation = ((bits >> INDEX_BITS) as u32) & (GENERATION_LIMIT - 1);
        Ok((index, generation))
    }

    /// Stores `value` and returns its handle, or `None` when the table is full.
    pub fn insert(&self, value: T) -> Option<Handle> {
        let mut t = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let index = if t.free.len() > REUSE_AFTER || t.slots.len() >= CAPACITY {
            t.free.pop_front()?
        } else {
            t.slots.push(Slot {
                generation: 0,
                value: None,
            });
            (t.slots.len() - 1) as u32
        };
        let slot = &mut t.slots[index as usize];
        // Generations run 1..GENERATION_LIMIT: never 0, so no handle is 0.
        slot.generation = slot.generation % (GENERATION_LIMIT - 1) + 1;
        slot.value = Some(value);
        let bits = (self.tag << TAG_SHIFT) | ((slot.generation as u64) << INDEX_BITS) | index as u64;
        t.live += 1;
        Some(bits as f64)
    }

    /// A clone of the object behind `handle`, if it is alive.
    pub fn get(&self, handle: Handle) -> Result<T, Miss> {
        let (index, generation) = self.split(handle)?;
        let t = self.inner.read().unwrap_or_else(|e| e.into_inner());
        match t.slots.get(index) {
            Some(slot) if slot.generation == generation => slot.value.clone().ok_or(Miss::Dead),
            _ => Err(Miss::Dead),
        }
    }

    /// Removes and returns the object behind `handle`, if it is alive.
    pub fn remove(&self, handle: Handle) -> Result<T, Miss> {
        let (index, generation) = self.split(handle)?;
        let mut t = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let value = match t.slots.get_mut(index) {
            Some(slot) if slot.generation == generation => slot.value.take().ok_or(Miss::Dead)?,
            _ => return Err(Miss::Dead),
        };
        t.free.push_back(index as u32);
        t.live -= 1;
        Ok(value)
    }

    /// How many objects are alive.
    pub fn live(&self) -> usize {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).live
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const TAG: u64 = 0x1_2345;

    #[test]
    fn handle_zero_is_never_valid() {
        let t = Table::new(TAG);
        let h = t.insert(7u8).unwrap();
        assert_ne!(h, 0.0);
        assert_eq!(t.get(0.0), Err(Miss::Foreign));
        assert_eq!(t.get(h), Ok(7));
    }

    #[test]
    fn handles_are_exact_doubles_carrying_the_tag() {
        let t = Table::new((1 << TAG_BITS) - 1);
        let h = t.insert(1u8).unwrap();
        assert!(h < 9_007_199_254_740_992.0, "below 2^53: {h}");
        assert_eq!(h as u64 >> TAG_SHIFT, (1 << TAG_BITS) - 1);
        assert_eq!(h.fract(), 0.0);
    }

    #[test]
    fn removed_handles_are_stale() {
        let t = Table::new(TAG);
        let h = t.insert(1u32).unwrap();
        assert_eq!(t.remove(h), Ok(1));
        assert_eq!(t.get(h), Err(Miss::Dead));
        assert_eq!(t.remove(h), Err(Miss::Dead), "double close is harmless");
        assert_eq!(t.live(), 0);
    }

    #[test]
    fn reused_slots_get_new_generations() {
        let t = Table::new(TAG);
        let mut old = Vec::new();
        // Enough churn that slots are reused many times over.
        for i in 0..(REUSE_AFTER as u32 * 20) {
            let h = t.insert(i).unwrap();
            old.push(h);
            assert_eq!(t.remove(h), Ok(i));
        }
        let current = t.insert(u32::MAX).unwrap();
        for h in old {
            assert_ne!(h, current, "a stale handle must not alias a live one");
            assert_eq!(t.get(h), Err(Miss::Dead));
        }
        assert_eq!(t.get(current), Ok(u32::MAX));
    }

    #[test]
    fn forged_handles_are_rejected() {
        let t = Table::new(TAG);
        let h = t.insert("x").unwrap();
        let bits = h as u64;
        for (forged, miss) in [
            ((bits ^ 1) as f64, Miss::Dead),
            ((bits + (1 << INDEX_BITS)) as f64, Miss::Dead),
            ((bits & ((1 << TAG_SHIFT) - 1)) as f64, Miss::Foreign),
            (h + 0.5, Miss::Foreign),
            (-h, Miss::Foreign),
            (f64::NAN, Miss::Foreign),
            (f64::INFINITY, Miss::Foreign),
            (u32::MAX as f64, Miss::Foreign),
        ] {
            assert_eq!(t.get(forged), Err(miss), "forged {forged}");
        }
    }

    #[test]
    fn another_instance_never_resolves_our_handles() {
        let ours = Table::new(TAG);
        let theirs = Table::new(TAG + 1);
        // Same slot, same generation: only the tag differs.
        let a = ours.insert("ours").unwrap();
        let b = theirs.insert("theirs").unwrap();
        assert_eq!(a as u64 & ((1 << TAG_SHIFT) - 1), b as u64 & ((1 << TAG_SHIFT) - 1));
        assert_eq!(ours.get(b), Err(Miss::Foreign));
        assert_eq!(theirs.get(a), Err(Miss::Foreign));
        assert_eq!(ours.remove(b), Err(Miss::Foreign));
        assert_eq!(theirs.get(b), Ok("theirs"));
    }

    #[test]
    fn random_tags_fit_and_are_never_zero() {
        for _ in 0..1000 {
            let tag = random_tag();
            assert!((1..1 << TAG_BITS).contains(&tag), "{tag}");
        }
    }

    #[test]
    fn concurrent_insert_get_remove() {
        let t = Arc::new(Table::new(TAG));
        let threads: Vec<_> = (0..8u32)
            .map(|n| {
                let t = t.clone();
                std::thread::spawn(move || {
                    for i in 0..5_000u32 {
                        let v = n * 1_000_000 + i;
                        let h = t.insert(v).unwrap();
                        assert_eq!(t.get(h), Ok(v));
                        assert_eq!(t.remove(h), Ok(v));
                        assert_eq!(t.get(h), Err(Miss::Dead));
                    }
                })
            })
            .collect();
        for th in threads {
            th.join().unwrap();
        }
        assert_eq!(t.live(), 0);
    }
}
