//! Hostile calls against every exported C function: null and undersized
//! buffers, bad lengths, malformed tagged input, closed, stale, forged and
//! wrong-kind handles, misused tickets, and `opendal_close` racing operations
//! in flight. Every call must return its specific status and the process
//! must survive.
//!
//! What is not tested, on purpose: a non-null pointer with a length larger
//! than its buffer where the API has no bound to check it against (`input`
//! with `input_len`, `out` with `out_cap`, `tickets` with `cap`, a data
//! pointer with a length up to 2^53). The C API cannot know how large caller
//! memory is, so it must trust such a pair; testing it would only prove
//! that reading past a buffer is undefined. Where the API does document a
//! bound (a field length inside the tagged input, a `double` byte count, the
//! announced size `opendal_queue_take` expects) huge values are tested.

use std::collections::HashSet;
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::ffi::handle::*;
use crate::ffi::library::*;
use crate::ffi::log::*;
use crate::ffi::exports::*;
use crate::ffi::queue::*;
use crate::input::encode::{field, num, pair};
use crate::status::*;

// Tags and kinds, from the library's one declaration (rust/src/abi.rs).
const PATH: u8 = Tag::Path as u8;
const TARGET: u8 = Tag::Target as u8;
const SCHEME: u8 = Tag::Scheme as u8;
const CONFIG: u8 = Tag::Config as u8;
const URI: u8 = Tag::Uri as u8;
const OFFSET: u8 = Tag::Offset as u8;
const LENGTH: u8 = Tag::Length as u8;
const EXPIRE: u8 = Tag::Expire as u8;
const VERSION: u8 = Tag::Version as u8;
const RECURSIVE: u8 = Tag::Recursive as u8;
const MAX_TIMES: u8 = Tag::MaxTimes as u8;
const LAYER_MIME_GUESS: u32 = LayerKind::MimeGuess as u32;
const LAYER_RETRY: u32 = LayerKind::Retry as u32;

/// Every export this file must drive with hostile input. `every_export_is_covered`
/// fails when the header gains a function that is missing here.
const COVERED: &[&str] = &[
    "opendal_abi_version",
    "opendal_close",
    "opendal_handle_count",
    "opendal_instance",
    "opendal_layer_new",
    "opendal_operator_layer",
    "opendal_lister_next",
    "opendal_log_pending",
    "opendal_log_drain",
    "opendal_operator_new",
    "opendal_operator_info",
    "opendal_operator_check",
    "opendal_operator_stat",
    "opendal_operator_exists",
    "opendal_operator_read",
    "opendal_operator_create_dir",
    "opendal_operator_delete",
    "opendal_operator_remove_all",
    "opendal_operator_copy",
    "opendal_operator_rename",
    "opendal_operator_reader",
    "opendal_operator_writer",
    "opendal_operator_lister",
    "opendal_operator_presign",
    "opendal_operator_write",
    "opendal_operator_copy_to",
    "opendal_operator_read_into",
    "opendal_operator_read_into_blocking",
    "opendal_queue_new",
    "opendal_queue_wait",
    "opendal_queue_outcome",
    "opendal_queue_take",
    "opendal_queue_cancel",
    "opendal_queue_release",
    "opendal_queue_notify",
    "opendal_reader_read",
    "opendal_writer_write",
    "opendal_writer_close",
    "opendal_writer_abort",
    "opendal_operator_deleter",
    "opendal_operator_restore",
    "opendal_operator_compose",
    "opendal_deleter_delete",
    "opendal_deleter_close",
    "opendal_operator_copier",
    "opendal_copier_next",
    "opendal_copier_close",
    "opendal_copier_abort",
    "opendal_operator_composer",
    "opendal_composer_compose",
    "opendal_composer_close",
    "opendal_services",
];

/// Counts hostile calls, for the figure the README quotes.
static CALLS: AtomicU32 = AtomicU32::new(0);

fn counted<T>(v: T) -> T {
    CALLS.fetch_add(1, Ordering::Relaxed);
    v
}

// ---------------------------------------------------------------- helpers

fn path(p: &str) -> Vec<u8> {
    field(PATH, p.as_bytes())
}

/// A 4 KiB output buffer.
struct Out(Vec<u8>);

impl Out {
    fn new() -> Out {
        Out(vec![0; 4096])
    }
    fn ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr()
    }
    fn cap(&self) -> u32 {
        self.0.len() as u32
    }
    fn u32_at(&self, at: usize) -> u32 {
        u32::from_le_bytes(self.0[at..at + 4].try_into().unwrap())
    }
    fn f64_at(&self, at: usize) -> f64 {
        f64::from_le_bytes(self.0[at..at + 8].try_into().unwrap())
    }
    /// The message of an error record; it must be valid UTF-8 and fit.
    fn message(&self) -> String {
        let len = self.u32_at(4) as usize;
        assert!(
            8 + len <= self.0.len(),
            "message length {len} overflows out"
        );
        String::from_utf8(self.0[8..8 + len].to_vec()).expect("error messages are UTF-8")
    }

    /// The error record's detail (the full context; may be empty).
    fn detail(&self) -> String {
        let at = 8 + self.u32_at(4) as usize;
        let len = self.u32_at(at) as usize;
        assert!(
            at + 4 + len <= self.0.len(),
            "detail length {len} overflows out"
        );
        String::from_utf8(self.0[at + 4..at + 4 + len].to_vec()).expect("details are UTF-8")
    }
}

/// Asserts `status` is `code` and, for an error, that its message says `says`.
#[track_caller]
fn expect(what: &str, status: i32, code: i32, out: &Out, says: &str) {
    counted(());
    let msg = if status > 0 {
        out.message()
    } else {
        String::new()
    };
    assert_eq!(status, code, "{what}: status {status} ({msg})");
    if status > 0 {
        // The short message leads with the cause; the detail carries the
        // context (the path, the schemes there are, ...).
        let detail = out.detail();
        assert!(
            msg.contains(says) || detail.contains(says),
            "{what}: neither message {msg:?} nor detail {detail:?} mentions {says:?}"
        );
    }
}

/// Handles that are never alive here: generation bits at 2048 or more,
/// which this process never reaches (generations grow by one per reuse of a
/// slot and slots are reused only after 1024 others are freed).
fn forged(n: usize) -> Vec<f64> {
    let tag = opendal_instance() as u64;
    let ours = |low: u64| ((tag << 32) | low) as f64;
    let mut x: u32 = 0x9E37_79B9;
    let mut v = vec![
        0.0,
        -1.0,
        0.5,
        f64::NAN,
        f64::INFINITY,
        2f64.powi(53),
        2f64.powi(64),
        // Handles of the layout before instance tags: tag 0.
        u32::MAX as f64,
        0x8000_0000u32 as f64,
        0x800F_FFFFu32 as f64,
        // Another instance's tag: a different copy of the library.
        (((tag ^ 1) << 32) | 0x0010_0000) as f64,
        (((tag ^ 0x10_0000) << 32) | 0x0010_0001) as f64,
        // Ours, with generations this process never reaches.
        ours(0xFFF0_0000),
        ours(0x800F_FFFF),
    ];
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.push(ours((x | 0x8000_0000) as u64));
        v.push(((x as u64) << 21 | x as u64) as f64);
    }
    v
}

fn handle_of(what: &str, status: i32, out: &Out) -> f64 {
    assert_eq!(
        status,
        OK,
        "{what}: {}",
        if status > 0 {
            out.message()
        } else {
            String::new()
        }
    );
    out.f64_at(0)
}

