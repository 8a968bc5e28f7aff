//! Results and their wire encoding into the caller's `out` buffer.
//!
//! A record is little-endian and unaligned. Strings are `u32` byte length +
//! UTF-8 (`u32::MAX` for absent); numbers are `f64` (exact to 2^53, which
//! keeps JavaScript off BigInt); timestamps are `f64` milliseconds since the
//! epoch (NaN when absent).

use opendal::raw::PresignedRequest;
use opendal::{Buffer, Capability, Entry, EntryMode, Error, Metadata, OperatorInfo};

use crate::handles::Handle;
use crate::objects::Object;
use crate::redact::redact;
use crate::report::report;

/// What a successful operation produced.
pub enum Payload {
    Empty,
    Bool(bool),
    Handle(Handle),
    /// A new object: stored in the table, as an object of the queue that
    /// delivers it, only once its caller receives the handle
    /// (`call::deliver`), so an outcome nobody collects leaves nothing behind.
    Object(Object),
    /// Held under the ticket; the record carries the length.
    Bytes(Buffer),
    Metadata(Metadata),
    Entries {
        entries: Vec<Entry>,
        done: bool,
    },
    Info(OperatorInfo),
    Presigned(PresignedRequest),
}

/// A growable record writer.
#[derive(Default)]
pub struct Record(pub Vec<u8>);

impl Record {
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn str(&mut self, v: Option<&str>) {
        match v {
            Some(s) => {
                self.u32(s.len() as u32);
                self.0.extend_from_slice(s.as_bytes());
            }
            None => self.u32(u32::MAX),
        }
    }

    /// Encodes an error: temporary flag, the short message, the detail
    /// (see `report.rs`; both have secrets masked).
    pub fn error(&mut self, err: &Error) {
        let report = report(err);
        self.u32(err.is_temporary() as u32);
        self.str(Some(&report.message));
        self.str(Some(&report.detail));
    }

    /// Encodes a successful payload (bytes are held apart; only their length
    /// goes into the record).
    pub fn payload(&mut self, payload: &Payload) {
        match payload {
            Payload::Empty => {}
            Payload::Bool(b) => self.u32(*b as u32),
            Payload::Handle(h) => self.f64(*h),
            // Never encoded: `call::deliver` stores it and encodes its handle.
            Payload::Object(_) => self.f64(0.0),
            Payload::Bytes(b) => self.f64(b.len() as f64),
            Payload::Metadata(m) => self.metadata(m),
            Payload::Entries { entries, done } => {
                self.u32(entries.len() as u32);
                self.u32(*done as u32);
                for e in entries {
                    // The name is the path's last segment: JavaScript
                    // derives it when asked, instead of decoding it per entry.
                    self.str(Some(e.path()));
                    self.metadata(e.metadata());
                }
            }
            Payload::Info(info) => {
                self.str(Some(info.scheme()));
                self.str(Some(&info.root()));
                // Some services name the operator by an endpoint URL.
                self.str(Some(&redact(&info.name())));
                self.capability(&info.capability());
            }
            Payload::Presigned(p) => {
                self.str(Some(p.method().as_str()));
                self.str(Some(&p.uri().to_string()));
                self.u32(p.header().len() as u32);
                for (k, v) in p.header() {
                    self.str(Some(k.as_str()));
                    self.str(Some(&String::from_utf8_lossy(v.as_bytes())));
                }
            }
        }
    }

