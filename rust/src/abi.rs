//! The one declaration of the boundary's facts: status and error-kind codes,
//! input field tags (each an option, its wire type and its decoder), which
//! options each operation accepts, the uniform operation exports, and the
//! small enumerations records carry (layer and presign kinds, log levels,
//! entry modes).
//!
//! This file is plain data, shared by the crate and `build.rs` (which
//! `include!`s it). From it `build.rs` writes `src/generated.rs` (the codes,
//! the `Tag` enum and the options decoders), `src/ffi/generated.rs` (the
//! uniform `opendal_operator_*` exports, which cbindgen puts in the header)
//! and `../src/_ffi/abi.ts` (the TypeScript mirror). All three are
//! committed, and CI fails when they differ from what this file makes.
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
    /// Part of the read range (`offset`, `length`).
    Range,
    /// One entry of the `user_metadata` map.
    Entry,
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
/// that accept it (`OPTION_SETS`).
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
    field("offset", 20, W::Number, D::Range),
    field("length", 21, W::Number, D::Range),
    field("concurrent", 22, W::Number, D::Concurrent),
    field("chunk", 23, W::Number, D::Chunk),
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

/// The options one OpenDAL options struct takes. `build.rs` writes
/// `Input::<name>_options()`, which refuses any other field (naming
/// `operation`) and decodes each accepted one.
pub struct OptionSet {
    /// The decoder's name: `Input::<name>_options`.
    pub name: &'static str,
    /// The operation named in "option x is not accepted by <operation>".
    pub operation: &'static str,
    /// OpenDAL's struct, in `opendal::options`.
    pub rust: &'static str,
    pub options: &'static [&'static str],
}

pub const OPTION_SETS: &[OptionSet] = &[
    OptionSet {
        name: "stat",
        operation: "stat",
        rust: "StatOptions",
        options: &[
            "version",
            "ifMatch",
            "ifNoneMatch",
            "ifModifiedSince",
            "ifUnmodifiedSince",
            "overrideContentType",
            "overrideCacheControl",
            "overrideContentDisposition",
        ],
    },
    OptionSet {
        name: "read",
        operation: "read",
        rust: "ReadOptions",
        options: &[
            "offset",
            "length",
            "version",
            "ifMatch",
            "ifNoneMatch",
            "ifModifiedSince",
            "ifUnmodifiedSince",
            "concurrent",
            "chunk",
            "overrideContentType",
            "overrideCacheControl",
            "overrideContentDisposition",
        ],
    },
    OptionSet {
        name: "reader",
        operation: "reader",
        rust: "ReaderOptions",
        options: &[
            "version",
            "ifMatch",
            "ifNoneMatch",
            "ifModifiedSince",
            "ifUnmodifiedSince",
            "concurrent",
            "chunk",
        ],
    },
    OptionSet {
        name: "write",
        operation: "write",
        rust: "WriteOptions",
        options: &[
            "append",
            "contentType",
            "contentDisposition",
            "contentEncoding",
            "cacheControl",
            "userMetadata",
            "ifMatch",
            "ifNoneMatch",
            "ifNotExists",
            "concurrent",
            "chunk",
        ],
    },
    OptionSet {
        name: "delete",
        operation: "delete",
        rust: "DeleteOptions",
        options: &["version", "recursive", "ifMatch"],
    },
    OptionSet {
        name: "list",
        operation: "list",
        rust: "ListOptions",
        options: &["recursive", "startAfter", "limit", "versions", "deleted"],
    },
    OptionSet {
        name: "copy",
        operation: "copy",
        rust: "CopyOptions",
        options: &["ifNotExists", "ifMatch", "ifNoneMatch", "sourceVersion"],
    },
    OptionSet {
        name: "rename",
        operation: "rename",
        rust: "RenameOptions",
        options: &["ifNotExists"],
    },
    // OpenDAL 0.59's operations (issue 16).
    OptionSet {
        name: "delete_entry",
        operation: "deleteMany",
        rust: "DeleteOptions",
        options: &["version"],
    },
    OptionSet {
        name: "restore",
        operation: "restore",
        rust: "RestoreOptions",
        options: &["version", "ifNotExists"],
    },
    OptionSet {
        name: "compose",
        operation: "compose",
        rust: "ComposeOptions",
        options: &[
            "contentType",
            "contentDisposition",
            "contentEncoding",
            "cacheControl",
            "userMetadata",
            "ifMatch",
            "ifNoneMatch",
            "ifNotExists",
        ],
    },
    OptionSet {
        name: "compose_source",
        operation: "compose",
        rust: "ComposeSourceOptions",
        options: &["version", "ifMatch"],
    },
];

/// An operation with the uniform export
/// `opendal_operator_<symbol>(op, input, input_len, queue, ticket, out, out_cap)`.
/// `build.rs` writes the export, which decodes `input`, looks up `op` and
/// runs `crate::operations::<symbol>` (hand-written: options, checks, the
/// future); TypeScript gets the symbol's FFI signature and its call helper.
pub struct Operation {
    /// The export's suffix, and the function in `operations.rs`.
    pub symbol: &'static str,
    /// The call helper's name in TypeScript (`src/_ffi/abi.ts`).
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
];