fn memory_operator(q: f64) -> f64 {
    let mut out = Out::new();
    let input = field(SCHEME, b"memory");
    let s = unsafe {
        opendal_operator_new(
            input.as_ptr(),
            input.len() as u32,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    handle_of("memory operator", s, &out)
}

/// A memory operator behind a throttle of 1 byte/s with a 1000-byte burst.
fn throttled_memory_operator(q: f64) -> f64 {
    const BANDWIDTH: u8 = 89;
    const BURST: u8 = 90;
    const THROTTLE: u32 = 4;
    let mem = memory_operator(q);
    let mut out = Out::new();
    let opts = [num(BANDWIDTH, 1.0), num(BURST, 1000.0)].concat();
    let s = unsafe {
        opendal_layer_new(
            THROTTLE,
            opts.as_ptr(),
            opts.len() as u32,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    let layer = handle_of("throttle layer", s, &out);
    let s = unsafe { opendal_operator_layer(mem, layer, q, 0, out.ptr(), out.cap()) };
    let slow = handle_of("throttled operator", s, &out);
    assert_eq!(opendal_close(layer), OK);
    assert_eq!(opendal_close(mem), OK);
    slow
}

/// A scratch directory removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("opendal-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fs_operator(q: f64, dir: &TempDir) -> f64 {
    let mut out = Out::new();
    let input = [
        field(SCHEME, b"fs"),
        pair(CONFIG, "root", dir.0.to_str().unwrap()),
    ]
    .concat();
    let s = unsafe {
        opendal_operator_new(
            input.as_ptr(),
            input.len() as u32,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    handle_of("fs operator", s, &out)
}

fn write(op: f64, q: f64, p: &str, data: &[u8]) {
    let mut out = Out::new();
    let input = path(p);
    let s = unsafe {
        opendal_operator_write(
            op,
            input.as_ptr(),
            input.len() as u32,
            data.as_ptr(),
            data.len() as f64,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    assert_eq!(s, OK, "write {p}");
}

/// One live object of every kind, plus a closed one of each.
struct Fixture {
    queue: f64,
    op: f64,
    reader: f64,
    writer: f64,
    lister: f64,
    layer: f64,
    closed: Vec<(&'static str, f64)>,
}

impl Fixture {
    fn new() -> Fixture {
        let queue = opendal_queue_new();
        assert_ne!(queue, 0.0);
        let op = memory_operator(queue);
        write(op, queue, "file", b"hello hostile world");
        let mut out = Out::new();
        let p = path("file");
        let reader = handle_of(
            "reader",
            unsafe {
                opendal_operator_reader(
                    op,
                    p.as_ptr(),
                    p.len() as u32,
                    queue,
                    0,
                    out.ptr(),
                    out.cap(),
                )
            },
            &out,
        );
        let w = path("w");
        let writer = handle_of(
            "writer",
            unsafe {
                opendal_operator_writer(
                    op,
                    w.as_ptr(),
                    w.len() as u32,
                    queue,
                    0,
                    out.ptr(),
                    out.cap(),
                )
            },
            &out,
        );
        let root = path("");
        let lister = handle_of(
            "lister",
            unsafe {
                opendal_operator_lister(
                    op,
                    root.as_ptr(),
                    root.len() as u32,
                    queue,
                    0,
                    out.ptr(),
                    out.cap(),
                )
            },
            &out,
        );
        let layer = handle_of(
            "layer",
            unsafe {
                opendal_layer_new(LAYER_MIME_GUESS, null(), 0, queue, 0, out.ptr(), out.cap())
            },
            &out,
        );

        // Closed twins: made the same way, then closed.
        let q2 = opendal_queue_new();
        let op2 = memory_operator(queue);
        write(op2, queue, "file", b"x");
        let r2 = handle_of(
            "reader",
            unsafe {
                opendal_operator_reader(
                    op2,
                    p.as_ptr(),
                    p.len() as u32,
                    queue,
                    0,
                    out.ptr(),
                    out.cap(),
                )
            },
            &out,
        );
        let w2 = handle_of(
            "writer",
            unsafe {
                opendal_operator_writer(
                    op2,
                    w.as_ptr(),
                    w.len() as u32,
                    queue,
                    0,
                    out.ptr(),
                    out.cap(),
                )
            },
            &out,
        );
        let l2 = handle_of(
            "lister",
            unsafe {
                opendal_operator_lister(
                    op2,
                    root.as_ptr(),
                    root.len() as u32,
                    queue,
                    0,
                    out.ptr(),
                    out.cap(),
                )
            },
            &out,
        );
        let y2 = handle_of(
            "layer",
            unsafe {
                opendal_layer_new(LAYER_MIME_GUESS, null(), 0, queue, 0, out.ptr(), out.cap())
            },
            &out,
        );
        let closed = vec![
            ("queue", q2),
            ("operator", op2),
            ("reader", r2),
            ("writer", w2),
            ("lister", l2),
            ("layer", y2),
        ];
        for (_, h) in &closed {
            assert_eq!(opendal_close(*h), OK);
        }
        Fixture {
            queue,
            op,
            reader,
            writer,
            lister,
            layer,
            closed,
        }
    }

    fn live(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("queue", self.queue),
            ("operator", self.op),
            ("reader", self.reader),
            ("writer", self.writer),
            ("lister", self.lister),
            ("layer", self.layer),
        ]
    }

    /// Every handle that is not a live `kind`: zero, forged, closed of any
    /// kind, and live handles of the other kinds.
    fn not_a(&self, kind: &str) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = forged(16)
            .into_iter()
            .map(|h| (format!("forged {h}"), h))
            .collect();
        v.extend(self.closed.iter().map(|(k, h)| (format!("closed {k}"), *h)));
        v.extend(
            self.live()
                .into_iter()
                .filter(|(k, _)| *k != kind)
                .map(|(k, h)| (format!("live {k}"), h)),
        );
        v
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        for (_, h) in self.live().into_iter().rev() {
            opendal_close(h);
        }
    }
}

type TailCall<'a> = &'a dyn Fn(f64, u32, *mut u8, u32) -> i32;

/// The shared tail (queue, ticket, out, out_cap): bad `out` is `BAD_OUT`
/// with nothing written, a bad queue is `ConfigInvalid` naming the queue.
/// `call` is otherwise valid, so these are the only faults.
fn hostile_tail(name: &str, fx: &Fixture, call: TailCall<'_>) {
    let mut out = Out::new();
    for cap in [0, 4096] {
        assert_eq!(
            counted(call(fx.queue, 0, null_mut(), cap)),
            BAD_OUT,
            "{name}: null out, cap {cap}"
        );
    }
    for cap in [0, 1, 8, MIN_OUT as u32 - 1] {
        out.0.fill(0xA5);
        assert_eq!(
            counted(call(fx.queue, 0, out.ptr(), cap)),
            BAD_OUT,
            "{name}: out cap {cap}"
        );
        assert!(
            out.0.iter().all(|b| *b == 0xA5),
            "{name}: BAD_OUT wrote into out"
        );
    }
    for (what, q) in fx.not_a("queue") {
        for ticket in [0, 9] {
            let s = call(q, ticket, out.ptr(), out.cap());
            expect(
                &format!("{name} on {what} as queue"),
                s,
                CONFIG_INVALID,
                &out,
                "queue",
            );
        }
    }
}

type HandleCall<'a> = &'a dyn Fn(f64, &mut Out) -> i32;

/// A handle argument of `kind`: every handle that is not one is refused.
fn hostile_handle(name: &str, fx: &Fixture, kind: &str, call: HandleCall<'_>) {
    let mut out = Out::new();
    for (what, h) in fx.not_a(kind) {
        let s = call(h, &mut out);
        expect(
            &format!("{name} with {what} as {kind}"),
            s,
            CONFIG_INVALID,
            &out,
            kind,
        );
    }
}

type InputCall<'a> = &'a dyn Fn(*const u8, u32, &mut Out) -> i32;

/// A tagged input whose first required field has `tag`: malformed input is
/// refused with a message that names the fault.
fn hostile_input(name: &str, tag: u8, call: InputCall<'_>) {
    let mut out = Out::new();
    let mut check = |what: &str, bytes: &[u8], len: u32, says: &str| {
        let ptr = if what.starts_with("null") {
            null()
        } else {
            bytes.as_ptr()
        };
        let s = call(ptr, len, &mut out);
        expect(&format!("{name}: {what}"), s, CONFIG_INVALID, &out, says);
    };
    check("null input, length 0", &[], 0, "missing");
    check("empty input", &[], 0, "missing");
    for len in [1, 5, 4096, u32::MAX] {
        check(&format!("null input, length {len}"), &[], len, "null");
    }
    let bad_utf8 = field(tag, &[b'a', 0xC3, 0x28, 0xFF]);
    check("invalid UTF-8", &bad_utf8, bad_utf8.len() as u32, "UTF-8");
    let nul = field(tag, b"a\0b");
    check("embedded NUL", &nul, nul.len() as u32, "NUL");
    let good = field(tag, b"ok");
    for cut in 1..good.len() {
        check(
            &format!("truncated at {cut}"),
            &good,
            cut as u32,
            "truncated",
        );
    }
    let mut huge = vec![tag];
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    huge.extend_from_slice(b"ok");
    check(
        "field length u32::MAX",
        &huge,
        huge.len() as u32,
        "truncated",
    );
    for unknown in [0u8, 5, 9, 99, 200, 255] {
        let bytes = [good.clone(), field(unknown, b"x")].concat();
        check(
            &format!("unknown tag {unknown}"),
            &bytes,
            bytes.len() as u32,
            "unknown input field",
        );
    }
}

// ------------------------------------------------------------------ tests

#[test]
fn every_export_is_covered() {
    let header = include_str!("../include/opendal_deno.h");
    let this = include_str!("hostile.rs");
    let mut exports = HashSet::new();
    for line in header.lines() {
        let Some(at) = line.find("opendal_") else {
            continue;
        };
        let rest = &line[at..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if rest[name.len()..].starts_with('(') && !line.trim_start().starts_with("//") {
            exports.insert(name);
        }
    }
    assert!(
        exports.len() >= 30,
        "found only {} exports in the header",
        exports.len()
    );
    let covered: HashSet<String> = COVERED.iter().map(|s| s.to_string()).collect();
    let missing: Vec<_> = exports.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "exports without hostile cases: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&exports).collect();
    assert!(
        stale.is_empty(),
        "COVERED names functions the header lacks: {stale:?}"
    );
    for name in COVERED {
        // Each one is used somewhere below (called or passed), not just listed.
        let uses = this
            .match_indices(name)
            .filter(|(at, _)| {
                let next = this[at + name.len()..].chars().next();
                !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '"')
            })
            .count();
        assert!(uses >= 1, "{name} is never used by a hostile case");
    }
}

#[test]
fn operator_new_refuses_bad_input() {
    let fx = Fixture::new();
    let q = fx.queue;
    let call = |p: *const u8, n: u32, o: &mut Out| unsafe {
        opendal_operator_new(p, n, q, 0, o.ptr(), o.cap())
    };
    hostile_input("operator_new", SCHEME, &call);
    let good = field(SCHEME, b"memory");
    hostile_tail("operator_new", &fx, &|q, t, o, c| unsafe {
        opendal_operator_new(good.as_ptr(), good.len() as u32, q, t, o, c)
    });

    let mut out = Out::new();
    let unknown = field(SCHEME, b"no-such-service");
    let s = call(unknown.as_ptr(), unknown.len() as u32, &mut out);
    expect("unknown scheme", s, UNSUPPORTED, &out, "memory");
    for (what, cfg) in [
        ("short key length", field(CONFIG, &[1, 0])),
        (
            "key longer than entry",
            field(CONFIG, &[200, 0, 0, 0, b'k']),
        ),
        (
            "key length u32::MAX",
            field(CONFIG, &[0xFF, 0xFF, 0xFF, 0xFF, b'k']),
        ),
        ("key not UTF-8", field(CONFIG, &[1, 0, 0, 0, 0xFF, b'v'])),
        ("value not UTF-8", field(CONFIG, &[1, 0, 0, 0, b'k', 0xFE])),
    ] {
        let bytes = [field(SCHEME, b"memory"), cfg].concat();
        let s = call(bytes.as_ptr(), bytes.len() as u32, &mut out);
        expect(what, s, CONFIG_INVALID, &out, "config");
    }
    // A URI instead of a scheme: OpenDAL parses it; what is wrong is named.
    let uri = |u: &[u8]| field(URI, u);
    for (what, bytes, says) in [
        ("URI not UTF-8", uri(&[b's', b'3', 0xFF]), "UTF-8"),
        ("URI with NUL", uri(b"s3://a\0b"), "NUL"),
        ("URI that does not parse", uri(b"s3://[::1/x"), "could not be parsed"),
        ("URI of an unknown scheme", uri(b"nosuch://x"), "no \"nosuch\" service"),
        ("URI query key unknown", uri(b"memory://?rot=/x"), "unknown option"),
        (
            "URI of another scheme than given",
            [uri(b"memory://"), field(SCHEME, b"s3")].concat(),
            "not \"s3\"",
        ),
    ] {
        let s = call(bytes.as_ptr(), bytes.len() as u32, &mut out);
        assert!(s > 0, "{what}: {s}");
        assert!(out.message().contains(says), "{what}: {}", out.message());
    }
    let bytes = uri(b"memory://");
    let s = call(bytes.as_ptr(), bytes.len() as u32, &mut out);
    assert_eq!(s, OK, "a good URI");
    opendal_close(out.f64_at(0));
    // A config value the service cannot use is its error, not a crash.
    let bytes = [
        field(SCHEME, b"fs"),
        pair(CONFIG, "root", "/dev/null/\u{0}x"),
    ]
    .concat();
    let s = call(bytes.as_ptr(), bytes.len() as u32, &mut out);
    assert!(s == OK || s > 0, "fs root with NUL: {s}");
    if s == OK {
        opendal_close(out.f64_at(0));
    }
}

/// The operations that take (op, input, len, tail): each one's hostile cases.
#[test]
fn operations_refuse_bad_handles_input_and_out() {
    type Op = unsafe extern "C" fn(f64, *const u8, u32, f64, u32, *mut u8, u32) -> i32;
    // (name, function, a good input, its status on the memory service)
    let ops: &[(&str, Op, Vec<u8>, i32)] = &[
        ("stat", opendal_operator_stat, path("file"), OK),
        ("exists", opendal_operator_exists, path("file"), OK),
        ("read", opendal_operator_read, path("file"), OK),
        ("create_dir", opendal_operator_create_dir, path("d/"), OK),
        ("delete", opendal_operator_delete, path("nothing"), OK),
        (
            "remove_all",
            opendal_operator_remove_all,
            path("nothing/"),
            OK,
        ),
        (
            "copy",
            opendal_operator_copy,
            [path("file"), field(TARGET, b"copy")].concat(),
            UNSUPPORTED,
        ),
        (
            "rename",
            opendal_operator_rename,
            [path("file"), field(TARGET, b"renamed")].concat(),
            UNSUPPORTED,
        ),
        ("reader", opendal_operator_reader, path("file"), OK),
        ("writer", opendal_operator_writer, path("w2"), OK),
        ("lister", opendal_operator_lister, path(""), OK),
        ("restore", opendal_operator_restore, path("file"), UNSUPPORTED),
        (
            "compose",
            opendal_operator_compose,
            [field(TARGET, b"whole"), path("file")].concat(),
            UNSUPPORTED,
        ),
        (
            "copier",
            opendal_operator_copier,
            [path("file"), field(TARGET, b"copy")].concat(),
            UNSUPPORTED,
        ),
        (
            "composer",
            opendal_operator_composer,
            field(TARGET, b"whole"),
            UNSUPPORTED,
        ),
    ];
    let fx = Fixture::new();
    let q = fx.queue;
    for (name, f, good, status) in ops {
        let (f, status) = (*f, *status);
        // compose and composer read their destination first.
        let tag = if name.starts_with("compose") { TARGET } else { PATH };
        hostile_input(name, tag, &|p, n, o| unsafe {
            f(fx.op, p, n, q, 0, o.ptr(), o.cap())
        });
        hostile_handle(name, &fx, "operator", &|h, o| unsafe {
            f(h, good.as_ptr(), good.len() as u32, q, 0, o.ptr(), o.cap())
        });
        hostile_tail(name, &fx, &|q, t, o, c| unsafe {
            f(fx.op, good.as_ptr(), good.len() as u32, q, t, o, c)
        });
        // The good input works, so the faults above were the only ones.
        let mut out = Out::new();
        let s = unsafe {
            f(
                fx.op,
                good.as_ptr(),
                good.len() as u32,
                q,
                0,
                out.ptr(),
                out.cap(),
            )
        };
        assert_eq!(
            s,
            status,
            "{name} with good input: {}",
            if s > 0 { out.message() } else { String::new() }
        );
        match *name {
            "reader" | "writer" | "lister" => assert_eq!(opendal_close(out.f64_at(0)), OK),
            // Bytes held under ticket 0 (when not inline) are freed.
            "read" => opendal_queue_release(q, 0),
            _ => {}
        }
    }

    // Operation-specific refusals.
    let mut out = Out::new();
    let call = |f: Op, input: &[u8], out: &mut Out| unsafe {
        f(
            fx.op,
            input.as_ptr(),
            input.len() as u32,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    for root in ["", "/", "//", " / "] {
        for (name, f) in [
            ("read", opendal_operator_read as Op),
            ("delete", opendal_operator_delete),
            ("writer", opendal_operator_writer),
            ("reader", opendal_operator_reader),
        ] {
            let s = call(f, &path(root), &mut out);
            expect(
                &format!("{name} of root {root:?}"),
                s,
                CONFIG_INVALID,
                &out,
                "below the root",
            );
        }
    }
    let s = call(opendal_operator_copy, &path("file"), &mut out);
    expect(
        "copy without target",
        s,
        CONFIG_INVALID,
        &out,
        "target path is missing",
    );
    let bad_target = [path("file"), field(TARGET, &[0xFF])].concat();
    let s = call(opendal_operator_rename, &bad_target, &mut out);
    expect("rename to invalid UTF-8", s, CONFIG_INVALID, &out, "UTF-8");
    let s = call(
        opendal_operator_stat,
        &[path("file"), field(OFFSET, &[0; 8])].concat(),
        &mut out,
    );
    expect(
        "stat with a read option",
        s,
        CONFIG_INVALID,
        &out,
        "offset is not accepted by stat",
    );
    for (what, n) in [
        ("NaN", f64::NAN),
        ("-1", -1.0),
        ("Infinity", f64::INFINITY),
        ("0.5", 0.5),
        ("2^60", 2f64.powi(60)),
    ] {
        let s = call(
            opendal_operator_read,
            &[path("file"), num(OFFSET, n)].concat(),
            &mut out,
        );
        expect(
            &format!("read offset {what}"),
            s,
            CONFIG_INVALID,
            &out,
            "offset",
        );
    }
    let s = call(
        opendal_operator_read,
        &[path("file"), field(LENGTH, &[1, 2, 3])].concat(),
        &mut out,
    );
    expect(
        "read length of 3 bytes",
        s,
        CONFIG_INVALID,
        &out,
        "8-byte number",
    );
    let s = call(opendal_operator_stat, &path("missing"), &mut out);
    expect("stat of a missing file", s, NOT_FOUND, &out, "missing");
}

#[test]
fn info_check_and_layer_refuse_bad_handles() {
    let fx = Fixture::new();
    let q = fx.queue;
    hostile_handle("info", &fx, "operator", &|h, o| unsafe {
        opendal_operator_info(h, q, 0, o.ptr(), o.cap())
    });
    hostile_tail("info", &fx, &|q, t, o, c| unsafe {
        opendal_operator_info(fx.op, q, t, o, c)
    });
    hostile_handle("check", &fx, "operator", &|h, o| unsafe {
        opendal_operator_check(h, q, 0, o.ptr(), o.cap())
    });
    hostile_tail("check", &fx, &|q, t, o, c| unsafe {
        opendal_operator_check(fx.op, q, t, o, c)
    });
    hostile_handle("operator_layer (op)", &fx, "operator", &|h, o| unsafe {
        opendal_operator_layer(h, fx.layer, q, 0, o.ptr(), o.cap())
    });
    hostile_handle("operator_layer (layer)", &fx, "layer", &|h, o| unsafe {
        opendal_operator_layer(fx.op, h, q, 0, o.ptr(), o.cap())
    });
    hostile_tail("operator_layer", &fx, &|q, t, o, c| unsafe {
        opendal_operator_layer(fx.op, fx.layer, q, t, o, c)
    });

    let mut out = Out::new();
    let s = unsafe { opendal_operator_layer(fx.op, fx.layer, q, 0, out.ptr(), out.cap()) };
    assert_eq!(opendal_close(handle_of("layered", s, &out)), OK);
    let s = unsafe { opendal_operator_check(fx.op, q, 0, out.ptr(), out.cap()) };
    assert_eq!(s, OK);

    // The info record is larger than the smallest `out`: it is held, its size
    // announced, and only a take of exactly that size copies it.
    let mut small = Out(vec![0; MIN_OUT]);
    let s = unsafe { opendal_operator_info(fx.op, q, 11, small.ptr(), small.cap()) };
    assert_eq!(counted(s), HELD, "info into 64 bytes");
    let size = small.f64_at(0);
    assert!(
        size > MIN_OUT as f64 && size.fract() == 0.0,
        "announced size {size}"
    );
    let mut dst = vec![0u8; size as usize + 16];
    for wrong in [
        0.0,
        size - 1.0,
        size + 1.0,
        u32::MAX as f64,
        2f64.powi(53),
        f64::NAN,
        -size,
        f64::INFINITY,
    ] {
        let s = unsafe { opendal_queue_take(q, 11, dst.as_mut_ptr(), wrong) };
        assert_eq!(counted(s), CONFIG_INVALID, "take {wrong} of {size}");
    }
    let s = unsafe { opendal_queue_take(q, 11, null_mut(), size) };
    assert_eq!(counted(s), CONFIG_INVALID, "take into null");
    let s = unsafe { opendal_queue_take(q, 11, dst.as_mut_ptr(), size) };
    assert_eq!(counted(s), OK, "take of the announced size");
    assert_eq!(
        &dst[size as usize..],
        &[0u8; 16],
        "take wrote past the announced size"
    );
    let s = unsafe { opendal_queue_take(q, 11, dst.as_mut_ptr(), size) };
    assert_eq!(counted(s), CONFIG_INVALID, "second take");
}

#[test]
fn layer_new_refuses_bad_kinds_and_options() {
    let fx = Fixture::new();
    let q = fx.queue;
    let mut out = Out::new();
    hostile_tail("layer_new", &fx, &|q, t, o, c| unsafe {
        opendal_layer_new(LAYER_MIME_GUESS, null(), 0, q, t, o, c)
    });
    for kind in [8, 99, 1 << 31, u32::MAX] {
        let s = unsafe { opendal_layer_new(kind, null(), 0, q, 0, out.ptr(), out.cap()) };
        expect(
            &format!("layer kind {kind}"),
            s,
            CONFIG_INVALID,
            &out,
            "unknown layer kind",
        );
    }
    for len in [1, u32::MAX] {
        let s = unsafe { opendal_layer_new(LAYER_RETRY, null(), len, q, 0, out.ptr(), out.cap()) };
        expect("layer_new null input", s, CONFIG_INVALID, &out, "null");
    }
    let bad = [
        num(MAX_TIMES, f64::NAN),
        num(MAX_TIMES, -3.0),
        field(MAX_TIMES, &[1]),
    ];
    for b in bad {
        let s = unsafe {
            opendal_layer_new(
                LAYER_RETRY,
                b.as_ptr(),
                b.len() as u32,
                q,
                0,
                out.ptr(),
                out.cap(),
            )
        };
        expect("retry layer option", s, CONFIG_INVALID, &out, "maxTimes");
    }
    for kind in 0..8u32 {
        // Options of another layer are refused by each kind.
        let b = num(EXPIRE, 1.0);
        let s = unsafe {
            opendal_layer_new(kind, b.as_ptr(), b.len() as u32, q, 0, out.ptr(), out.cap())
        };
        expect(
            &format!("layer {kind} with expire"),
            s,
            CONFIG_INVALID,
            &out,
            "expire",
        );
    }
}

#[test]
fn read_into_refuses_bad_arguments_and_never_writes_past_its_buffer() {
    let fx = Fixture::new();
    let q = fx.queue;
    let mut out = Out::new();
    let p = path("file"); // "hello hostile world", 19 bytes
    let mut dst = [0u8; 8];
    let d = dst.as_mut_ptr();
    hostile_input("read_into", PATH, &|ip, n, o| unsafe {
        opendal_operator_read_into(fx.op, ip, n, d, 8.0, q, 0, o.ptr(), o.cap())
    });
    hostile_handle("read_into", &fx, "operator", &|h, o| unsafe {
        opendal_operator_read_into(
            h,
            p.as_ptr(),
            p.len() as u32,
            d,
            8.0,
            q,
            0,
            o.ptr(),
            o.cap(),
        )
    });
    hostile_tail("read_into", &fx, &|q, t, o, c| unsafe {
        opendal_operator_read_into(fx.op, p.as_ptr(), p.len() as u32, d, 8.0, q, t, o, c)
    });
    let read_into = |dst: *mut u8, len: f64, ticket: u32, out: &mut Out| unsafe {
        opendal_operator_read_into(
            fx.op,
            p.as_ptr(),
            p.len() as u32,
            dst,
            len,
            q,
            ticket,
            out.ptr(),
            out.cap(),
        )
    };
    for bad in bad_lengths() {
        let s = read_into(d, bad, 0, &mut out);
        expect(
            &format!("read_into length {bad}"),
            s,
            CONFIG_INVALID,
            &out,
            "buffer length",
        );
    }
    for len in [1.0, 4096.0] {
        let s = read_into(null_mut(), len, 0, &mut out);
        expect(
            "read_into null buffer",
            s,
            CONFIG_INVALID,
            &out,
            "buffer is null",
        );
    }
    // Nothing to write: a null buffer of length 0 is fine, and reads 0.
    let s = read_into(null_mut(), 0.0, 0, &mut out);
    expect("read_into null, 0", s, OK, &out, "");
    assert_eq!((out.f64_at(0), out.u32_at(8)), (0.0, 2));
    // A buffer shorter than the content (and no `length`): what fits, and
    // not one byte past it, blocking or finished inline.
    for ticket in [0, 11] {
        let mut guarded = [0xA5u8; 16];
        let s = read_into(guarded.as_mut_ptr(), 5.0, ticket, &mut out);
        expect("read_into 5 of 19", s, OK, &out, "");
        assert_eq!((out.f64_at(0), out.u32_at(8)), (5.0, 2), "ticket {ticket}");
        assert_eq!(&guarded[..5], b"hello");
        assert!(
            guarded[5..].iter().all(|b| *b == 0xA5),
            "wrote past the buffer"
        );
    }
}

/// The status of a blocking export's result: `OK` for a count, `BAD_OUT`
/// for -infinity, else the error's status (the result is minus it).
fn blocking_status(result: f64) -> i32 {
    if result >= 0.0 {
        OK
    } else if result == f64::NEG_INFINITY {
        BAD_OUT
    } else {
        assert_eq!(result.fract(), 0.0, "a status is whole: {result}");
        -(result as i32)
    }
}

#[test]
fn read_into_blocking_refuses_bad_arguments_and_never_writes_past_its_buffer() {
    let fx = Fixture::new();
    let mut out = Out::new();
    let file = b"file"; // "hello hostile world", 19 bytes
    let call = |op: f64, p: &[u8], dst: *mut u8, len: f64, out: &mut Out| unsafe {
        opendal_operator_read_into_blocking(op, p.as_ptr(), p.len() as u32, dst, len, out.ptr(), out.cap())
    };
    let mut dst = [0u8; 8];
    let d = dst.as_mut_ptr();
    hostile_handle("read_into_blocking", &fx, "operator", &|h, o| {
        blocking_status(call(h, file, d, 8.0, o))
    });
    // The path: not UTF-8, a NUL, the root, null with a length.
    for (what, p, says) in [
        ("invalid UTF-8", &b"\xff\xfe"[..], "not valid UTF-8"),
        ("a NUL", &b"fi\0le"[..], "NUL"),
        ("the root", &b""[..], "below the root"),
        ("the root, slashes", &b"//"[..], "below the root"),
    ] {
        let s = blocking_status(call(fx.op, p, d, 8.0, &mut out));
        expect(&format!("read_into_blocking path {what}"), s, CONFIG_INVALID, &out, says);
    }
    let s = blocking_status(unsafe {
        opendal_operator_read_into_blocking(fx.op, null(), 4, d, 8.0, out.ptr(), out.cap())
    });
    expect("read_into_blocking null path", s, CONFIG_INVALID, &out, "path is null");
    let s = blocking_status(call(fx.op, b"missing", d, 8.0, &mut out));
    expect("read_into_blocking missing", s, NOT_FOUND, &out, "");
    for bad in bad_lengths() {
        let s = blocking_status(call(fx.op, file, d, bad, &mut out));
        expect(&format!("read_into_blocking length {bad}"), s, CONFIG_INVALID, &out, "buffer length");
    }
    for len in [1.0, 4096.0] {
        let s = blocking_status(call(fx.op, file, null_mut(), len, &mut out));
        expect("read_into_blocking null buffer", s, CONFIG_INVALID, &out, "buffer is null");
    }
    // A null or short `out`: nothing written, nothing read.
    for cap in [0, 1, MIN_OUT as u32 - 1] {
        out.0.fill(0xA5);
        let r = unsafe {
            opendal_operator_read_into_blocking(fx.op, file.as_ptr(), 4, d, 8.0, out.ptr(), cap)
        };
        assert_eq!(counted(blocking_status(r)), BAD_OUT, "out cap {cap}");
        assert!(out.0.iter().all(|b| *b == 0xA5), "BAD_OUT wrote into out");
    }
    let r = unsafe { opendal_operator_read_into_blocking(fx.op, file.as_ptr(), 4, d, 8.0, null_mut(), 4096) };
    assert_eq!(counted(blocking_status(r)), BAD_OUT, "null out");
    // Nothing to write: a null buffer of length 0 reads 0.
    assert_eq!(call(fx.op, file, null_mut(), 0.0, &mut out), 0.0);
    // A buffer shorter than the content: what fits, not one byte past it;
    // a longer one: the whole content.
    let mut guarded = [0xA5u8; 32];
    assert_eq!(call(fx.op, file, guarded.as_mut_ptr(), 5.0, &mut out), 5.0);
    assert_eq!(&guarded[..5], b"hello");
    assert!(guarded[5..].iter().all(|b| *b == 0xA5), "wrote past the buffer");
    assert_eq!(call(fx.op, file, guarded.as_mut_ptr(), 24.0, &mut out), 19.0);
    assert_eq!(&guarded[..19], b"hello hostile world");
    assert!(guarded[19..].iter().all(|b| *b == 0xA5), "wrote past the content");
}

#[test]
fn presign_write_and_copy_to_refuse_bad_arguments() {
    let fx = Fixture::new();
    let q = fx.queue;
    let mut out = Out::new();
    let good = [path("file"), num(EXPIRE, 60.0)].concat();
    hostile_input("presign", PATH, &|p, n, o| unsafe {
        opendal_operator_presign(fx.op, 0, p, n, q, 0, o.ptr(), o.cap())
    });
    hostile_handle("presign", &fx, "operator", &|h, o| unsafe {
        opendal_operator_presign(
            h,
            0,
            good.as_ptr(),
            good.len() as u32,
            q,
            0,
            o.ptr(),
            o.cap(),
        )
    });
    hostile_tail("presign", &fx, &|q, t, o, c| unsafe {
        opendal_operator_presign(fx.op, 0, good.as_ptr(), good.len() as u32, q, t, o, c)
    });
    for kind in [4, 99, u32::MAX] {
        let s = unsafe {
            opendal_operator_presign(
                fx.op,
                kind,
                good.as_ptr(),
                good.len() as u32,
                q,
                0,
                out.ptr(),
                out.cap(),
            )
        };
        expect(
            &format!("presign kind {kind}"),
            s,
            CONFIG_INVALID,
            &out,
            "presign kind",
        );
    }
    for expire in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e12] {
        let b = [path("file"), num(EXPIRE, expire)].concat();
        let s = unsafe {
            opendal_operator_presign(
                fx.op,
                0,
                b.as_ptr(),
                b.len() as u32,
                q,
                0,
                out.ptr(),
                out.cap(),
            )
        };
        expect(
            &format!("presign expire {expire}"),
            s,
            CONFIG_INVALID,
            &out,
            "expire",
        );
    }
    let s = unsafe {
        opendal_operator_presign(
            fx.op,
            0,
            good.as_ptr(),
            good.len() as u32,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    expect("presign on memory", s, UNSUPPORTED, &out, "presign");

    // write: (input, data, f64 length).
    let data = b"0123456789";
    let p = path("written");
    hostile_input("write", PATH, &|ip, n, o| unsafe {
        opendal_operator_write(fx.op, ip, n, data.as_ptr(), 10.0, q, 0, o.ptr(), o.cap())
    });
    hostile_handle("write", &fx, "operator", &|h, o| unsafe {
        opendal_operator_write(
            h,
            p.as_ptr(),
            p.len() as u32,
            data.as_ptr(),
            10.0,
            q,
            0,
            o.ptr(),
            o.cap(),
        )
    });
    hostile_tail("write", &fx, &|q, t, o, c| unsafe {
        opendal_operator_write(
            fx.op,
            p.as_ptr(),
            p.len() as u32,
            data.as_ptr(),
            10.0,
            q,
            t,
            o,
            c,
        )
    });
    for bad in bad_lengths() {
        let s = unsafe {
            opendal_operator_write(
                fx.op,
                p.as_ptr(),
                p.len() as u32,
                data.as_ptr(),
                bad,
                q,
                0,
                out.ptr(),
                out.cap(),
            )
        };
        expect(
            &format!("write data length {bad}"),
            s,
            CONFIG_INVALID,
            &out,
            "data",
        );
    }
    for len in [1.0, 4096.0, u32::MAX as f64] {
        let s = unsafe {
            opendal_operator_write(
                fx.op,
                p.as_ptr(),
                p.len() as u32,
                null(),
                len,
                q,
                0,
                out.ptr(),
                out.cap(),
            )
        };
        expect("write null data", s, CONFIG_INVALID, &out, "data is null");
    }
    let s = unsafe {
        opendal_operator_write(
            fx.op,
            p.as_ptr(),
            p.len() as u32,
            null(),
            0.0,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    expect("write null data of length 0", s, OK, &out, "");

    // copy_to: two operators.
    let to = [path("file"), field(TARGET, b"copied")].concat();
    hostile_input("copy_to", PATH, &|ip, n, o| unsafe {
        opendal_operator_copy_to(fx.op, fx.op, ip, n, q, 0, o.ptr(), o.cap())
    });
    hostile_handle("copy_to (source)", &fx, "operator", &|h, o| unsafe {
        opendal_operator_copy_to(
            h,
            fx.op,
            to.as_ptr(),
            to.len() as u32,
            q,
            0,
            o.ptr(),
            o.cap(),
        )
    });
    hostile_handle("copy_to (target)", &fx, "operator", &|h, o| unsafe {
        opendal_operator_copy_to(
            fx.op,
            h,
            to.as_ptr(),
            to.len() as u32,
            q,
            0,
            o.ptr(),
            o.cap(),
        )
    });
    hostile_tail("copy_to", &fx, &|q, t, o, c| unsafe {
        opendal_operator_copy_to(fx.op, fx.op, to.as_ptr(), to.len() as u32, q, t, o, c)
    });
    let s = unsafe {
        opendal_operator_copy_to(
            fx.op,
            fx.op,
            to.as_ptr(),
            to.len() as u32,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    expect("copy_to", s, OK, &out, "");
}

/// `double` byte counts the API documents as bounded: negative, fractional,
/// not finite, or beyond 2^53 (where doubles stop being exact).
fn bad_lengths() -> Vec<f64> {
    vec![
        -1.0,
        -2.0,
        0.5,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        2f64.powi(53) + 2.0,
        2f64.powi(63),
        2f64.powi(64),
        1e300,
    ]
}

#[test]
fn deleter_refuses_bad_handles_and_input() {
    let fx = Fixture::new();
    let q = fx.queue;
    let mut out = Out::new();
    let none: [u8; 0] = [];
    hostile_handle("deleter", &fx, "operator", &|h, o| unsafe {
        opendal_operator_deleter(h, none.as_ptr(), 0, q, 0, o.ptr(), o.cap())
    });
    hostile_tail("deleter", &fx, &|q, t, o, c| unsafe {
        opendal_operator_deleter(fx.op, none.as_ptr(), 0, q, t, o, c)
    });
    let opt = field(RECURSIVE, &[1]);
    let s = unsafe {
        opendal_operator_deleter(fx.op, opt.as_ptr(), opt.len() as u32, q, 0, out.ptr(), out.cap())
    };
    expect("deleter with an option", s, CONFIG_INVALID, &out, "not accepted by deleter");
    let s = unsafe { opendal_operator_deleter(fx.op, null(), 0, q, 0, out.ptr(), out.cap()) };
    expect("deleter", s, OK, &out, "");
    let deleter = out.f64_at(0);

    let good = path("nothing");
    let delete = |h: f64, input: &[u8], out: &mut Out| unsafe {
        opendal_deleter_delete(h, input.as_ptr(), input.len() as u32, q, 0, out.ptr(), out.cap())
    };
    hostile_handle("deleter_delete", &fx, "deleter", &|h, o| delete(h, &good, o));
    hostile_tail("deleter_delete", &fx, &|q, t, o, c| unsafe {
        opendal_deleter_delete(deleter, good.as_ptr(), good.len() as u32, q, t, o, c)
    });
    hostile_handle("deleter_close", &fx, "deleter", &|h, o| unsafe {
        opendal_deleter_close(h, q, 0, o.ptr(), o.cap())
    });
    let mut truncated = path("abc");
    truncated.pop();
    let cases = [
        ("invalid UTF-8", field(PATH, &[b'a', 0xFF]), "UTF-8"),
        ("embedded NUL", field(PATH, b"a\0b"), "NUL"),
        ("the root", [path("ok"), path("/")].concat(), "below the root"),
        ("truncated", truncated, "truncated"),
        ("unknown tag", [path("ok"), field(200, b"x")].concat(), "unknown input field"),
        (
            "an option before any path",
            [field(VERSION, b"v"), path("a")].concat(),
            "not accepted by deleteMany",
        ),
        (
            "an option deleteMany does not take",
            [path("a"), field(RECURSIVE, &[1])].concat(),
            "recursive is not accepted by deleteMany",
        ),
    ];
    for (what, input, says) in cases {
        let s = delete(deleter, &input, &mut out);
        expect(&format!("deleter_delete: {what}"), s, CONFIG_INVALID, &out, says);
    }
    // memory keeps no versions.
    let s = delete(deleter, &[path("a"), field(VERSION, b"v")].concat(), &mut out);
    expect("deleter_delete: a version", s, UNSUPPORTED, &out, "version");
    let s = unsafe { opendal_deleter_delete(deleter, null(), 9, q, 0, out.ptr(), out.cap()) };
    expect("deleter_delete: null input", s, CONFIG_INVALID, &out, "null");
    // Good input works; a closed deleter refuses all but its handle's close.
    let s = delete(deleter, &good, &mut out);
    expect("deleter_delete", s, OK, &out, "");
    hostile_tail("deleter_close", &fx, &|q, t, o, c| unsafe {
        opendal_deleter_close(deleter, q, t, o, c)
    });
    let s = unsafe { opendal_deleter_close(deleter, q, 0, out.ptr(), out.cap()) };
    expect("deleter_close", s, OK, &out, "");
    let s = unsafe { opendal_deleter_close(deleter, q, 0, out.ptr(), out.cap()) };
    expect("deleter closed twice", s, CONFIG_INVALID, &out, "already closed");
    let s = delete(deleter, &good, &mut out);
    expect("deleter_delete after close", s, CONFIG_INVALID, &out, "already closed");
    assert_eq!(opendal_close(deleter), OK);
}

#[test]
fn copier_and_composer_refuse_bad_handles() {
    let fx = Fixture::new();
    let q = fx.queue;
    let mut out = Out::new();
    let dir = TempDir::new("copier");
    let fs = fs_operator(q, &dir);
    write(fs, q, "a", b"copied");
    let input = [path("a"), field(TARGET, b"b")].concat();
    let s = unsafe {
        opendal_operator_copier(fs, input.as_ptr(), input.len() as u32, q, 0, out.ptr(), out.cap())
    };
    expect("copier on fs", s, OK, &out, "");
    let copier = out.f64_at(0);
    type Step = unsafe extern "C" fn(f64, f64, u32, *mut u8, u32) -> i32;
    let steps: [(&str, Step); 3] = [
        ("copier_next", opendal_copier_next),
        ("copier_abort", opendal_copier_abort),
        ("copier_close", opendal_copier_close),
    ];
    for (name, f) in steps {
        hostile_handle(name, &fx, "copier", &|h, o| unsafe { f(h, q, 0, o.ptr(), o.cap()) });
        hostile_tail(name, &fx, &|q, t, o, c| unsafe { f(copier, q, t, o, c) });
    }
    // fs copies in one request: the first step completes it; close commits.
    let s = unsafe { opendal_copier_next(copier, q, 0, out.ptr(), out.cap()) };
    expect("copier_next", s, OK, &out, "");
    assert_eq!(out.f64_at(0), -1.0, "one step, and the copy is complete");
    let s = unsafe { opendal_copier_close(copier, q, 0, out.ptr(), out.cap()) };
    expect("copier_close", s, OK, &out, "");
    let s = unsafe { opendal_copier_next(copier, q, 0, out.ptr(), out.cap()) };
    expect("copier_next after close", s, CONFIG_INVALID, &out, "already closed");
    let s = unsafe { opendal_copier_abort(copier, q, 0, out.ptr(), out.cap()) };
    expect("copier_abort after close", s, OK, &out, "");
    assert_eq!(opendal_close(copier), OK);
    assert_eq!(opendal_close(fs), OK);

    // No service here composes: the composer exports meet only bad handles.
    let source = path("file");
    hostile_handle("composer_compose", &fx, "composer", &|h, o| unsafe {
        opendal_composer_compose(h, source.as_ptr(), source.len() as u32, q, 0, o.ptr(), o.cap())
    });
    hostile_handle("composer_close", &fx, "composer", &|h, o| unsafe {
        opendal_composer_close(h, q, 0, o.ptr(), o.cap())
    });
}

#[test]
fn services_list_fits_any_buffer() {
    let full = unsafe { opendal_services(null_mut(), 0) } as usize;
    assert!(full > 0);
    // A null buffer is never written, whatever its capacity says.
    assert_eq!(unsafe { opendal_services(null_mut(), 64) } as usize, full);
    let mut small = [0u8; 8];
    assert_eq!(unsafe { opendal_services(small.as_mut_ptr(), 3) } as usize, full);
    assert_eq!(&small[3..], &[0; 5], "nothing past the capacity");
    let mut all = vec![0u8; full];
    unsafe { opendal_services(all.as_mut_ptr(), full as u32) };
    let text = String::from_utf8(all).unwrap();
    assert!(text.split(',').any(|s| s == "memory"), "{text}");
    assert_eq!(&small[..3], &text.as_bytes()[..3], "what fits is copied");
}

#[test]
fn reader_writer_and_lister_refuse_bad_arguments() {
    let fx = Fixture::new();
    let q = fx.queue;
    let mut out = Out::new();
    hostile_handle("reader_read", &fx, "reader", &|h, o| unsafe {
        opendal_reader_read(h, 0.0, 4.0, q, 0, o.ptr(), o.cap())
    });
    hostile_tail("reader_read", &fx, &|q, t, o, c| unsafe {
        opendal_reader_read(fx.reader, 0.0, 4.0, q, t, o, c)
    });
    // Offset -1 asks for the last `length` bytes, and needs a length.
    let s = unsafe { opendal_reader_read(fx.reader, -1.0, -1.0, q, 0, out.ptr(), out.cap()) };
    expect("reader suffix without length", s, CONFIG_INVALID, &out, "suffix");
    for bad in bad_lengths() {
        if bad != -1.0 {
            let s =
                unsafe { opendal_reader_read(fx.reader, bad, 4.0, q, 0, out.ptr(), out.cap()) };
            expect(
                &format!("reader offset {bad}"),
                s,
                CONFIG_INVALID,
                &out,
                "offset",
            );
        }
        if bad != -1.0 {
            let s = unsafe { opendal_reader_read(fx.reader, 0.0, bad, q, 0, out.ptr(), out.cap()) };
            expect(
                &format!("reader length {bad}"),
                s,
                CONFIG_INVALID,
                &out,
                "length must be",
            );
        }
    }
    // Far past the end, at the largest exact offset: nothing, not an error.
    let s = unsafe {
        opendal_reader_read(
            fx.reader,
            2f64.powi(53),
            2f64.powi(53),
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    expect("reader past the end", s, OK, &out, "");
    assert_eq!(out.f64_at(0), 0.0);
    opendal_queue_release(q, 0);

    let d = b"chunk";
    hostile_handle("writer_write", &fx, "writer", &|h, o| unsafe {
        opendal_writer_write(h, d.as_ptr(), 5.0, q, 0, o.ptr(), o.cap())
    });
    hostile_tail("writer_write", &fx, &|q, t, o, c| unsafe {
        opendal_writer_write(fx.writer, d.as_ptr(), 5.0, q, t, o, c)
    });
    for bad in bad_lengths() {
        let s =
            unsafe { opendal_writer_write(fx.writer, d.as_ptr(), bad, q, 0, out.ptr(), out.cap()) };
        expect(
            &format!("writer data length {bad}"),
            s,
            CONFIG_INVALID,
            &out,
            "data",
        );
    }
    let s = unsafe { opendal_writer_write(fx.writer, null(), 3.0, q, 0, out.ptr(), out.cap()) };
    expect("writer null data", s, CONFIG_INVALID, &out, "data is null");
    hostile_handle("writer_close", &fx, "writer", &|h, o| unsafe {
        opendal_writer_close(h, q, 0, o.ptr(), o.cap())
    });
    hostile_handle("writer_abort", &fx, "writer", &|h, o| unsafe {
        opendal_writer_abort(h, q, 0, o.ptr(), o.cap())
    });
    hostile_tail("writer_close", &fx, &|q, t, o, c| unsafe {
        opendal_writer_close(fx.writer, q, t, o, c)
    });
    hostile_tail("writer_abort", &fx, &|q, t, o, c| unsafe {
        opendal_writer_abort(fx.writer, q, t, o, c)
    });
    // Closed once, the writer refuses everything but its handle's close.
    let s = unsafe { opendal_writer_close(fx.writer, q, 0, out.ptr(), out.cap()) };
    expect("writer close", s, OK, &out, "");
    let s = unsafe { opendal_writer_close(fx.writer, q, 0, out.ptr(), out.cap()) };
    expect(
        "writer closed twice",
        s,
        CONFIG_INVALID,
        &out,
        "already closed",
    );
    let s = unsafe { opendal_writer_abort(fx.writer, q, 0, out.ptr(), out.cap()) };
    expect(
        "writer abort after close",
        s,
        CONFIG_INVALID,
        &out,
        "already closed",
    );
    let s = unsafe { opendal_writer_write(fx.writer, d.as_ptr(), 5.0, q, 0, out.ptr(), out.cap()) };
    expect(
        "writer write after close",
        s,
        CONFIG_INVALID,
        &out,
        "already closed",
    );

    hostile_handle("lister_next", &fx, "lister", &|h, o| unsafe {
        opendal_lister_next(h, 10, q, 0, o.ptr(), o.cap())
    });
    hostile_tail("lister_next", &fx, &|q, t, o, c| unsafe {
        opendal_lister_next(fx.lister, 10, q, t, o, c)
    });
    // max 0 and u32::MAX are both fine: at least one entry, at most what exists.
    for max in [0, u32::MAX] {
        let s = unsafe { opendal_lister_next(fx.lister, max, q, 0, out.ptr(), out.cap()) };
        expect(&format!("lister_next max {max}"), s, OK, &out, "");
    }
    for _ in 0..3 {
        let s = unsafe { opendal_lister_next(fx.lister, 1, q, 0, out.ptr(), out.cap()) };
        expect("lister_next after the end", s, OK, &out, "");
        assert_eq!((out.u32_at(0), out.u32_at(4)), (0, 1), "no entries, done");
    }
}

#[test]
fn close_count_and_logs_survive_anything() {
    for h in forged(64) {
        assert_eq!(
            counted(opendal_close(h)),
            CONFIG_INVALID,
            "close forged {h}"
        );
    }
    let fx = Fixture::new();
    for (k, h) in &fx.closed {
        assert_eq!(
            counted(opendal_close(*h)),
            CONFIG_INVALID,
            "close closed {k} again"
        );
    }
    let count = counted(opendal_handle_count());
    assert!(count >= 6.0 && count.fract() == 0.0, "handle count {count}");

    let q = fx.queue;
    assert_eq!(counted(opendal_log_pending(q)), 0);
    let mut out = Out::new();
    for (what, bad) in fx.not_a("queue") {
        assert_eq!(counted(opendal_log_pending(bad)), 0, "pending on {what}");
        let s = unsafe { opendal_log_drain(bad, out.ptr(), out.cap()) };
        expect(&format!("drain {what}"), s, CONFIG_INVALID, &out, "queue");
    }
    assert_eq!(
        counted(unsafe { opendal_log_drain(q, null_mut(), 0) }),
        BAD_OUT
    );
    assert_eq!(
        counted(unsafe { opendal_log_drain(q, null_mut(), 4096) }),
        BAD_OUT
    );
    out.0.fill(0xA5);
    assert_eq!(
        counted(unsafe { opendal_log_drain(q, out.ptr(), MIN_OUT as u32 - 1) }),
        BAD_OUT
    );
    assert!(out.0.iter().all(|b| *b == 0xA5));
    assert_eq!(
        counted(unsafe { opendal_log_drain(q, out.ptr(), MIN_OUT as u32) }),
        OK
    );
    assert!(
        out.0[MIN_OUT..].iter().all(|b| *b == 0xA5),
        "log_drain wrote past out_cap"
    );
}

#[test]
fn errors_cut_to_a_small_out_stay_utf8() {
    let fx = Fixture::new();
    let q = fx.queue;
    // A NotFound message quotes the path: with a long multi-byte path, some
    // `out_cap` cuts the message inside a character.
    let input = path(&"é€😀".repeat(40));
    for cap in MIN_OUT as u32..400 {
        let mut out = Out(vec![0xA5; 512]);
        let s = unsafe {
            opendal_operator_stat(
                fx.op,
                input.as_ptr(),
                input.len() as u32,
                q,
                0,
                out.ptr(),
                cap,
            )
        };
        assert_eq!(counted(s), NOT_FOUND);
        assert!(
            out.0[cap as usize..].iter().all(|b| *b == 0xA5),
            "wrote past out_cap {cap}"
        );
        assert!(out.u32_at(4) + 8 <= cap, "message length fits in {cap}");
        out.0.truncate(cap as usize);
        let _ = out.message(); // panics on invalid UTF-8
    }
}

#[test]
fn tickets_misused_fail_cleanly() {
    let fx = Fixture::new();
    let q = fx.queue;
    let mut out = Out::new();
    let mut tickets = [0u8; 64];

    // Unknown tickets and bad queues.
    for t in [1, 77, u32::MAX] {
        let s = unsafe { opendal_queue_outcome(q, t, out.ptr(), out.cap()) };
        expect(
            "outcome of an unknown ticket",
            s,
            CONFIG_INVALID,
            &out,
            "no finished outcome",
        );
        let s = unsafe { opendal_queue_take(q, t, tickets.as_mut_ptr(), 4.0) };
        assert_eq!(counted(s), CONFIG_INVALID, "take of unknown ticket {t}");
        assert_eq!(
            counted(opendal_queue_cancel(q, t)),
            NOT_FOUND,
            "cancel of unknown ticket {t}"
        );
        opendal_queue_release(q, t);
        counted(());
    }
    for (what, bad) in fx.not_a("queue") {
        let s = unsafe { opendal_queue_outcome(bad, 1, out.ptr(), out.cap()) };
        expect(
            &format!("outcome on {what}"),
            s,
            CONFIG_INVALID,
            &out,
            "queue",
        );
        assert_eq!(
            counted(unsafe { opendal_queue_take(bad, 1, tickets.as_mut_ptr(), 4.0) }),
            CONFIG_INVALID
        );
        assert_eq!(
            counted(opendal_queue_cancel(bad, 1)),
            CONFIG_INVALID,
            "cancel on {what}"
        );
        opendal_queue_release(bad, 1);
        counted(());
        assert_eq!(
            counted(unsafe { opendal_queue_wait(bad, tickets.as_mut_ptr(), 16, 0) }),
            CLOSED
        );
        assert_eq!(
            counted(unsafe { opendal_queue_wait(bad, tickets.as_mut_ptr(), 16, -1) }),
            CLOSED,
            "a bad queue never blocks"
        );
    }
    assert_eq!(
        counted(unsafe { opendal_queue_outcome(q, 1, null_mut(), 0) }),
        BAD_OUT
    );
    assert_eq!(
        counted(unsafe { opendal_queue_outcome(q, 1, out.ptr(), 63) }),
        BAD_OUT
    );
    assert_eq!(
        counted(unsafe { opendal_queue_wait(q, null_mut(), 16, -1) }),
        BAD_OUT,
        "null tickets never block"
    );
    assert_eq!(
        counted(unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 0, -1) }),
        BAD_OUT,
        "cap 0 never blocks"
    );
    assert_eq!(
        counted(unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 16, 0) }),
        0,
        "nothing pending"
    );
    let t0 = Instant::now();
    assert_eq!(
        counted(unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 16, 30) }),
        0
    );
    assert!(
        t0.elapsed() >= Duration::from_millis(25),
        "timeout is honoured"
    );

    // Work that is certain to stay pending: a write through a throttle of
    // 1 byte/s whose burst the first write used up.
    let slow = throttled_memory_operator(q);
    write(slow, q, "f", &[7u8; 1000]);
    let data = [8u8; 1000];
    let p = path("f");
    let submit_slow = |ticket: u32, out: &mut Out| unsafe {
        opendal_operator_write(
            slow,
            p.as_ptr(),
            p.len() as u32,
            data.as_ptr(),
            data.len() as f64,
            q,
            ticket,
            out.ptr(),
            out.cap(),
        )
    };
    assert_eq!(
        counted(submit_slow(5, &mut out)),
        PENDING,
        "throttled write"
    );
    let s = submit_slow(5, &mut out);
    expect(
        "ticket 5 reused while in use",
        s,
        CONFIG_INVALID,
        &out,
        "still in use",
    );
    let s = unsafe { opendal_queue_take(q, 5, tickets.as_mut_ptr(), 4.0) };
    assert_eq!(counted(s), CONFIG_INVALID, "take of a running ticket");
    let s = unsafe { opendal_queue_outcome(q, 5, out.ptr(), out.cap()) };
    expect(
        "outcome of a running ticket",
        s,
        CONFIG_INVALID,
        &out,
        "no finished outcome",
    );
    opendal_queue_release(q, 5); // running work is left alone
    assert_eq!(
        counted(opendal_queue_cancel(q, 5)),
        OK,
        "cancel running work"
    );
    assert_eq!(
        counted(opendal_queue_cancel(q, 5)),
        NOT_FOUND,
        "cancel twice"
    );
    let n = unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 16, 10_000) };
    assert_eq!(n, 1);
    assert_eq!(u32::from_le_bytes(tickets[..4].try_into().unwrap()), 5);
    let s = unsafe { opendal_queue_outcome(q, 5, out.ptr(), out.cap()) };
    expect("cancelled outcome", s, CANCELLED, &out, "aborted");
    let s = unsafe { opendal_queue_outcome(q, 5, out.ptr(), out.cap()) };
    expect(
        "outcome collected twice",
        s,
        CONFIG_INVALID,
        &out,
        "no finished outcome",
    );
    // Cancelled and collected, ticket 5 takes new work; closing the
    // operator under pending work and cancelling it leaves nothing behind.
    assert_eq!(
        counted(submit_slow(5, &mut out)),
        PENDING,
        "ticket 5 is free again"
    );
    assert_eq!(opendal_close(slow), OK);
    assert_eq!(counted(opendal_queue_cancel(q, 5)), OK);
    assert_eq!(
        unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 16, 10_000) },
        1
    );
    opendal_queue_release(q, 5);
    let s = unsafe { opendal_queue_outcome(q, 5, out.ptr(), out.cap()) };
    expect(
        "outcome after release",
        s,
        CONFIG_INVALID,
        &out,
        "no finished outcome",
    );

    let dir = TempDir::new("tickets");
    let fs = fs_operator(q, &dir);
    write(fs, q, "f", &[7u8; 1000]);
    // Released uncollected work frees the ticket without an outcome.
    let s = unsafe {
        opendal_operator_read(fs, p.as_ptr(), p.len() as u32, q, 8, out.ptr(), out.cap())
    };
    if s == PENDING {
        let n = unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 16, 10_000) };
        assert_eq!(n, 1);
    }
    opendal_queue_release(q, 8);
    let s = unsafe { opendal_queue_outcome(q, 8, out.ptr(), out.cap()) };
    expect(
        "outcome after release",
        s,
        CONFIG_INVALID,
        &out,
        "no finished outcome",
    );
    let s = unsafe {
        opendal_operator_stat(fs, p.as_ptr(), p.len() as u32, q, 8, out.ptr(), out.cap())
    };
    assert!(
        s == PENDING || s == OK,
        "ticket 8 is free after release: {s}"
    );
    if s == PENDING {
        unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 16, 10_000) };
    }
    opendal_queue_release(q, 8);
    assert_eq!(opendal_close(fs), OK);
}

/// Many reads and lists in flight while other threads close the operator,
/// the reader, the lister and finally a queue: every call returns a status,
/// every pending ticket finishes with OK (its work holds its own reference)
/// and nothing deadlocks.
#[test]
fn close_races_operations_in_flight() {
    const ROUNDS: u32 = 3;
    const PER_ROUND: u32 = 200;
    let dir = TempDir::new("race");
    for round in 0..ROUNDS {
        let q = opendal_queue_new();
        let fs = fs_operator(q, &dir);
        let mem = memory_operator(q);
        write(fs, q, "f", &[1u8; 4096]);
        write(mem, q, "m", &[2u8; 100]);
        for i in 0..20 {
            write(fs, q, &format!("dir/{i}"), b"x");
        }
        let mut out = Out::new();
        let p = path("f");
        let reader = handle_of(
            "reader",
            unsafe {
                opendal_operator_reader(fs, p.as_ptr(), p.len() as u32, q, 0, out.ptr(), out.cap())
            },
            &out,
        );
        let d = path("dir/");
        let lister = handle_of(
            "lister",
            unsafe {
                opendal_operator_lister(fs, d.as_ptr(), d.len() as u32, q, 0, out.ptr(), out.cap())
            },
            &out,
        );

        let submit = std::thread::spawn(move || {
            let mut out = Out::new();
            let mut results = Vec::new();
            let (f, m, d) = (path("f"), path("m"), path("dir/"));
            for t in 1..=PER_ROUND {
                let s = unsafe {
                    match t % 5 {
                        0 => opendal_operator_read(
                            fs,
                            f.as_ptr(),
                            f.len() as u32,
                            q,
                            t,
                            out.ptr(),
                            out.cap(),
                        ),
                        1 => opendal_reader_read(reader, 0.0, 1000.0, q, t, out.ptr(), out.cap()),
                        2 => opendal_operator_lister(
                            fs,
                            d.as_ptr(),
                            d.len() as u32,
                            q,
                            t,
                            out.ptr(),
                            out.cap(),
                        ),
                        3 => opendal_lister_next(lister, 4, q, t, out.ptr(), out.cap()),
                        _ => opendal_operator_read(
                            mem,
                            m.as_ptr(),
                            m.len() as u32,
                            q,
                            t,
                            out.ptr(),
                            out.cap(),
                        ),
                    }
                };
                if s == OK && t % 5 == 2 {
                    opendal_close(out.f64_at(0));
                }
                let msg = if s > 0 { out.message() } else { String::new() };
                results.push((t, s, msg));
            }
            results
        });
        let closer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_micros(200 * round as u64));
            [
                opendal_close(reader),
                opendal_close(lister),
                opendal_close(fs),
                opendal_close(mem),
            ]
        });
        let results = submit.join().expect("the submitting thread survives");
        let closes = closer.join().expect("the closing thread survives");
        assert_eq!(closes, [OK; 4], "each close of a live handle succeeds once");

        let mut pending = HashSet::new();
        for (t, s, msg) in &results {
            counted(());
            match *s {
                PENDING => {
                    pending.insert(*t);
                }
                OK => opendal_queue_release(q, *t),
                CONFIG_INVALID => assert!(msg.contains("closed"), "ticket {t}: {msg}"),
                other => panic!("ticket {t}: unexpected status {other} ({msg})"),
            }
        }
        // Drain: every pending ticket arrives once, with OK.
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut tickets = vec![0u8; 4 * 64];
        let mut out = Out::new();
        while !pending.is_empty() {
            assert!(
                Instant::now() < deadline,
                "tickets never finished: {pending:?}"
            );
            let n = unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 64, 1000) } as usize;
            for c in tickets[..4 * n].chunks(4) {
                let t = u32::from_le_bytes(c.try_into().unwrap());
                assert!(
                    pending.remove(&t),
                    "ticket {t} arrived twice or was never pending"
                );
                let s = unsafe { opendal_queue_outcome(q, t, out.ptr(), out.cap()) };
                expect(&format!("outcome of ticket {t}"), s, OK, &out, "");
                if t % 5 == 2 {
                    assert_eq!(
                        opendal_close(out.f64_at(0)),
                        OK,
                        "lister made after its operator closed"
                    );
                }
                opendal_queue_release(q, t);
            }
        }
        assert_eq!(
            unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 64, 0) },
            0,
            "nothing extra"
        );
        assert_eq!(opendal_close(q), OK);
    }
}

