//! The one handle table that owns every native object.
//!
//! A handle is a `u32`: the low [`INDEX_BITS`] bits index a slot, the high
//! bits carry the slot's generation. Removing an object bumps the generation,
//! so a closed, stale or forged handle never reaches another object: lookups
//! compare both parts and fail cleanly. Freed slots are reused oldest first
//! and only once [`REUSE_AFTER`] of them are free, so a generation comes
//! round again only after millions of reuses.

use std::collections::VecDeque;
use std::sync::RwLock;

/// Bits of a handle that index the slot.
pub(crate) const INDEX_BITS: u32 = 20;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
const GENERATION_LIMIT: u32 = 1 << (32 - INDEX_BITS);
/// Freed slots kept aside before the oldest is reused.
pub(crate) const REUSE_AFTER: usize = 1024;
/// The most objects alive at once.
pub(crate) const CAPACITY: usize = 1 << INDEX_BITS;

struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

struct Slots<T> {
    slots: Vec<Slot<T>>,
    free: VecDeque<u32>,
    live: usize,
}

/// A table of objects addressed by generation-checked handles.
pub struct Table<T> {
    inner: RwLock<Slots<T>>,
}

impl<T: Clone> Default for Table<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone> Table<T> {
    /// An empty table.
    pub const fn new() -> Self {
        Self {
            inner: RwLock::new(Slots {
                slots: Vec::new(),
                free: VecDeque::new(),
                live: 0,
            }),
        }
    }

    /// Stores `value` and returns its handle, or `None` when the table is full.
    pub fn insert(&self, value: T) -> Option<u32> {
        let mut t = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let index = if t.free.len() > REUSE_AFTER || t.slots.len() >= CAPACITY {
            t.free.pop_front()?
        } else {
            // Index 0 with generation 0 would be handle 0, which stays invalid
            // because generations start at 1.
            t.slots.push(Slot {
                generation: 0,
                value: None,
            });
            (t.slots.len() - 1) as u32
        };
        let slot = &mut t.slots[index as usize];
        slot.generation = slot.generation % (GENERATION_LIMIT - 1) + 1;
        slot.value = Some(value);
        let handle = (slot.generation << INDEX_BITS) | index;
        t.live += 1;
        Some(handle)
    }

    /// A clone of the object behind `handle`, if it is alive.
    pub fn get(&self, handle: u32) -> Option<T> {
        let t = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let slot = t.slots.get((handle & INDEX_MASK) as usize)?;
        if slot.generation != handle >> INDEX_BITS {
            return None;
        }
        slot.value.clone()
    }

    /// Removes and returns the object behind `handle`, if it is alive.
    pub fn remove(&self, handle: u32) -> Option<T> {
        let mut t = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let index = handle & INDEX_MASK;
        let slot = t.slots.get_mut(index as usize)?;
        if slot.generation != handle >> INDEX_BITS {
            return None;
        }
        let value = slot.value.take()?;
        t.free.push_back(index);
        t.live -= 1;
        Some(value)
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

    #[test]
    fn handle_zero_is_never_valid() {
        let t = Table::new();
        let h = t.insert(7u8).unwrap();
        assert_ne!(h, 0);
        assert_eq!(t.get(0), None);
        assert_eq!(t.get(h), Some(7));
    }

    #[test]
    fn removed_handles_are_stale() {
        let t = Table::new();
        let h = t.insert(1u32).unwrap();
        assert_eq!(t.remove(h), Some(1));
        assert_eq!(t.get(h), None);
        assert_eq!(t.remove(h), None, "double close is harmless");
        assert_eq!(t.live(), 0);
    }

    #[test]
    fn reused_slots_get_new_generations() {
        let t = Table::new();
        let mut old = Vec::new();
        // Enough churn that slots are reused many times over.
        for i in 0..(REUSE_AFTER as u32 * 20) {
            let h = t.insert(i).unwrap();
            old.push(h);
            assert_eq!(t.remove(h), Some(i));
        }
        let current = t.insert(u32::MAX).unwrap();
        for h in old {
            assert_ne!(h, current, "a stale handle must not alias a live one");
            assert_eq!(t.get(h), None);
        }
        assert_eq!(t.get(current), Some(u32::MAX));
    }

    #[test]
    fn forged_handles_are_rejected() {
        let t = Table::new();
        let h = t.insert("x").unwrap();
        for forged in [h ^ 1, h + (1 << INDEX_BITS), u32::MAX, h & INDEX_MASK] {
            if forged != h {
                assert_eq!(t.get(forged), None, "forged {forged:#x}");
            }
        }
    }

    #[test]
    fn concurrent_insert_get_remove() {
        let t = Arc::new(Table::new());
        let threads: Vec<_> = (0..8u32)
            .map(|n| {
                let t = t.clone();
                std::thread::spawn(move || {
                    for i in 0..5_000u32 {
                        let v = n * 1_000_000 + i;
                        let h = t.insert(v).unwrap();
                        assert_eq!(t.get(h), Some(v));
                        assert_eq!(t.remove(h), Some(v));
                        assert_eq!(t.get(h), None);
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
