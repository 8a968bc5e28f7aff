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
//!
//! An object is a root or belongs to one (its owner): removing a root also
//! removes everything it owns, under the same lock, and an object whose
//! owner is gone is refused.

use std::collections::VecDeque;
use std::hash::{BuildHasher, RandomState};
use std::sync::RwLock;

/// A handle: a whole number below 2^53 carried as a double. Bits 0..20
/// index a slot, bits 20..32 hold the slot's generation and bits 32..53 the
/// tag of the library instance that made it; every call refuses a handle
/// that is closed, stale, forged or another instance's.
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

/// Why an object could not be stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Every slot is taken.
    Full,
    /// Its owner was removed (or never existed).
    OwnerGone,
}

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
    /// The owner's handle bits; 0 for a root.
    owner: u64,
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

    /// Stores `value`, a root (`owner` is `None`) or an object of the live
    /// `owner`, and returns its handle.
    pub fn insert(&self, value: T, owner: Option<Handle>) -> Result<Handle, Refused> {
        let mut t = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let owner = match owner {
            None => 0,
            Some(h) => match self.split(h) {
                Ok((i, g)) if t.slots.get(i).is_some_and(|s| s.generation == g && s.value.is_some()) => h as u64,
                _ => return Err(Refused::OwnerGone),
            },
        };
        let index = if t.free.len() > REUSE_AFTER || t.slots.len() >= CAPACITY {
            t.free.pop_front().ok_or(Refused::Full)?
        } else {
            t.slots.push(Slot {
                generation: 0,
                owner: 0,
                value: None,
            });
            (t.slots.len() - 1) as u32
        };
        let slot = &mut t.slots[index as usize];
        // Generations run 1..GENERATION_LIMIT: never 0, so no handle is 0.
        slot.generation = slot.generation % (GENERATION_LIMIT - 1) + 1;
        slot.owner = owner;
        slot.value = Some(value);
        let bits = (self.tag << TAG_SHIFT) | ((slot.generation as u64) << INDEX_BITS) | index as u64;
        t.live += 1;
        Ok(bits as f64)
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

    /// Removes and returns the object behind `handle`, if it is alive, and
    /// when it is a root every object it owns. (Drop them after the call:
    /// not under the table's lock.)
    pub fn remove(&self, handle: Handle) -> Result<(T, Vec<T>), Miss> {
        let (index, generation) = self.split(handle)?;
        let mut t = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let (value, root) = match t.slots.get_mut(index) {
            Some(slot) if slot.generation == generation => {
                (slot.value.take().ok_or(Miss::Dead)?, slot.owner == 0)
            }
            _ => return Err(Miss::Dead),
        };
        t.free.push_back(index as u32);
        t.live -= 1;
        let mut owned = Vec::new();
        if root {
            // Rare (a queue closing), so a scan of every slot is fine.
            let owner = handle as u64;
            let Slots { slots, free, live } = &mut *t;
            for (i, slot) in slots.iter_mut().enumerate() {
                if slot.owner == owner
                    && let Some(v) = slot.value.take()
                {
                    free.push_back(i as u32);
                    *live -= 1;
                    owned.push(v);
                }
            }
        }
        Ok((value, owned))
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
        let h = t.insert(7u8, None).unwrap();
        assert_ne!(h, 0.0);
        assert_eq!(t.get(0.0), Err(Miss::Foreign));
        assert_eq!(t.get(h), Ok(7));
    }

    #[test]
    fn handles_are_exact_doubles_carrying_the_tag() {
        let t = Table::new((1 << TAG_BITS) - 1);
        let h = t.insert(1u8, None).unwrap();
        assert!(h < 9_007_199_254_740_992.0, "below 2^53: {h}");
        assert_eq!(h as u64 >> TAG_SHIFT, (1 << TAG_BITS) - 1);
        assert_eq!(h.fract(), 0.0);
    }

    #[test]
    fn removed_handles_are_stale() {
        let t = Table::new(TAG);
        let h = t.insert(1u32, None).unwrap();
        assert_eq!(t.remove(h), Ok((1, vec![])));
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
            let h = t.insert(i, None).unwrap();
            old.push(h);
            assert_eq!(t.remove(h), Ok((i, vec![])));
        }
        let current = t.insert(u32::MAX, None).unwrap();
        for h in old {
            assert_ne!(h, current, "a stale handle must not alias a live one");
            assert_eq!(t.get(h), Err(Miss::Dead));
        }
        assert_eq!(t.get(current), Ok(u32::MAX));
    }

    #[test]
    fn forged_handles_are_rejected() {
        let t = Table::new(TAG);
        let h = t.insert("x", None).unwrap();
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
        let a = ours.insert("ours", None).unwrap();
        let b = theirs.insert("theirs", None).unwrap();
        assert_eq!(a as u64 & ((1 << TAG_SHIFT) - 1), b as u64 & ((1 << TAG_SHIFT) - 1));
        assert_eq!(ours.get(b), Err(Miss::Foreign));
        assert_eq!(theirs.get(a), Err(Miss::Foreign));
        assert_eq!(ours.remove(b), Err(Miss::Foreign));
        assert_eq!(theirs.get(b), Ok("theirs"));
    }

    #[test]
    fn removing_a_root_removes_what_it_owns() {
        let t = Table::new(TAG);
        let root = t.insert("queue", None).unwrap();
        let other = t.insert("other queue", None).unwrap();
        let a = t.insert("a", Some(root)).unwrap();
        let b = t.insert("b", Some(root)).unwrap();
        let c = t.insert("c", Some(other)).unwrap();
        assert_eq!(t.remove(a), Ok(("a", vec![])), "an owned object is no root");
        let (value, mut owned) = t.remove(root).unwrap();
        owned.sort();
        assert_eq!((value, owned), ("queue", vec!["b"]));
        assert_eq!(t.get(b), Err(Miss::Dead));
        assert_eq!(t.get(c), Ok("c"), "another root's objects stay");
        assert_eq!(t.live(), 2);
    }

    #[test]
    fn an_object_of_a_removed_owner_is_refused() {
        let t = Table::new(TAG);
        let root = t.insert(1u8, None).unwrap();
        t.remove(root).unwrap();
        assert_eq!(t.insert(2, Some(root)), Err(Refused::OwnerGone));
        assert_eq!(t.insert(2, Some(0.0)), Err(Refused::OwnerGone));
        // Its slot reused by a new root: the old owner handle is still gone.
        for _ in 0..=REUSE_AFTER {
            let h = t.insert(0, None).unwrap();
            t.remove(h).unwrap();
        }
        assert_eq!(t.insert(2, Some(root)), Err(Refused::OwnerGone));
        assert_eq!(t.live(), 0);
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
                        let h = t.insert(v, None).unwrap();
                        assert_eq!(t.get(h), Ok(v));
                        assert_eq!(t.remove(h), Ok((v, vec![])));
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