/// A queue closed under its waiter and its running work: the waiter wakes,
/// the work is aborted or its late result dropped, the operator made through
/// the queue goes with it, later calls fail cleanly.
#[test]
fn closing_a_queue_releases_waiters_and_orphans_work() {
    let dir = TempDir::new("orphans");
    let q = opendal_queue_new();
    let fs = fs_operator(q, &dir);
    write(fs, q, "f", &[3u8; 10_000]);
    let waiter = std::thread::spawn(move || {
        let mut tickets = vec![0u8; 4 * 1024];
        let started = Instant::now();
        let mut seen = 0;
        // Blocks forever unless woken; the close must wake it for good.
        loop {
            let n = unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 1024, -1) };
            if n == CLOSED {
                break;
            }
            assert!(n > 0, "an untimed wait returns tickets or CLOSED, got {n}");
            seen += n;
        }
        (seen, started.elapsed())
    });
    let mut out = Out::new();
    let p = path("f");
    let mut submitted = 0;
    for t in 1..=300 {
        let s = unsafe {
            opendal_operator_read(fs, p.as_ptr(), p.len() as u32, q, t, out.ptr(), out.cap())
        };
        assert!(s == PENDING || s == OK, "read {t}: {s}");
        submitted += 1;
    }
    assert_eq!(opendal_close(q), OK);
    let (seen, took) = waiter.join().expect("the waiter survives");
    assert!(
        seen <= submitted && took < Duration::from_secs(30),
        "seen {seen} in {took:?}"
    );
    let s = unsafe {
        opendal_operator_read(fs, p.as_ptr(), p.len() as u32, q, 1, out.ptr(), out.cap())
    };
    expect("read on the closed queue", s, CONFIG_INVALID, &out, "queue");
    let s = unsafe { opendal_queue_outcome(q, 1, out.ptr(), out.cap()) };
    expect(
        "outcome on the closed queue",
        s,
        CONFIG_INVALID,
        &out,
        "queue",
    );
    assert_eq!(opendal_close(q), CONFIG_INVALID, "double close of a queue");
    assert_eq!(opendal_close(fs), CONFIG_INVALID, "released with its queue");
}

