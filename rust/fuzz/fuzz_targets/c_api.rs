//! Fuzz bytes read as a program of C API calls: operators (memory, and fs in
//! a scratch directory), their operations with fuzzed tagged inputs, readers,
//! writers, listers, layers, presign, close, on handles picked from those the
//! program made or forged, blocking or on tickets, then a queue drain.
//!
//! A crash is any abort, any panic (libfuzzer-sys aborts on panics even when
//! the library would catch them: an internal panic is a bug), or a call
//! returning a status outside the documented set.
//!
//! Safety rules the program keeps, because the C API must trust them: every
//! `(ptr, len)` pair it passes is a real buffer of that size, and the fs
//! operator never gets a path or config that leaves its scratch directory.
#![no_main]

use std::path::PathBuf;
use std::ptr::{null, null_mut};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use libfuzzer_sys::fuzz_target;
use opendal_deno::ffi::handle::*;
use opendal_deno::ffi::library::*;
use opendal_deno::ffi::log::*;
use opendal_deno::ffi::exports::*;
use opendal_deno::ffi::queue::*;
use opendal_deno::status::*;

const SCHEME: u8 = 3;
const CONFIG: u8 = 4;

static SCRATCH: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("opendal-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
});
static RUNS: AtomicU64 = AtomicU64::new(0);

static NOTIFIED: AtomicU64 = AtomicU64::new(0);

/// What the notifier threads call: they may call at any time, from their
/// own threads, so these only count.
extern "C" fn notified() {
    NOTIFIED.fetch_add(1, Ordering::Relaxed);
}

extern "C" fn also_notified() {
    NOTIFIED.fetch_add(2, Ordering::Relaxed);
}

/// Reads the fuzz bytes as arguments; runs out into zeros.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn f64(&mut self) -> f64 {
        let mut b = [0u8; 8];
        b.iter_mut().for_each(|x| *x = self.u8());
        f64::from_le_bytes(b)
    }
    /// A length-prefixed slice (the length is one byte: inputs stay small).
    fn slice(&mut self) -> &'a [u8] {
        let n = (self.u8() as usize).min(self.0.len());
        let (s, rest) = self.0.split_at(n);
        self.0 = rest;
        s
    }
    fn done(&self) -> bool {
        self.0.is_empty()
    }
}

/// A tagged input from fuzz bytes, made safe for the fs operator: no `..`
/// (a path could leave the scratch directory) and no config pairs.
fn input(b: &mut Bytes) -> Vec<u8> {
    let mut v = b.slice().to_vec();
    for i in 0..v.len().saturating_sub(1) {
        if v[i] == b'.' && v[i + 1] == b'.' {
            v[i] = b'_';
        }
    }
    v
}

fn field(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    v.extend_from_slice(&(value.len() as u32).to_le_bytes());
    v.extend_from_slice(value);
    v
}

struct Program {
    queue: f64,
    handles: Vec<f64>,
    /// Layers safe to apply (no waits a blocking call could hang on).
    layers: Vec<f64>,
    /// Submitted tickets, and whether their outcome is a new handle.
    pending: Vec<(u32, bool)>,
    out: Vec<u8>,
    /// Size announced by the last `HELD`, and the ticket it is under.
    held: Option<(u32, usize)>,
}

fn documented(status: i32) -> bool {
    matches!(status, OK | PENDING | HELD | BAD_OUT)
        || (1..=13).contains(&status)
        || status == UNKNOWN
        || status == CANCELLED
}

impl Program {
    fn handle(&self, b: &mut Bytes) -> f64 {
        let pick = b.u8();
        match pick {
            // Forged: any double, or this instance's tag over fuzzed low bits.
            0xF0..=0xF7 => b.f64(),
            0xF8..=0xFF => (((opendal_instance() as u64) << 32) | b.u32() as u64) as f64,
            _ if self.handles.is_empty() => pick as f64,
            _ => self.handles[pick as usize % self.handles.len()],
        }
    }
    fn ticket(&self, b: &mut Bytes) -> u32 {
        match b.u8() % 4 {
            0 => 0,
            t => (t as u32) + (b.u8() % 8) as u32,
        }
    }
    /// An `out` buffer: usually the real one, sometimes null or too small.
    fn out(&mut self, b: &mut Bytes) -> (*mut u8, u32) {
        match b.u8() % 8 {
            0 => (null_mut(), 4096),
            1 => (self.out.as_mut_ptr(), MIN_OUT as u32 - 1),
            2 => (self.out.as_mut_ptr(), MIN_OUT as u32),
            3 => (self.out.as_mut_ptr(), 100),
            _ => (self.out.as_mut_ptr(), self.out.len() as u32),
        }
    }
    /// A byte count for `data`: its length, or one the API must refuse.
    fn data_len(b: &mut Bytes, data: &[u8]) -> f64 {
        match b.u8() % 8 {
            0 => f64::NAN,
            1 => -1.0,
            2 => 9_007_199_254_740_994.0,
            3 => f64::INFINITY,
            4 => 0.0,
            _ => data.len() as f64,
        }
    }

