//! The one declaration of the boundary's facts: status and error-kind codes,
//! input field tags (each an option, its wire type and its decoder), which
//! options each operation and each layer accepts, every export with the
//! shared tail `queue, ticket, out, out_cap`, and the small enumerations
//! records carry (layer and presign kinds, log levels, entry modes).
//!
//! This file is plain data, shared by the crate and `build.rs` (which
//! `include!`s it). From it `build.rs` writes `src/codes.rs` (the codes and
//! the `Tag` enum), `src/options.rs` (the options decoders),
//! `src/ffi/exports.rs` (the exports, which cbindgen puts in the header),
//! `../src/_ffi/abi.ts` (the TypeScript mirror of the codes) and
//! `../src/_ffi/calls.ts` (each export's FFI symbol and call helper). All
//! are committed, and CI fails when they differ from what this file makes.
//! See CONTRIBUTING.md for the checklists that use it.

#![allow(dead_code)]

/// A named number of the ABI.
pub struct Code {
    /// The name, in PascalCase (`NotFound`); the C name is derived from it.
    pub name: &'static str,
    pub value: i32,
    pub doc: &'static str,
}

const fn code(name: &'static str, value: i32, doc: &'static str) -> Code {
    Code { name, value, doc }
}

/// What a call returns besides an error kind.
pub const STATUSES: &[Code] = &[
    code("Ok", 0, "Success: the result record is in `out`."),
    code(
        "Pending",
        -1,
        "The operation was submitted; its outcome arrives through the queue.",
    ),
    code(
        "Held",
        -2,
        "The result record did not fit in `out`: `out` holds its size as a \
         little-endian `f64`, and `opendal_queue_take` copies it out.",
    ),
    code(
        "BadOut",
        -3,
        "`out` is null or smaller than `OPENDAL_MIN_OUT`; nothing was written.",
    ),
    code(
        "Closed",
        -4,
        "From `opendal_queue_wait`: the queue is closed, or was never a queue.",
    ),
];

/// OpenDAL's error kinds, as positive status codes (never reused), then the
/// two this library adds.
pub const ERROR_KINDS: &[Code] = &[
    code("Unexpected", 1, "OpenDAL's `ErrorKind::Unexpected`."),
    code("Unsupported", 2, "OpenDAL's `ErrorKind::Unsupported`."),
    code("ConfigInvalid", 3, "OpenDAL's `ErrorKind::ConfigInvalid`."),
    code("NotFound", 4, "OpenDAL's `ErrorKind::NotFound`."),
    code(
        "PermissionDenied",
        5,
        "OpenDAL's `ErrorKind::PermissionDenied`.",
    ),
    code("IsADirectory", 6, "OpenDAL's `ErrorKind::IsADirectory`."),
    code("NotADirectory", 7, "OpenDAL's `ErrorKind::NotADirectory`."),
    code("AlreadyExists", 8, "OpenDAL's `ErrorKind::AlreadyExists`."),
    code("RateLimited", 9, "OpenDAL's `ErrorKind::RateLimited`."),
    code("IsSameFile", 10, "OpenDAL's `ErrorKind::IsSameFile`."),
    code(
        "ConditionNotMatch",
        11,
        "OpenDAL's `ErrorKind::ConditionNotMatch`.",
    ),
    code(
        "RangeNotSatisfied",
        12,
        "OpenDAL's `ErrorKind::RangeNotSatisfied`.",
    ),
    code("Conflict", 13, "OpenDAL's `ErrorKind::Conflict`."),
    code(
        "Unknown",
        99,
        "Code for an `ErrorKind` this crate does not know yet.",
    ),
    code(
        "Cancelled",
        100,
        "Code for an operation cancelled by `opendal_queue_cancel`.",
    ),
];

/// Which layer `opendal_layer_new` builds.
pub const LAYER_KINDS: &[Code] = &[
    code("Retry", 0, ""),
    code("Timeout", 1, ""),
    code("ConcurrentLimit", 2, ""),
    code("MimeGuess", 3, ""),
    code("Throttle", 4, ""),
    code("Logging", 5, ""),
    code("CapabilityOverride", 6, ""),
    code("Chaos", 7, ""),
];

/// The options each layer accepts (decoded by hand in `layers.rs`, which
/// validates them before OpenDAL's constructors, which assert). `build.rs`
/// writes `layer_options(kind)`, which `Layer::build` checks the input with.
pub struct LayerOptions {
    /// The kind, as named in `LAYER_KINDS`.
    pub kind: &'static str,
    /// The TypeScript class, named in "option x is not accepted by <class>".
    pub class: &'static str,
    pub options: &'static [&'static str],
}