/// The library names itself: the ABI version its header was generated with,
/// and the instance tag every handle it makes carries.
#[test]
fn the_library_names_its_abi_version_and_instance() {
    let header = include_str!("../include/opendal_deno.h");
    let define = header
        .lines()
        .find_map(|l| l.strip_prefix("#define OPENDAL_ABI_VERSION "))
        .expect("the header defines OPENDAL_ABI_VERSION");
    assert_eq!(
        counted(opendal_abi_version()),
        define.trim().parse::<u32>().unwrap()
    );
    let tag = counted(opendal_instance());
    assert!(
        tag >= 1.0 && tag < 2f64.powi(21) && tag.fract() == 0.0,
        "tag {tag}"
    );
    let fx = Fixture::new();
    for (kind, h) in fx.live() {
        assert_eq!((h as u64 >> 32) as f64, tag, "the {kind} carries the tag");
    }
}

/// A memory operator, a reader, an unclosed writer with data, a lister, a
/// layer, a layered operator and a write left pending (throttled), all made
/// through `q`.
fn objects_of(q: f64, dir: &TempDir) -> Vec<(&'static str, f64)> {
    let mut out = Out::new();
    let op = memory_operator(q);
    write(op, q, "f", b"data");
    let p = path("f");
    let call = |f: unsafe extern "C" fn(f64, *const u8, u32, f64, u32, *mut u8, u32) -> i32,
                op: f64,
                input: &[u8],
                out: &mut Out| unsafe {
        f(
            op,
            input.as_ptr(),
            input.len() as u32,
            q,
            0,
            out.ptr(),
            out.cap(),
        )
    };
    let reader = handle_of("reader", call(opendal_operator_reader, op, &p, &mut out), &out);
    // Staged writes: only a close makes the file appear.
    let staged = dir.0.join(".staged");
    let config = [
        field(SCHEME, b"fs"),
        pair(CONFIG, "root", dir.0.to_str().unwrap()),
        pair(CONFIG, "atomic_write_dir", staged.to_str().unwrap()),
    ]
    .concat();
    let fs = handle_of(
        "staged fs operator",
        unsafe {
            opendal_operator_new(
                config.as_ptr(),
                config.len() as u32,
                q,
                0,
                out.ptr(),
                out.cap(),
            )
        },
        &out,
    );
    let writer = handle_of(
        "writer",
        call(opendal_operator_writer, fs, &path("uncommitted"), &mut out),
        &out,
    );
    let s = unsafe { opendal_writer_write(writer, b"abc".as_ptr(), 3.0, q, 0, out.ptr(), out.cap()) };
    assert_eq!(s, OK, "writer_write");
    let lister = handle_of("lister", call(opendal_operator_lister, op, &path(""), &mut out), &out);
    let layer = handle_of(
        "layer",
        unsafe { opendal_layer_new(LAYER_MIME_GUESS, null(), 0, q, 0, out.ptr(), out.cap()) },
        &out,
    );
    let layered = handle_of(
        "layered",
        unsafe { opendal_operator_layer(op, layer, q, 0, out.ptr(), out.cap()) },
        &out,
    );
    let slow = throttled_memory_operator(q);
    write(slow, q, "f", &[7u8; 1000]);
    let data = [8u8; 1000];
    let s = unsafe {
        opendal_operator_write(
            slow,
            p.as_ptr(),
            p.len() as u32,
            data.as_ptr(),
            data.len() as f64,
            q,
            1,
            out.ptr(),
            out.cap(),
        )
    };
    assert_eq!(s, PENDING, "throttled write");
    vec![
        ("operator", op),
        ("reader", reader),
        ("fs operator", fs),
        ("writer", writer),
        ("lister", lister),
        ("layer", layer),
        ("layered operator", layered),
        ("throttled operator", slow),
    ]
}