    /// Checks a status, keeps a new handle, and notes pending or held work.
    fn after(&mut self, status: i32, ticket: u32, makes_handle: bool) {
        assert!(documented(status), "undocumented status {status}");
        match status {
            OK if makes_handle => {
                let h = f64::from_le_bytes(self.out[..8].try_into().unwrap());
                self.handles.push(h);
            }
            PENDING => self.pending.push((ticket, makes_handle)),
            HELD => {
                let size = f64::from_le_bytes(self.out[..8].try_into().unwrap());
                assert!(
                    size.fract() == 0.0 && size > 0.0 && size < 1e9,
                    "held size {size}"
                );
                self.held = Some((ticket, size as usize));
            }
            _ => {}
        }
    }

    fn step(&mut self, b: &mut Bytes) {
        let q = self.queue;
        let which = b.u8() % 28;
        let ticket = self.ticket(b);
        let (out, cap) = self.out(b);
        // SAFETY (every call below): pointers are null or real buffers of
        // the lengths passed with them.
        unsafe {
            match which {
                0 => {
                    let i = field(SCHEME, b"memory");
                    let s = opendal_operator_new(i.as_ptr(), i.len() as u32, q, ticket, out, cap);
                    self.after(s, ticket, true)
                }
                1 => {
                    // Fuzzed config on memory (never fs: a root could escape).
                    let mut i = field(SCHEME, b"memory");
                    let extra = input(b);
                    if !extra.windows(2).any(|w| w.eq_ignore_ascii_case(b"fs")) {
                        i.extend_from_slice(&extra);
                    }
                    let s = opendal_operator_new(i.as_ptr(), i.len() as u32, q, ticket, out, cap);
                    self.after(s, ticket, true)
                }
                2 => {
                    let root = SCRATCH.to_str().unwrap();
                    let mut i = field(SCHEME, b"fs");
                    let mut pair = (4u32).to_le_bytes().to_vec();
                    pair.extend_from_slice(b"root");
                    pair.extend_from_slice(root.as_bytes());
                    i.extend_from_slice(&field(CONFIG, &pair));
                    let s = opendal_operator_new(i.as_ptr(), i.len() as u32, q, ticket, out, cap);
                    self.after(s, ticket, true)
                }
                3..=13 => {
                    type Op =
                        unsafe extern "C" fn(f64, *const u8, u32, f64, u32, *mut u8, u32) -> i32;
                    let (f, makes): (Op, bool) = match which {
                        3 => (opendal_operator_stat, false),
                        4 => (opendal_operator_exists, false),
                        5 => (opendal_operator_read, false),
                        6 => (opendal_operator_create_dir, false),
                        7 => (opendal_operator_delete, false),
                        8 => (opendal_operator_remove_all, false),
                        9 => (opendal_operator_copy, false),
                        10 => (opendal_operator_rename, false),
                        11 => (opendal_operator_reader, true),
                        12 => (opendal_operator_writer, true),
                        _ => (opendal_operator_lister, true),
                    };
                    let op = self.handle(b);
                    let i = input(b);
                    let (ptr, len) = if i.is_empty() && b.u8() % 2 == 0 {
                        (null(), 0)
                    } else {
                        (i.as_ptr(), i.len() as u32)
                    };
                    let s = f(op, ptr, len, q, ticket, out, cap);
                    self.after(s, ticket, makes)
                }
                14 => {
                    let (op, i) = (self.handle(b), input(b));
                    let data = b.slice().to_vec();
                    let len = Self::data_len(b, &data);
                    let s = opendal_operator_write(
                        op,
                        i.as_ptr(),
                        i.len() as u32,
                        data.as_ptr(),
                        len,
                        q,
                        ticket,
                        out,
                        cap,
                    );
                    self.after(s, ticket, false)
                }
                15 => {
                    let (op, kind, i) = (self.handle(b), b.u8() as u32 % 6, input(b));
                    let s = opendal_operator_presign(
                        op,
                        kind,
                        i.as_ptr(),
                        i.len() as u32,
                        q,
                        ticket,
                        out,
                        cap,
                    );
                    self.after(s, ticket, false)
                }
                16 => {
                    let (op, target, i) = (self.handle(b), self.handle(b), input(b));
                    let s = opendal_operator_copy_to(
                        op,
                        target,
                        i.as_ptr(),
                        i.len() as u32,
                        q,
                        ticket,
                        out,
                        cap,
                    );
                    self.after(s, ticket, false)
                }
                17 => {
                    let (r, offset, length) = (self.handle(b), b.f64(), b.f64());
                    let s = opendal_reader_read(r, offset, length, q, ticket, out, cap);
                    self.after(s, ticket, false)
                }
                18 => {
                    let w = self.handle(b);
                    let s = match b.u8() % 3 {
                        0 => {
                            let data = b.slice().to_vec();
                            let len = Self::data_len(b, &data);
                            opendal_writer_write(w, data.as_ptr(), len, q, ticket, out, cap)
                        }
                        1 => opendal_writer_close(w, q, ticket, out, cap),
                        _ => opendal_writer_abort(w, q, ticket, out, cap),
                    };
                    self.after(s, ticket, false)
                }
                19 => {
                    let (l, max) = (self.handle(b), b.u32());
                    let s = opendal_lister_next(l, max, q, ticket, out, cap);
                    self.after(s, ticket, false)
                }
                20 => {
                    // Any kind and options; only layers that cannot make a
                    // blocking call wait (no retry, limit or throttle) are applied.
                    let (kind, i) = (b.u8() as u32 % 10, input(b));
                    let s =
                        opendal_layer_new(kind, i.as_ptr(), i.len() as u32, q, ticket, out, cap);
                    let before = self.handles.len();
                    self.after(s, ticket, true);
                    if self.handles.len() > before && matches!(kind, 1 | 3 | 5 | 6 | 7) {
                        self.layers.push(*self.handles.last().unwrap());
                    }
                }
                21 => {
                    let op = self.handle(b);
                    let layer = match self.layers.len() {
                        0 => self.handle(b),
                        n => self.layers[b.u8() as usize % n],
                    };
                    let s = opendal_operator_layer(op, layer, q, ticket, out, cap);
                    self.after(s, ticket, true);
                    let s = opendal_operator_info(self.handle(b), q, ticket, out, cap);
                    self.after(s, ticket, false);
                }
                22 => {
                    let h = self.handle(b);
                    let s = opendal_close(h);
                    assert!(s == OK || s == CONFIG_INVALID, "close: {s}");
                }
                24 => {
                    // OpenDAL 0.59's operations, on any handle and input.
                    type Op =
                        unsafe extern "C" fn(f64, *const u8, u32, f64, u32, *mut u8, u32) -> i32;
                    let (f, makes): (Op, bool) = match b.u8() % 5 {
                        0 => (opendal_operator_deleter, true),
                        1 => (opendal_operator_restore, false),
                        2 => (opendal_operator_compose, false),
                        3 => (opendal_operator_copier, true),
                        _ => (opendal_operator_composer, true),
                    };
                    let (op, i) = (self.handle(b), input(b));
                    let s = f(op, i.as_ptr(), i.len() as u32, q, ticket, out, cap);
                    self.after(s, ticket, makes)
                }
                25 => {
                    let (d, i) = (self.handle(b), input(b));
                    let s = match b.u8() % 2 {
                        0 => opendal_deleter_delete(d, i.as_ptr(), i.len() as u32, q, ticket, out, cap),
                        _ => opendal_deleter_close(d, q, ticket, out, cap),
                    };
                    self.after(s, ticket, false)
                }
                26 => {
                    let c = self.handle(b);
                    let s = match b.u8() % 3 {
                        0 => opendal_copier_next(c, q, ticket, out, cap),
                        1 => opendal_copier_close(c, q, ticket, out, cap),
                        _ => opendal_copier_abort(c, q, ticket, out, cap),
                    };
                    self.after(s, ticket, false)
                }
                27 => {
                    let (c, i) = (self.handle(b), input(b));
                    let s = match b.u8() % 2 {
                        0 => opendal_composer_compose(c, i.as_ptr(), i.len() as u32, q, ticket, out, cap),
                        _ => opendal_composer_close(c, q, ticket, out, cap),
                    };
                    self.after(s, ticket, false)
                }
                _ => self.collect(b),
            }
        }
    }