const fn layer(
    kind: &'static str,
    class: &'static str,
    options: &'static [&'static str],
) -> LayerOptions {
    LayerOptions {
        kind,
        class,
        options,
    }
}

pub const LAYER_OPTIONS: &[LayerOptions] = &[
    layer(
        "Retry",
        "RetryLayer",
        &["maxTimes", "factor", "jitter", "minDelay", "maxDelay"],
    ),
    layer("Timeout", "TimeoutLayer", &["timeout", "ioTimeout"]),
    layer(
        "ConcurrentLimit",
        "ConcurrentLimitLayer",
        &["permits", "httpPermits"],
    ),
    layer("MimeGuess", "MimeGuessLayer", &[]),
    layer("Throttle", "ThrottleLayer", &["bandwidth", "burst"]),
    layer("Logging", "LoggingLayer", &["level", "sink"]),
    layer(
        "CapabilityOverride",
        "CapabilityOverrideLayer",
        &["overrides"],
    ),
    layer("Chaos", "ChaosLayer", &["errorRatio"]),
];

/// Which request `opendal_operator_presign` signs.
pub const PRESIGN_KINDS: &[Code] = &[
    code("Read", 0, ""),
    code("Write", 1, ""),
    code("Stat", 2, ""),
    code("Delete", 3, ""),
];

/// The level byte of a log record (`opendal_log_drain`); `Retired` marks
/// the last record of a sink whose layer is gone.
pub const LOG_LEVELS: &[Code] = &[
    code("Debug", 0, ""),
    code("Info", 1, ""),
    code("Warn", 2, ""),
    code("Error", 3, ""),
    code("Retired", 255, ""),
];

/// The mode byte of a metadata record.
pub const ENTRY_MODES: &[Code] = &[
    code("Unknown", 0, ""),
    code("File", 1, ""),
    code("Dir", 2, ""),
];

/// How a field's bytes are laid out, which is how TypeScript encodes it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// UTF-8 without NUL.
    Text,
    /// A little-endian `f64`.
    Number,
    /// One byte, 0 or 1.
    Boolean,
    /// Milliseconds since the epoch, as a `Number`.
    Date,
    /// `[key_len: u32][key][value]`.
    Pair,
}

/// How an operation's options decoder stores a field into OpenDAL's
/// options struct (the field named like the option, in snake case).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// Not an operation option: decoded by hand (paths, config, layers).
    Manual,
    /// `Some(text)`.
    Text,
    /// `bool`.
    Flag,
    /// `Some(timestamp)`.
    Date,
    /// `usize` in `1..=1024`.
    Concurrent,
    /// `Some(bytes)` in `1..=5 GiB`.
    Chunk,
    /// `Some(n)`, `n >= 1`.
    Positive,
    /// Part of the read range (`offset`, `length`, `suffix`).
    Range,
    /// One entry of the `user_metadata` map.
    Entry,
    /// `Some(n)`, any whole number (sizes and hints in bytes).
    Size,
    /// `n`, any whole number (a count that defaults to 0).
    Count,
    /// `Some(metadata)` built from a `[etag_len: u32][etag][version]` pair
    /// (either may be empty): the identity `ifNotChanged` compares.
    Identity,
}

/// One input field.
pub struct Field {
    /// The option's name as users write it in TypeScript; the Rust and C
    /// names of the tag are derived from it.
    pub option: &'static str,
    /// The tag byte. Part of the ABI: never reuse one.
    pub tag: u8,
    pub wire: Wire,
    pub decode: Decode,
    /// The name error messages use, when it is not `option`.
    pub label: Option<&'static str>,
}

const fn field(option: &'static str, tag: u8, wire: Wire, decode: Decode) -> Field {
    Field {
        option,
        tag,
        wire,
        decode,
        label: None,
    }
}

use Decode as D;
use Wire as W;

