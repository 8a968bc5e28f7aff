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
    code("PermissionDenied", 5, "OpenDAL's `ErrorKind::PermissionDenied`."),
    code("IsADirectory", 6, "OpenDAL's `ErrorKind::IsADirectory`."),
    code("NotADirectory", 7, "OpenDAL's `ErrorKind::NotADirectory`."),
    code("AlreadyExists", 8, "OpenDAL's `ErrorKind::AlreadyExists`."),
    code("RateLimited", 9, "OpenDAL's `ErrorKind::RateLimited`."),
    code("IsSameFile", 10, "OpenDAL's `ErrorKind::IsSameFile`."),
    code("ConditionNotMatch", 11, "OpenDAL's `ErrorKind::ConditionNotMatch`."),
    code("RangeNotSatisfied", 12, "OpenDAL's `ErrorKind::RangeNotSatisfied`."),
    code("Conflict", 13, "OpenDAL's `ErrorKind::Conflict`."),
    code("Unknown", 99, "Code for an `ErrorKind` this crate does not know yet."),
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
/// that accept it (`OPTION_SETS`).
pub const FIELDS: &[Field] = &[
    field("path", 1, W::Text, D::Manual),
    Field {
        label: Some("target path"),
        ..field("target", 2, W::Text, D::Manual)
    },
    field("scheme", 3, W::Text, D::Manual),
    field("config", 4, W::Pair, D::Manual),
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

/// One option an operation accepts, with the capability flag (OpenDAL's
/// snake_case name) the operator must report to honour it.
pub struct Accepted {
    pub option: &'static str,
    /// The flags of which at least one must be true; empty for hints that
    /// change no result (`concurrent`, `chunk`, `limit`, ...), never refused.
    pub capability: &'static [&'static str],
}