    /// An outcome was asked for: a collected handle is kept for closing.
    fn collected(&mut self, status: i32, ticket: u32) {
        assert!(documented(status), "outcome: {status}");
        let len = u32::from_le_bytes(self.out[4..8].try_into().unwrap()) as usize;
        let msg = self.out.get(8..8 + len).unwrap_or_default();
        let unfinished = status == CONFIG_INVALID && msg.windows(11).any(|w| w == b"no finished");
        if status == BAD_OUT || unfinished {
            return;
        }
        let Some(at) = self.pending.iter().position(|(t, _)| *t == ticket) else {
            return;
        };
        let (_, makes) = self.pending.remove(at);
        self.after(status, ticket, makes);
    }

    /// Queue calls: wait, outcome, take, cancel, release, logs.
    fn collect(&mut self, b: &mut Bytes) {
        let q = self.queue;
        let mut tickets = [0u8; 64];
        unsafe {
            match b.u8() % 7 {
                0 => {
                    let n = opendal_queue_wait(q, tickets.as_mut_ptr(), 16, 0);
                    assert!((0..=16).contains(&n), "wait: {n}");
                }
                1 => {
                    let t = self.ticket(b);
                    let (out, cap) = self.out(b);
                    let s = opendal_queue_outcome(q, t, out, cap);
                    self.collected(s, t);
                }
                2 => {
                    // Take the announced size, or a wrong size into a real buffer.
                    let (t, size) = self
                        .held
                        .take()
                        .unwrap_or((self.ticket(b), b.u8() as usize));
                    let mut dst = vec![0u8; size.max(1)];
                    let len = if b.u8() % 2 == 0 {
                        size as f64
                    } else {
                        (b.u8() as usize % dst.len()) as f64
                    };
                    let s = opendal_queue_take(q, t, dst.as_mut_ptr(), len);
                    assert!(s == OK || s == CONFIG_INVALID, "take: {s}");
                }
                3 => {
                    let s = opendal_queue_cancel(q, self.ticket(b));
                    assert!(s == OK || s == NOT_FOUND, "cancel: {s}");
                }
                4 => opendal_queue_release(q, self.ticket(b)),
                5 => {
                    // Start, replace or stop the notifier thread, on a
                    // ticket (ignored) and an `out` of the program's choice.
                    let notify = match b.u8() % 3 {
                        0 => None,
                        1 => Some(notified as unsafe extern "C" fn()),
                        _ => Some(also_notified as unsafe extern "C" fn()),
                    };
                    let t = self.ticket(b);
                    let (out, cap) = self.out(b);
                    let s = opendal_queue_notify(notify, q, t, out, cap);
                    assert!(documented(s), "notify: {s}");
                }
                _ => {
                    let _ = opendal_log_pending(q);
                    let mut logs = vec![0u8; 256];
                    let s = opendal_log_drain(q, logs.as_mut_ptr(), logs.len() as u32);
                    assert_eq!(s, OK);
                }
            }
        }
    }