/// Every input field. Add an option here, then list it in the operations
/// that accept it (`OPTION_SETS`) or the layer that does (`LAYER_OPTIONS`).
pub const FIELDS: &[Field] = &[
    field("path", 1, W::Text, D::Manual),
    Field {
        label: Some("target path"),
        ..field("target", 2, W::Text, D::Manual)
    },
    field("scheme", 3, W::Text, D::Manual),
    field("config", 4, W::Pair, D::Manual),
    // OpenDAL 0.59's operations (issue 16): `Operator.fromUri`.
    field("uri", 6, W::Text, D::Manual),
    field("version", 10, W::Text, D::Text),
    field("ifMatch", 11, W::Text, D::Text),
    field("ifNoneMatch", 12, W::Text, D::Text),
    field("ifModifiedSince", 13, W::Date, D::Date),
    field("ifUnmodifiedSince", 14, W::Date, D::Date),
    field("ifVersionMatch", 15, W::Text, D::Text),
    field("ifVersionNotMatch", 16, W::Text, D::Text),
    field("ifNotChanged", 17, W::Pair, D::Identity),
    field("offset", 20, W::Number, D::Range),
    field("length", 21, W::Number, D::Range),
    field("concurrent", 22, W::Number, D::Concurrent),
    field("chunk", 23, W::Number, D::Chunk),
    field("suffix", 24, W::Number, D::Range),
    field("gap", 25, W::Number, D::Size),
    field("prefetch", 26, W::Number, D::Count),
    field("contentLengthHint", 27, W::Number, D::Size),
    field("append", 30, W::Boolean, D::Flag),
    field("contentType", 31, W::Text, D::Text),
    field("contentDisposition", 32, W::Text, D::Text),
    field("contentEncoding", 33, W::Text, D::Text),
    field("cacheControl", 34, W::Text, D::Text),
    field("userMetadata", 35, W::Pair, D::Entry),
    field("ifNotExists", 36, W::Boolean, D::Flag),
    field("recursive", 40, W::Boolean, D::Flag),
    field("startAfter", 41, W::Text, D::Text),
    field("limit", 42, W::Number, D::Positive),
    field("versions", 43, W::Boolean, D::Flag),
    field("deleted", 44, W::Boolean, D::Flag),
    field("overrideContentType", 50, W::Text, D::Text),
    field("overrideCacheControl", 51, W::Text, D::Text),
    field("overrideContentDisposition", 52, W::Text, D::Text),
    field("sourceVersion", 60, W::Text, D::Text),
    field("sourceContentLengthHint", 61, W::Number, D::Size),
    field("expire", 70, W::Number, D::Manual),
    field("maxTimes", 80, W::Number, D::Manual),
    field("factor", 81, W::Number, D::Manual),
    field("jitter", 82, W::Boolean, D::Manual),
    field("minDelay", 83, W::Number, D::Manual),
    field("maxDelay", 84, W::Number, D::Manual),
    field("timeout", 85, W::Number, D::Manual),
    field("ioTimeout", 86, W::Number, D::Manual),
    field("permits", 87, W::Number, D::Manual),
    field("httpPermits", 88, W::Number, D::Manual),
    field("bandwidth", 89, W::Number, D::Manual),
    field("burst", 90, W::Number, D::Manual),
    field("level", 91, W::Text, D::Manual),
    field("overrides", 92, W::Text, D::Manual),
    field("errorRatio", 93, W::Number, D::Manual),
    field("sink", 94, W::Number, D::Manual),
];

/// Which capability an accepted option needs.
#[derive(Clone, Copy)]
pub enum Needs {
    /// A hint that changes no result (`concurrent`, `chunk`, `limit`, ...):
    /// never refused.
    Nothing,
    /// The flag `<set's capability>_with_<option in snake case>`
    /// (`stat_with_if_match`), OpenDAL's naming rule.
    Own,
    /// Any one of these flags (OpenDAL's snake_case names).
    AnyOf(&'static [&'static str]),
}

/// One option an operation accepts, and the capability that lets the
/// operator honour it.
#[derive(Clone, Copy)]
pub struct Accepted {
    pub option: &'static str,
    pub needs: Needs,
}

/// `option`, honoured where the operation's own flag for it is true.
const fn own(option: &'static str) -> Accepted {
    Accepted {
        option,
        needs: Needs::Own,
    }
}

/// `option`, honoured where any of `flags` is true.
const fn any_of(option: &'static str, flags: &'static [&'static str]) -> Accepted {
    Accepted {
        option,
        needs: Needs::AnyOf(flags),
    }
}

/// `option`, a hint every service takes (it may ignore it).
const fn hint(option: &'static str) -> Accepted {
    Accepted {
        option,
        needs: Needs::Nothing,
    }
}

/// The options one OpenDAL options struct takes. `build.rs` writes
/// `Input::<name>_options(op)`, which refuses any other field (naming
/// `operation`), decodes each accepted one, then refuses with `Unsupported`
/// the first one set whose capability `op` lacks (overrides included).
pub struct OptionSet {
    /// The decoder's name: `Input::<name>_options`.
    pub name: &'static str,
    /// The operation named in "option x is not accepted by <operation>".
    pub operation: &'static str,
    /// OpenDAL's struct, in `opendal::options`.
    pub rust: &'static str,
    /// The operation whose capability flags `Needs::Own` names (`read` for
    /// the reader and for presigned reads).
    pub capability: &'static str,
    /// The accepted options, in groups shared between sets.
    pub options: &'static [&'static [Accepted]],
}