    pub fn metadata(&mut self, m: &Metadata) {
        self.u8(match m.mode() {
            EntryMode::FILE => 1,
            EntryMode::DIR => 2,
            _ => 0,
        });
        self.u8(match m.is_current() {
            Some(false) => 0,
            Some(true) => 1,
            None => 2,
        });
        self.u8(m.is_deleted() as u8);
        self.f64(m.content_length() as f64);
        self.f64(
            m.last_modified()
                .map(|t| t.into_inner().as_millisecond() as f64)
                .unwrap_or(f64::NAN),
        );
        self.str(m.content_type());
        self.str(m.content_disposition());
        self.str(m.content_encoding());
        self.str(m.cache_control());
        self.str(m.content_md5());
        self.str(m.etag());
        self.str(m.version());
        match m.user_metadata() {
            Some(um) => {
                self.u32(um.len() as u32);
                for (k, v) in um {
                    self.str(Some(k));
                    self.str(Some(v));
                }
            }
            None => self.u32(0),
        }
    }

    /// Every capability as (snake_case name, value) pairs; value kind 0 is a
    /// bool, 1 a size, 2 an absent size.
    pub fn capability(&mut self, c: &Capability) {
        let flags = capability_flags(c);
        let sizes = capability_sizes(c);
        self.u32((flags.len() + sizes.len()) as u32);
        for (name, v) in flags {
            self.str(Some(name));
            self.u8(0);
            self.u8(v as u8);
        }
        for (name, v) in sizes {
            self.str(Some(name));
            match v {
                Some(n) => {
                    self.u8(1);
                    self.f64(n as f64);
                }
                None => self.u8(2),
            }
        }
    }
}

macro_rules! fields {
    ($c:ident, $ty:ty; $($f:ident),* $(,)?) => {
        vec![$((stringify!($f), $c.$f as $ty)),*]
    };
}

/// Every boolean capability, in OpenDAL's order.
pub fn capability_flags(c: &Capability) -> Vec<(&'static str, bool)> {
    fields!(c, bool;
        stat, stat_with_if_match, stat_with_if_none_match, stat_with_if_version_match,
        stat_with_if_version_not_match, stat_with_if_modified_since, stat_with_if_unmodified_since,
        stat_with_override_cache_control, stat_with_override_content_disposition,
        stat_with_override_content_type, stat_with_version,
        read, read_with_if_match, read_with_if_none_match, read_with_if_version_match,
        read_with_if_version_not_match, read_with_if_modified_since, read_with_if_unmodified_since,
        read_with_override_cache_control, read_with_override_content_disposition,
        read_with_override_content_type, read_with_version, read_with_suffix,
        write, write_can_multi, write_can_empty, write_can_append, write_can_copy_from,
        write_with_content_type, write_with_content_disposition, write_with_content_encoding,
        write_with_cache_control, write_with_if_match, write_with_if_none_match,
        write_with_if_version_match, write_with_if_version_not_match, write_with_if_not_exists,
        write_with_user_metadata,
        create_dir,
        delete, delete_with_version, delete_with_recursive, delete_with_if_match,
        delete_with_if_none_match, delete_with_if_version_match, delete_with_if_version_not_match,
        copy, copy_with_if_not_exists, copy_with_if_match, copy_with_if_none_match,
        copy_with_if_version_match, copy_with_if_version_not_match, copy_with_source_version,
        copy_can_multi,
        compose, compose_with_content_type, compose_with_content_disposition,
        compose_with_content_encoding, compose_with_cache_control, compose_with_user_metadata,
        compose_with_if_match, compose_with_if_none_match, compose_with_if_version_match,
        compose_with_if_version_not_match, compose_with_if_not_exists, compose_with_source_version,
        compose_with_source_if_match,
        restore, restore_with_version, restore_with_if_not_exists,
        rename, rename_with_if_not_exists,
        list, list_with_limit, list_with_start_after, list_with_recursive, list_with_versions,
        list_with_deleted,
        presign, presign_read, presign_stat, presign_write, presign_delete,
        shared,
    )
}

/// Every size limit capability (`None` when the service sets no limit).
pub fn capability_sizes(c: &Capability) -> Vec<(&'static str, Option<usize>)> {
    fields!(c, Option<usize>;
        write_multi_max_size, write_multi_min_size, write_total_max_size, delete_max_size,
        copy_multi_max_size, copy_multi_min_size,
    )
}