/// Every object belongs to the queue it was made through: closing the queue
/// releases them all, its pending work included, and aborts an unclosed
/// writer; another queue's objects stay.
#[test]
fn closing_a_queue_releases_every_object_made_through_it() {
    let dir = TempDir::new("queue-owns");
    let keep = opendal_queue_new();
    let kept = memory_operator(keep);
    let q = opendal_queue_new();
    let objects = objects_of(q, &dir);
    assert_eq!(opendal_close(q), OK);
    for (kind, h) in objects {
        assert_eq!(
            counted(opendal_close(h)),
            CONFIG_INVALID,
            "the {kind} outlived its queue"
        );
    }
    assert!(
        !dir.0.join("uncommitted").exists(),
        "a released writer committed its data"
    );
    assert_eq!(opendal_close(kept), OK, "another queue's operator stays");
    assert_eq!(opendal_close(keep), OK);
}

/// A queue belongs to the thread that made it: when the thread exits (as a
/// terminated Deno Worker's does), its queues close and everything made
/// through them goes, with no call from the caller.
#[test]
fn a_thread_that_exits_releases_its_queues_and_their_objects() {
    let dir = TempDir::new("thread-owns");
    let keep = opendal_queue_new();
    let kept = memory_operator(keep);
    let root = dir.0.clone();
    let (q, objects) = std::thread::spawn(move || {
        let dir = TempDir(root);
        let q = opendal_queue_new();
        let objects = objects_of(q, &dir);
        std::mem::forget(dir);
        (q, objects)
    })
    .join()
    .expect("the thread survives");
    assert_eq!(counted(opendal_close(q)), CONFIG_INVALID, "its queue outlived it");
    for (kind, h) in objects {
        assert_eq!(
            counted(opendal_close(h)),
            CONFIG_INVALID,
            "the {kind} outlived its thread"
        );
    }
    assert!(!dir.0.join("uncommitted").exists());
    // This thread's queue is untouched.
    let mut out = Out::new();
    let p = path("missing");
    let s = unsafe {
        opendal_operator_stat(kept, p.as_ptr(), p.len() as u32, keep, 0, out.ptr(), out.cap())
    };
    expect("stat on the kept operator", s, NOT_FOUND, &out, "missing");
    assert_eq!(opendal_close(kept), OK);
    assert_eq!(opendal_close(keep), OK);
}