/// The version and the conditions of a request on one object.
const CONDITIONS: &[Accepted] = &[
    own("version"),
    own("ifMatch"),
    own("ifNoneMatch"),
    own("ifVersionMatch"),
    own("ifVersionNotMatch"),
    own("ifModifiedSince"),
    own("ifUnmodifiedSince"),
];

/// The response headers a read or stat may override.
const OVERRIDES: &[Accepted] = &[
    own("overrideContentType"),
    own("overrideCacheControl"),
    own("overrideContentDisposition"),
];

/// How a read is split into requests.
const READ_HINTS: &[Accepted] = &[
    hint("concurrent"),
    hint("chunk"),
    hint("gap"),
    hint("contentLengthHint"),
];

/// What a write stores besides the bytes.
const CONTENT: &[Accepted] = &[
    own("contentType"),
    own("contentDisposition"),
    own("contentEncoding"),
    own("cacheControl"),
    own("userMetadata"),
];

/// Conditions a write, delete or copy checks against the current object.
const WRITE_CONDITIONS: &[Accepted] = &[
    own("ifMatch"),
    own("ifNoneMatch"),
    own("ifVersionMatch"),
    own("ifVersionNotMatch"),
];

/// A presigned request's expiry (read by hand) and the version and ETag
/// conditions signed into it.
const PRESIGN: &[Accepted] = &[
    hint("expire"),
    own("version"),
    own("ifMatch"),
    own("ifNoneMatch"),
];

const fn set(
    name: &'static str,
    operation: &'static str,
    rust: &'static str,
    capability: &'static str,
    options: &'static [&'static [Accepted]],
) -> OptionSet {
    OptionSet {
        name,
        operation,
        rust,
        capability,
        options,
    }
}

// A presigned request is the operation's own request, signed: its options
// need the operation's capabilities.
pub const OPTION_SETS: &[OptionSet] = &[
    set("stat", "stat", "StatOptions", "stat", &[CONDITIONS, OVERRIDES]),
    set(
        "read",
        "read",
        "ReadOptions",
        "read",
        &[
            &[hint("offset"), hint("length"), own("suffix")],
            CONDITIONS,
            READ_HINTS,
            OVERRIDES,
        ],
    ),
    set(
        "reader",
        "reader",
        "ReaderOptions",
        "read",
        &[CONDITIONS, READ_HINTS, &[hint("prefetch")]],
    ),
    set(
        "write",
        "write",
        "WriteOptions",
        "write",
        &[
            &[any_of("append", &["write_can_append"])],
            CONTENT,
            WRITE_CONDITIONS,
            &[
                own("ifNotExists"),
                any_of(
                    "ifNotChanged",
                    &["write_with_if_version_match", "write_with_if_match"],
                ),
                hint("concurrent"),
                hint("chunk"),
            ],
        ],
    ),
    set(
        "delete",
        "delete",
        "DeleteOptions",
        "delete",
        &[
            &[own("version"), own("recursive")],
            WRITE_CONDITIONS,
            &[any_of(
                "ifNotChanged",
                &["delete_with_if_version_match", "delete_with_if_match"],
            )],
        ],
    ),
    set(
        "list",
        "list",
        "ListOptions",
        "list",
        &[&[
            hint("recursive"),
            own("startAfter"),
            hint("limit"),
            own("versions"),
            own("deleted"),
        ]],
    ),
    set(
        "copy",
        "copy",
        "CopyOptions",
        "copy",
        &[
            &[own("ifNotExists")],
            WRITE_CONDITIONS,
            &[
                any_of(
                    "ifNotChanged",
                    &["copy_with_if_version_match", "copy_with_if_match"],
                ),
                own("sourceVersion"),
                hint("sourceContentLengthHint"),
                hint("concurrent"),
                hint("chunk"),
            ],
        ],
    ),
    set(
        "rename",
        "rename",
        "RenameOptions",
        "rename",
        &[&[own("ifNotExists")]],
    ),
    set(
        "presign_read",
        "presignRead",
        "ReadOptions",
        "read",
        &[PRESIGN, OVERRIDES],
    ),
    set(
        "presign_stat",
        "presignStat",
        "StatOptions",
        "stat",
        &[PRESIGN, OVERRIDES],
    ),
    set(
        "presign_write",
        "presignWrite",
        "WriteOptions",
        "write",
        &[CONTENT, &[hint("expire"), own("ifMatch"), own("ifNoneMatch"), own("ifNotExists")]],
    ),
    set(
        "presign_delete",
        "presignDelete",
        "DeleteOptions",
        "delete",
        &[PRESIGN],
    ),
    // OpenDAL 0.59's operations (issue 16).
    set(
        "delete_entry",
        "deleteMany",
        "DeleteOptions",
        "delete",
        &[&[own("version")]],
    ),
    set(
        "restore",
        "restore",
        "RestoreOptions",
        "restore",
        &[&[own("version"), own("ifNotExists")]],
    ),
    set(
        "compose",
        "compose",
        "ComposeOptions",
        "compose",
        &[CONTENT, &[own("ifMatch"), own("ifNoneMatch"), own("ifNotExists")]],
    ),
    set(
        "compose_source",
        "compose",
        "ComposeSourceOptions",
        "compose",
        &[&[
            any_of("version", &["compose_with_source_version"]),
            any_of("ifMatch", &["compose_with_source_if_match"]),
            any_of(
                "ifNotChanged",
                &["compose_with_source_version", "compose_with_source_if_match"],
            ),
        ]],
    ),
];

