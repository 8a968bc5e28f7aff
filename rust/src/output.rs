//! Results and their wire encoding into the caller's `out` buffer.
//!
//! A record is little-endian and unaligned. Strings are `u32` byte length +
//! UTF-8 (`u32::MAX` for absent); numbers are `f64` (exact to 2^53, which
//! keeps JavaScript off BigInt); timestamps are `f64` milliseconds since the
//! epoch (NaN when absent).

use opendal::raw::PresignedRequest;
use crate::codes::EntryMode as Mode;
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
    /// A count, or -1 for "no more".
    Number(f64),
    /// A new object: stored in the table, as an object of the queue that
    /// delivers it, only once its caller receives the handle
    /// (`call::deliver`), so an outcome nobody collects leaves nothing behind.
    Object(Object),
    /// Held under the ticket; the record carries the length.
    Bytes(Buffer),
    /// Bytes already copied into the caller's buffer (`call::run_into`):
    /// the count, then the flag 2 where a bytes record has its inline flag.
    Written(usize),
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
            Payload::Number(n) => self.f64(*n),
            // Never encoded: `call::deliver` stores it and encodes its handle.
            Payload::Object(_) => self.f64(0.0),
            Payload::Bytes(b) => self.f64(b.len() as f64),
            Payload::Written(n) => {
                self.f64(*n as f64);
                self.u32(2);
            }
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
            EntryMode::FILE => Mode::File,
            EntryMode::DIR => Mode::Dir,
            _ => Mode::Unknown,
        } as u8);
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

    /// The capability as OpenDAL serialises it (a JSON object of every
    /// field, sizes `null` when unlimited), with camelCase keys.
    pub fn capability(&mut self, c: &Capability) {
        let json = match serde_json::to_value(c) {
            Ok(serde_json::Value::Object(fields)) => fields
                .into_iter()
                .map(|(name, v)| (crate::names::camel(&name), v))
                .collect::<serde_json::Map<_, _>>(),
            _ => unreachable!("Capability serialises to an object"),
        };
        self.str(Some(&serde_json::Value::Object(json).to_string()));
    }
}