/// Lines of a `LoggingLayer` go to the queue that made the layer, whichever
/// queue runs the operation; when the layer and the operators using it are
/// gone, that queue gets one record retiring the sink.
#[test]
fn log_lines_go_to_the_queue_that_made_the_layer() {
    const LEVEL: u8 = 91;
    const SINK: u8 = 94;
    const LAYER_LOGGING: u32 = 5;
    let (made, runs) = (opendal_queue_new(), opendal_queue_new());
    let mut out = Out::new();
    let opts = [field(LEVEL, b"debug"), num(SINK, 7.0)].concat();
    let layer = handle_of(
        "logging layer",
        unsafe {
            opendal_layer_new(
                LAYER_LOGGING,
                opts.as_ptr(),
                opts.len() as u32,
                made,
                0,
                out.ptr(),
                out.cap(),
            )
        },
        &out,
    );
    let op = memory_operator(runs);
    let logged = handle_of(
        "logged operator",
        unsafe { opendal_operator_layer(op, layer, runs, 0, out.ptr(), out.cap()) },
        &out,
    );
    let p = path("missing");
    let s = unsafe {
        opendal_operator_stat(logged, p.as_ptr(), p.len() as u32, runs, 0, out.ptr(), out.cap())
    };
    assert_eq!(s, NOT_FOUND);
    assert_eq!(opendal_log_pending(runs), 0, "no line in the running queue");
    assert!(opendal_log_pending(made) >= 2, "start and failure lines");
    let drain = |q: f64, out: &mut Out| -> Vec<(u32, u8, String)> {
        let s = unsafe { opendal_log_drain(q, out.ptr(), out.cap()) };
        assert_eq!(s, OK);
        let count = out.u32_at(0) as usize;
        let mut at = 12;
        (0..count)
            .map(|_| {
                let sink = out.u32_at(at);
                let level = out.0[at + 4];
                let len = out.u32_at(at + 5) as usize;
                let text = String::from_utf8(out.0[at + 9..at + 9 + len].to_vec()).unwrap();
                at += 9 + len;
                (sink, level, text)
            })
            .collect()
    };
    let lines = drain(made, &mut out);
    assert!(
        lines.iter().all(|(sink, _, _)| *sink == 7),
        "{lines:?}"
    );
    assert!(lines.iter().any(|(_, _, t)| t.contains("path=missing")));
    // The layer closed, the operator still logs; closed too, the sink retires.
    assert_eq!(opendal_close(layer), OK);
    assert!(drain(made, &mut out).is_empty());
    assert_eq!(opendal_close(logged), OK);
    assert_eq!(drain(made, &mut out), vec![(7, 255, String::new())]);
    assert_eq!(opendal_log_pending(made), 0);
    for h in [op, made, runs] {
        assert_eq!(opendal_close(h), OK);
    }
}