/// An operation with the uniform export
/// `opendal_operator_<symbol>(op, input, input_len, queue, ticket, out, out_cap)`.
/// `build.rs` writes the export, which decodes `input`, looks up `op` and
/// runs `crate::operations::<symbol>` (hand-written: options, checks, the
/// future); TypeScript gets the symbol's FFI signature and its call helper.
pub struct Operation {
    /// The export's suffix, and the function in `operations.rs`.
    pub symbol: &'static str,
    /// The call helper's name in TypeScript (`src/_ffi/calls.ts`).
    pub method: &'static str,
    /// The export's doc comment: what it does and its result record.
    pub doc: &'static str,
}

pub const OPERATIONS: &[Operation] = &[
    Operation {
        symbol: "stat",
        method: "stat",
        doc: "Metadata of `Path` (options: version, conditions, overrides). Record: metadata.",
    },
    Operation {
        symbol: "exists",
        method: "exists",
        doc: "Whether `Path` exists. Record: `u32` 0 or 1.",
    },
    Operation {
        symbol: "read",
        method: "read",
        doc: "Reads `Path` whole or a range (offset, length, conditions, version, concurrent, \
              chunk). Record: bytes (`f64` length, `u32` inline flag; when 1 the bytes follow in \
              `out`, when 0 they are held under the ticket for `opendal_queue_take`).",
    },
    Operation {
        symbol: "create_dir",
        method: "createDir",
        doc: "Creates the directory `Path` (which ends with `/`) and its parents. Record: empty.",
    },
    Operation {
        symbol: "delete",
        method: "remove",
        doc: "Deletes `Path` (options: version, recursive). Deleting what does not exist \
              succeeds. Record: empty.",
    },
    Operation {
        symbol: "remove_all",
        method: "removeAll",
        doc: "Deletes `Path` and everything below it. Record: empty.",
    },
    Operation {
        symbol: "copy",
        method: "copy",
        doc: "Copies `Path` to `Target` (options: ifNotExists, ifMatch, ifNoneMatch, \
              sourceVersion). Record: empty.",
    },
    Operation {
        symbol: "rename",
        method: "rename",
        doc: "Renames `Path` to `Target` (option: ifNotExists). Record: empty.",
    },
    Operation {
        symbol: "reader",
        method: "reader",
        doc: "Opens a reader on `Path` for random-access reads. Record: handle.",
    },
    Operation {
        symbol: "writer",
        method: "writer",
        doc: "Opens a writer on `Path` (the write options). Record: handle.",
    },
    Operation {
        symbol: "lister",
        method: "lister",
        doc: "Opens a lister on `Path` (options: recursive, startAfter, limit, versions, \
              deleted). Record: handle.",
    },
    // OpenDAL 0.59's operations (issue 16).
    Operation {
        symbol: "deleter",
        method: "deleter",
        doc: "Opens a deleter (no path, no options): `opendal_deleter_delete` queues paths, \
              sent in batches where the service deletes in batches, and \
              `opendal_deleter_close` sends the rest. Record: handle.",
    },
    Operation {
        symbol: "copier",
        method: "copier",
        doc: "Opens a copier from `Path` to `Target` (the copy options): \
              `opendal_copier_next` drives the copy a step at a time, reporting bytes \
              copied where the service copies in parts. Record: handle.",
    },
    Operation {
        symbol: "restore",
        method: "restore",
        doc: "Restores `Path` from its latest deleted state, or a `Version` (option: \
              ifNotExists, with a version). Record: empty.",
    },
    Operation {
        symbol: "compose",
        method: "compose",
        doc: "Concatenates source objects on the service into `Target`: the destination's \
              options (content headers, userMetadata, ifMatch, ifNoneMatch, ifNotExists) \
              come first, then each source as a `Path` field followed by its own options \
              (version, ifMatch). Record: metadata.",
    },
    Operation {
        symbol: "composer",
        method: "composer",
        doc: "Opens a composer of `Target` (the destination's compose options): \
              `opendal_composer_compose` hands it sources in order, and \
              `opendal_composer_close` commits them. Record: handle.",
    },
];