    /// Waits (bounded) for pending work, then frees every ticket and handle.
    fn finish(mut self) {
        let q = self.queue;
        let mut tickets = [0u8; 4 * 64];
        let mut budget = 200; // x 10 ms
        while !self.pending.is_empty() && budget > 0 {
            let n = unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 64, 10) } as usize;
            for c in tickets[..4 * n].chunks(4) {
                let t = u32::from_le_bytes(c.try_into().unwrap());
                let s = unsafe {
                    opendal_queue_outcome(q, t, self.out.as_mut_ptr(), self.out.len() as u32)
                };
                self.collected(s, t);
            }
            budget -= 1;
        }
        for t in 0..16 {
            opendal_queue_cancel(q, t);
            opendal_queue_release(q, t);
        }
        for h in self.handles.drain(..).rev() {
            opendal_close(h);
        }
        assert_eq!(opendal_close(q), OK);
    }
}

fuzz_target!(|data: &[u8]| {
    if RUNS.fetch_add(1, Ordering::Relaxed) % 2048 == 0 {
        // Keep the scratch directory small.
        let _ = std::fs::remove_dir_all(&*SCRATCH);
        let _ = std::fs::create_dir_all(&*SCRATCH);
    }
    let queue = opendal_queue_new();
    assert_ne!(queue, 0.0);
    let mut p = Program {
        queue,
        handles: Vec::new(),
        layers: Vec::new(),
        pending: Vec::new(),
        out: vec![0; 4096],
        held: None,
    };
    let mut b = Bytes(data);
    let mut steps = 0;
    while !b.done() && steps < 64 {
        p.step(&mut b);
        steps += 1;
    }
    p.finish();
});