/// Tickets reused as fast as a caller can, with half of the calls cancelled
/// while they run: every outcome is the one of the call submitted last under
/// its ticket (each file holds its own byte), never a late result of the
/// ticket's previous call.
#[test]
fn tickets_reused_under_cancellation_never_receive_another_calls_result() {
    const FILES: usize = 16;
    const ROUNDS: usize = 1500;
    let dir = TempDir::new("reuse");
    let setup = opendal_queue_new();
    let fs = fs_operator(setup, &dir);
    for i in 0..FILES {
        write(fs, setup, &format!("f{i}"), &vec![i as u8; 64 * 1024]);
    }
    let threads: Vec<_> = (0..4)
        .map(|n| {
            std::thread::spawn(move || {
                let q = opendal_queue_new();
                let mut out = Out::new();
                let mut tickets = [0u8; 64];
                let mut data = vec![0u8; 64 * 1024];
                let (mut checked, mut cancelled) = (0, 0);
                for round in 0..ROUNDS {
                    let ticket = 1 + (round % 2) as u32;
                    let file = (round * 7 + n) % FILES;
                    let p = path(&format!("f{file}"));
                    let mut s = unsafe {
                        opendal_operator_read(fs, p.as_ptr(), p.len() as u32, q, ticket, out.ptr(), out.cap())
                    };
                    if s == PENDING {
                        if round % 2 == 0 {
                            opendal_queue_cancel(q, ticket);
                        }
                        let n = unsafe { opendal_queue_wait(q, tickets.as_mut_ptr(), 16, 10_000) };
                        assert_eq!(n, 1, "one ticket at a time");
                        assert_eq!(u32::from_le_bytes(tickets[..4].try_into().unwrap()), ticket);
                        s = unsafe { opendal_queue_outcome(q, ticket, out.ptr(), out.cap()) };
                    }
                    match s {
                        CANCELLED => cancelled += 1,
                        OK => {
                            let len = out.f64_at(0) as usize;
                            assert_eq!(len, data.len(), "round {round}");
                            assert_eq!(out.u32_at(8), 0, "64 KiB waits for a take");
                            let s = unsafe { opendal_queue_take(q, ticket, data.as_mut_ptr(), len as f64) };
                            assert_eq!(s, OK);
                            assert!(
                                data.iter().all(|b| *b as usize == file),
                                "round {round} on ticket {ticket}: read f{file}, got bytes of f{}",
                                data[0]
                            );
                            checked += 1;
                        }
                        other => panic!("round {round}: status {other}"),
                    }
                    counted(());
                }
                assert_eq!(opendal_close(q), OK);
                (checked, cancelled)
            })
        })
        .collect();
    for t in threads {
        let (checked, cancelled) = t.join().expect("no wrong result");
        assert!(checked > 0 && checked + cancelled == ROUNDS);
    }
    assert_eq!(opendal_close(fs), OK);
    assert_eq!(opendal_close(setup), OK);
}