/// A parameter of an export, before the shared tail
/// `queue, ticket, out, out_cap`.
#[derive(Clone, Copy)]
pub enum Param {
    /// A handle (`Handle`, a `double`), passed to the body as is.
    Handle(&'static str),
    /// A `uint32_t`, passed as is.
    U32(&'static str),
    /// A `double` (an offset or a count), passed as is.
    Number(&'static str),
    /// Tagged fields (`input.rs`): a pointer and a `uint32_t` length
    /// (`<name>_len`); the body gets the decoded `Input`.
    Input(&'static str),
    /// The caller's bytes: a pointer and a `double` length (`<name>_len`);
    /// the body gets them as `&[u8]`, valid only during the call.
    Data(&'static str),
    /// The caller's buffer to fill: a pointer and a `double` capacity
    /// (`<name>_len`). Not passed to the body: the export runs with
    /// `call::run_into`, which copies a bytes result straight into it when the
    /// result is ready before the call returns (never past the capacity).
    Dest(&'static str),
    /// A function the library keeps and calls later, from a thread of its
    /// own (`void (*)(void)`; null for none).
    Function(&'static str),
    /// UTF-8 text: a pointer and a `uint32_t` length (`<name>_len`); the
    /// body gets it as `&str`, valid only during the call.
    Text(&'static str),
}

/// How an export runs its body.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    /// At once on the caller's thread: the body returns the record
    /// (`call::run_now`).
    Now,
    /// As a future: blocking for ticket 0, else submitted to the queue
    /// (`call::run`); the body returns the future.
    Queued,
    /// Blocking on the caller's thread, with no queue and no result record
    /// (`call::run_blocking`): the tail is only `out, out_cap`, a `Dest`
    /// buffer is passed to the body, which returns how many bytes it wrote
    /// there, and the export returns that count as a `double` (>= 0). On
    /// failure it writes the error record into `out` and returns minus the
    /// error's status (< 0); -infinity when `out` cannot hold a record.
    /// For the hottest small calls, where the queue and the record cost as
    /// much as the operation (bench/PROFILE.md).
    Blocking,
}

/// An export with the shared tail whose body is hand-written (the uniform
/// `OPERATIONS` are the others). `build.rs` writes the `extern "C"`
/// function, which decodes the parameters and calls `body`, and its
/// TypeScript symbol and call helper.
pub struct Export {
    /// The C name without `opendal_`.
    pub symbol: &'static str,
    /// The call helper's name in TypeScript (`src/_ffi/exports.ts`).
    pub method: &'static str,
    pub params: &'static [Param],
    pub runs: Runs,
    /// The body, a path in the crate; it takes the parameters in order,
    /// then `queue` and `ticket` when `sees_call` is set.
    pub body: &'static str,
    pub sees_call: bool,
    /// The export's doc comment: what it does and its result record.
    pub doc: &'static str,
}

use Param as P;

pub const EXPORTS: &[Export] = &[
    Export {
        symbol: "queue_notify",
        method: "notifyQueue",
        params: &[P::Function("notify")],
        runs: Runs::Now,
        body: "ffi::queue::notify",
        sees_call: true,
        doc: "Has a thread of `queue` call `notify` each time newly finished tickets are ready \
              (and once more if the queue is closed while it is set), instead of the caller \
              blocking in `opendal_queue_wait`: `notify` collects them with \
              `opendal_queue_wait` and a timeout of 0. The thread holds no lock while it calls \
              and nothing waits for it, so `notify` may make any call, and may block. Null \
              stops the thread; a thread ending stops it too, without a last call. The \
              function must stay callable until it is stopped or the queue is closed. \
              Record: empty.",
    },
    Export {
        symbol: "operator_new",
        method: "newOperator",
        params: &[P::Input("input")],
        runs: Runs::Now,
        body: "ffi::operator::new",
        sees_call: false,
        doc: "Creates an operator from a `Scheme` field and `Config` pairs, or from a `Uri` \
              field (OpenDAL's URI parsing; `Config` pairs on top, and a `Scheme` field, when \
              present, the only scheme accepted). Record: the new handle (`double`). An unknown scheme is `Unsupported`, and its message lists the \
              schemes this build has; an unknown config key is `ConfigInvalid` naming the \
              closest valid key. Keys are OpenDAL's (`access_key_id`) or their camelCase \
              (`accessKeyId`).",
    },
    Export {
        symbol: "operator_info",
        method: "info",
        params: &[P::Handle("op")],
        runs: Runs::Now,
        body: "ffi::operator::info",
        sees_call: false,
        doc: "The operator's scheme, root, name and full capability. Record: info.",
    },
    Export {
        symbol: "operator_check",
        method: "check",
        params: &[P::Handle("op")],
        runs: Runs::Queued,
        body: "ffi::operator::check",
        sees_call: false,
        doc: "Checks that the service answers (for example: the bucket exists). OpenDAL checks \
              by listing; services that cannot list (key-value stores, http) are checked by a \
              stat of a name that does not exist, which must come back as `NotFound` from the \
              service itself. Record: empty.",
    },
    Export {
        symbol: "operator_presign",
        method: "presign",
        params: &[P::Handle("op"), P::U32("kind"), P::Input("input")],
        runs: Runs::Queued,
        body: "ffi::operator::presign",
        sees_call: false,
        doc: "Presigns a request for `Path`, valid for `Expire` seconds. `kind` is a \
              `PresignKind`. Record: presigned request (method, URL, header pairs). Services \
              that cannot presign answer `Unsupported`.",
    },
    Export {
        symbol: "operator_write",
        method: "write",
        params: &[P::Handle("op"), P::Input("input"), P::Data("data")],
        runs: Runs::Queued,
        body: "ffi::operator::write",
        sees_call: false,
        doc: "Writes `data` to `Path` (the write options). The bytes are copied once before this \
              returns, so the caller may reuse `data` at once. Record: metadata (what the \
              service returned).",
    },
    Export {
        symbol: "operator_read_into",
        method: "readInto",
        params: &[P::Handle("op"), P::Input("input"), P::Dest("dst")],
        runs: Runs::Queued,
        body: "ffi::operator::read_into",
        sees_call: false,
        doc: "Reads `Path` as `opendal_operator_read` does (same options) into the caller's \
              `dst`. When the bytes are ready before this returns (always for ticket 0), they \
              are copied straight into `dst`, at most `dst_len` of them, and the record is \
              `f64` count, `u32` 2. Otherwise `dst` is not touched after this returns: the \
              outcome is a bytes record as `opendal_operator_read`'s (flag 1 or 0) for the \
              caller to copy.",
    },
    Export {
        symbol: "operator_read_into_blocking",
        method: "readIntoBlocking",
        params: &[P::Handle("op"), P::Text("path"), P::Dest("dst")],
        runs: Runs::Blocking,
        body: "ffi::operator::read_into_blocking",
        sees_call: false,
        doc: "Reads `path` from its start into `dst`, at most `dst_len` bytes (fewer when the \
              content ends first), blocking on the caller's thread: `opendal_operator_read_into` \
              with no options and ticket 0, without the queue or a result record. Returns the \
              count read, or minus the error's status with its record in `out`.",
    },
    Export {
        symbol: "operator_copy_to",
        method: "copyTo",
        params: &[P::Handle("op"), P::Handle("target"), P::Input("input")],
        runs: Runs::Queued,
        body: "ffi::operator::copy_to",
        sees_call: false,
        doc: "Streams `Path` of operator `op` into `Target` of operator `target` (any service \
              to any service) without the bytes leaving the library: the write options apply \
              to the target. Nothing is committed unless the whole copy succeeds. Record: \
              metadata (the target's).",
    },
    Export {
        symbol: "operator_layer",
        method: "applyLayer",
        params: &[P::Handle("op"), P::Handle("layer")],
        runs: Runs::Now,
        body: "ffi::layer::apply",
        sees_call: false,
        doc: "A new operator: `op` wrapped in `layer`. Both stay usable; applying one layer to \
              many operators shares its state. Record: `double` handle.",
    },
    Export {
        symbol: "layer_new",
        method: "newLayer",
        params: &[P::U32("kind"), P::Input("input")],
        runs: Runs::Now,
        body: "ffi::layer::new",
        sees_call: true,
        doc: "Builds a layer of `kind` (a `LayerKind`) from its options in `input`. Invalid \
              options are `ConfigInvalid`, naming the option. Record: `double` handle.",
    },
    Export {
        symbol: "reader_read",
        method: "readerRead",
        params: &[
            P::Handle("reader"),
            P::Number("offset"),
            P::Number("length"),
        ],
        runs: Runs::Queued,
        body: "ffi::reader::read",
        sees_call: false,
        doc: "Reads `length` bytes at `offset` (`length` -1 reads to the end; `offset` -1 reads \
              the last `length` bytes, where the capability has `read_with_suffix`). A range \
              past the end returns what exists. Record: `f64` length, `u32` inline flag; when 1 the \
              bytes follow in `out`, when 0 they are held under the ticket for \
              `opendal_queue_take`.",
    },
    Export {
        symbol: "writer_write",
        method: "writerWrite",
        params: &[P::Handle("writer"), P::Data("data")],
        runs: Runs::Queued,
        body: "ffi::writer::write",
        sees_call: false,
        doc: "Appends `data` to the writer (copied once before this returns). Record: empty.",
    },
    Export {
        symbol: "writer_close",
        method: "writerClose",
        params: &[P::Handle("writer")],
        runs: Runs::Queued,
        body: "ffi::writer::close",
        sees_call: false,
        doc: "Finishes the write and makes the data visible. Record: metadata.",
    },
    Export {
        symbol: "writer_abort",
        method: "writerAbort",
        params: &[P::Handle("writer")],
        runs: Runs::Queued,
        body: "ffi::writer::abort",
        sees_call: false,
        doc: "Abandons the write: nothing becomes visible where the service supports it. \
              Record: empty.",
    },
    Export {
        symbol: "deleter_delete",
        method: "deleterDelete",
        params: &[P::Handle("deleter"), P::Input("input")],
        runs: Runs::Queued,
        body: "ffi::deleter::delete",
        sees_call: false,
        doc: "Queues the entries of `input` for deletion: each a `Path` field (below the \
              root) followed by its options (`Version`). Every entry is checked before any is \
              queued, so a bad one queues nothing. Paths are sent when a batch fills (or one \
              by one where the service has no batch delete), so a failure here is a \
              service's. Record: empty.",
    },
    Export {
        symbol: "deleter_close",
        method: "deleterClose",
        params: &[P::Handle("deleter")],
        runs: Runs::Queued,
        body: "ffi::deleter::close",
        sees_call: false,
        doc: "Sends every path still queued and closes the deleter. Record: empty.",
    },
    Export {
        symbol: "copier_next",
        method: "copierNext",
        params: &[P::Handle("copier")],
        runs: Runs::Queued,
        body: "ffi::copier::next",
        sees_call: false,
        doc: "Runs the copy's next step. Record: `f64` bytes that step copied (0 where the \
              service does not count them), or -1 once the copy is complete (the last step \
              commits it).",
    },
    Export {
        symbol: "copier_close",
        method: "copierClose",
        params: &[P::Handle("copier")],
        runs: Runs::Queued,
        body: "ffi::copier::close",
        sees_call: false,
        doc: "Runs the steps still to run and commits the copy. Record: metadata (what the \
              service returned for the target).",
    },
    Export {
        symbol: "copier_abort",
        method: "copierAbort",
        params: &[P::Handle("copier")],
        runs: Runs::Queued,
        body: "ffi::copier::abort",
        sees_call: false,
        doc: "Abandons the copy: parts already copied are discarded where the service \
              stages them. Record: empty.",
    },
    Export {
        symbol: "composer_compose",
        method: "composerCompose",
        params: &[P::Handle("composer"), P::Input("input")],
        runs: Runs::Queued,
        body: "ffi::composer::compose",
        sees_call: false,
        doc: "Hands the composer the sources of `input`, in order: each a `Path` field \
              followed by its own options (version, ifMatch, ifNotChanged). Every source is \
              checked before any is handed over. Waits while the service's window of work in \
              flight is full. Record: empty.",
    },
    Export {
        symbol: "composer_close",
        method: "composerClose",
        params: &[P::Handle("composer")],
        runs: Runs::Queued,
        body: "ffi::composer::close",
        sees_call: false,
        doc: "Finishes the composition and commits the destination. Record: metadata.",
    },
    Export {
        symbol: "lister_next",
        method: "listerNext",
        params: &[P::Handle("lister"), P::U32("max")],
        runs: Runs::Queued,
        body: "ffi::lister::next",
        sees_call: true,
        doc: "Returns up to `max` entries (at least 1 unless the listing is done). A blocking \
              call (ticket 0) fills the batch; an asynchronous one waits for the first entry, \
              then collects more for at most a millisecond. Record: count, done flag, then \
              (path, metadata) per entry.",
    },
];