/// `option`, honoured only where the capability `flag` is true.
const fn needs(option: &'static str, flag: &'static [&'static str]) -> Accepted {
    Accepted {
        option,
        capability: flag,
    }
}

/// `option`, a hint every service takes (it may ignore it).
const fn hint(option: &'static str) -> Accepted {
    Accepted {
        option,
        capability: &[],
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
    pub options: &'static [Accepted],
}

pub const OPTION_SETS: &[OptionSet] = &[
    OptionSet {
        name: "stat",
        operation: "stat",
        rust: "StatOptions",
        options: &[
            needs("version", &["stat_with_version"]),
            needs("ifMatch", &["stat_with_if_match"]),
            needs("ifNoneMatch", &["stat_with_if_none_match"]),
            needs("ifVersionMatch", &["stat_with_if_version_match"]),
            needs("ifVersionNotMatch", &["stat_with_if_version_not_match"]),
            needs("ifModifiedSince", &["stat_with_if_modified_since"]),
            needs("ifUnmodifiedSince", &["stat_with_if_unmodified_since"]),
            needs("overrideContentType", &["stat_with_override_content_type"]),
            needs("overrideCacheControl", &["stat_with_override_cache_control"]),
            needs(
                "overrideContentDisposition",
                &["stat_with_override_content_disposition"],
            ),
        ],
    },
    OptionSet {
        name: "read",
        operation: "read",
        rust: "ReadOptions",
        options: &[
            hint("offset"),
            hint("length"),
            needs("suffix", &["read_with_suffix"]),
            needs("version", &["read_with_version"]),
            needs("ifMatch", &["read_with_if_match"]),
            needs("ifNoneMatch", &["read_with_if_none_match"]),
            needs("ifVersionMatch", &["read_with_if_version_match"]),
            needs("ifVersionNotMatch", &["read_with_if_version_not_match"]),
            needs("ifModifiedSince", &["read_with_if_modified_since"]),
            needs("ifUnmodifiedSince", &["read_with_if_unmodified_since"]),
            hint("concurrent"),
            hint("chunk"),
            hint("gap"),
            hint("contentLengthHint"),
            needs("overrideContentType", &["read_with_override_content_type"]),
            needs("overrideCacheControl", &["read_with_override_cache_control"]),
            needs(
                "overrideContentDisposition",
                &["read_with_override_content_disposition"],
            ),
        ],
    },
    OptionSet {
        name: "reader",
        operation: "reader",
        rust: "ReaderOptions",
        options: &[
            needs("version", &["read_with_version"]),
            needs("ifMatch", &["read_with_if_match"]),
            needs("ifNoneMatch", &["read_with_if_none_match"]),
            needs("ifVersionMatch", &["read_with_if_version_match"]),
            needs("ifVersionNotMatch", &["read_with_if_version_not_match"]),
            needs("ifModifiedSince", &["read_with_if_modified_since"]),
            needs("ifUnmodifiedSince", &["read_with_if_unmodified_since"]),
            hint("concurrent"),
            hint("chunk"),
            hint("gap"),
            hint("prefetch"),
            hint("contentLengthHint"),
        ],
    },
    OptionSet {
        name: "write",
        operation: "write",
        rust: "WriteOptions",
        options: &[
            needs("append", &["write_can_append"]),
            needs("contentType", &["write_with_content_type"]),
            needs("contentDisposition", &["write_with_content_disposition"]),
            needs("contentEncoding", &["write_with_content_encoding"]),
            needs("cacheControl", &["write_with_cache_control"]),
            needs("userMetadata", &["write_with_user_metadata"]),
            needs("ifMatch", &["write_with_if_match"]),
            needs("ifNoneMatch", &["write_with_if_none_match"]),
            needs("ifVersionMatch", &["write_with_if_version_match"]),
            needs("ifVersionNotMatch", &["write_with_if_version_not_match"]),
            needs("ifNotExists", &["write_with_if_not_exists"]),
            needs(
                "ifNotChanged",
                &["write_with_if_version_match", "write_with_if_match"],
            ),
            hint("concurrent"),
            hint("chunk"),
        ],
    },
    OptionSet {
        name: "delete",
        operation: "delete",
        rust: "DeleteOptions",
        options: &[
            needs("version", &["delete_with_version"]),
            needs("recursive", &["delete_with_recursive"]),
            needs("ifMatch", &["delete_with_if_match"]),
            needs("ifNoneMatch", &["delete_with_if_none_match"]),
            needs("ifVersionMatch", &["delete_with_if_version_match"]),
            needs("ifVersionNotMatch", &["delete_with_if_version_not_match"]),
            needs(
                "ifNotChanged",
                &["delete_with_if_version_match", "delete_with_if_match"],
            ),
        ],
    },
    OptionSet {
        name: "list",
        operation: "list",
        rust: "ListOptions",
        options: &[
            // OpenDAL emulates a recursive listing where the service lacks it.
            hint("recursive"),
            needs("startAfter", &["list_with_start_after"]),
            hint("limit"),
            needs("versions", &["list_with_versions"]),
            needs("deleted", &["list_with_deleted"]),
        ],
    },
    OptionSet {
        name: "copy",
        operation: "copy",
        rust: "CopyOptions",
        options: &[
            needs("ifNotExists", &["copy_with_if_not_exists"]),
            needs("ifMatch", &["copy_with_if_match"]),
            needs("ifNoneMatch", &["copy_with_if_none_match"]),
            needs("ifVersionMatch", &["copy_with_if_version_match"]),
            needs("ifVersionNotMatch", &["copy_with_if_version_not_match"]),
            needs(
                "ifNotChanged",
                &["copy_with_if_version_match", "copy_with_if_match"],
            ),
            needs("sourceVersion", &["copy_with_source_version"]),
            hint("sourceContentLengthHint"),
            hint("concurrent"),
            hint("chunk"),
        ],
    },
    OptionSet {
        name: "rename",
        operation: "rename",
        rust: "RenameOptions",
        options: &[needs("ifNotExists", &["rename_with_if_not_exists"])],
    },
    // A presigned request is the operation's own request, signed: its
    // options need the operation's capabilities. `expire` is read by hand.
    OptionSet {
        name: "presign_read",
        operation: "presignRead",
        rust: "ReadOptions",
        options: &[
            hint("expire"),
            needs("version", &["read_with_version"]),
            needs("ifMatch", &["read_with_if_match"]),
            needs("ifNoneMatch", &["read_with_if_none_match"]),
            needs("overrideContentType", &["read_with_override_content_type"]),
            needs("overrideCacheControl", &["read_with_override_cache_control"]),
            needs(
                "overrideContentDisposition",
                &["read_with_override_content_disposition"],
            ),
        ],
    },
    OptionSet {
        name: "presign_stat",
        operation: "presignStat",
        rust: "StatOptions",
        options: &[
            hint("expire"),
            needs("version", &["stat_with_version"]),
            needs("ifMatch", &["stat_with_if_match"]),
            needs("ifNoneMatch", &["stat_with_if_none_match"]),
            needs("overrideContentType", &["stat_with_override_content_type"]),
            needs("overrideCacheControl", &["stat_with_override_cache_control"]),
            needs(
                "overrideContentDisposition",
                &["stat_with_override_content_disposition"],
            ),
        ],
    },
    OptionSet {
        name: "presign_write",
        operation: "presignWrite",
        rust: "WriteOptions",
        options: &[
            hint("expire"),
            needs("contentType", &["write_with_content_type"]),
            needs("contentDisposition", &["write_with_content_disposition"]),
            needs("contentEncoding", &["write_with_content_encoding"]),
            needs("cacheControl", &["write_with_cache_control"]),
            needs("userMetadata", &["write_with_user_metadata"]),
            needs("ifMatch", &["write_with_if_match"]),
            needs("ifNoneMatch", &["write_with_if_none_match"]),
            needs("ifNotExists", &["write_with_if_not_exists"]),
        ],
    },
    OptionSet {
        name: "presign_delete",
        operation: "presignDelete",
        rust: "DeleteOptions",
        options: &[
            hint("expire"),
            needs("version", &["delete_with_version"]),
            needs("ifMatch", &["delete_with_if_match"]),
            needs("ifNoneMatch", &["delete_with_if_none_match"]),
        ],
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
];