/// Runs last by name order in a single-threaded run; in parallel runs it
/// just prints the figure so far.
#[test]
fn zz_report_hostile_call_count() {
    eprintln!("hostile calls so far: {}", CALLS.load(Ordering::Relaxed));
}

static NOTIFIED: AtomicU32 = AtomicU32::new(0);

/// A notified function as slow as JavaScript under load: it only counts.
extern "C" fn notified_slowly() {
    NOTIFIED.fetch_add(1, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(200));
}

/// `opendal_queue_notify`: bad `out` and bad queues are refused before any
/// thread starts; a closed queue refuses; closing a queue whose notifier is
/// inside a slow call neither waits for it nor loses the last call.
#[test]
fn queue_notify_refuses_bad_arguments_and_never_holds_up_a_close() {
    let fx = Fixture::new();
    hostile_tail("opendal_queue_notify", &fx, &|q, t, out, cap| unsafe {
        opendal_queue_notify(Some(notified_slowly), q, t, out, cap)
    });
    assert_eq!(NOTIFIED.load(Ordering::SeqCst), 0, "nothing started");

    let dir = TempDir::new("notify");
    let q = opendal_queue_new();
    let fs = fs_operator(q, &dir);
    write(fs, q, "f", &[1u8; 1000]);
    let mut out = Out::new();
    let s = unsafe { opendal_queue_notify(Some(notified_slowly), q, 0, out.ptr(), out.cap()) };
    assert_eq!(s, OK);
    // Stopping and starting again is allowed any number of times.
    let s = unsafe { opendal_queue_notify(None, q, 0, out.ptr(), out.cap()) };
    assert_eq!(s, OK);
    let s = unsafe { opendal_queue_notify(Some(notified_slowly), q, 0, out.ptr(), out.cap()) };
    assert_eq!(s, OK);
    let p = path("f");
    let s = unsafe { opendal_operator_read(fs, p.as_ptr(), p.len() as u32, q, 1, out.ptr(), out.cap()) };
    assert!(s == PENDING || s == OK, "read: {s}");
    if s == PENDING {
        let started = Instant::now();
        while NOTIFIED.load(Ordering::SeqCst) == 0 && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(NOTIFIED.load(Ordering::SeqCst), 1, "told of the read");
    }
    let before = NOTIFIED.load(Ordering::SeqCst);
    // The notifier is (likely) inside its 200 ms call: the close must not wait.
    let started = Instant::now();
    assert_eq!(opendal_close(q), OK);
    assert!(started.elapsed() < Duration::from_millis(150), "close waited");
    let started = Instant::now();
    while NOTIFIED.load(Ordering::SeqCst) == before && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(NOTIFIED.load(Ordering::SeqCst), before + 1, "one last call on close");
    let s = unsafe { opendal_queue_notify(Some(notified_slowly), q, 0, out.ptr(), out.cap()) };
    expect("notify on a closed queue", s, CONFIG_INVALID, &out, "queue");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(NOTIFIED.load(Ordering::SeqCst), before + 1, "nothing after the last call");
}
