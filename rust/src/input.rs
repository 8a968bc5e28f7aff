//! Decoding of call inputs: one byte buffer holding tagged fields (the tags
//! and which options each operation accepts are declared in `abi.rs`).
//!
//! Each field is `[tag: u8][len: u32 LE][len bytes]`. Paths and strings are
//! UTF-8, numbers are `f64` LE, booleans one byte, user metadata and operator
//! config entries are `[key_len: u32][key][value]`. Every malformed input
//! becomes a `ConfigInvalid` error naming the field; nothing panics.

use std::time::Duration;

use opendal::{BytesRange, Metadata, MetadataBuilder};
use opendal::raw::Timestamp;
use opendal::{Error, ErrorKind, Result};

pub use crate::codes::Tag;

/// A `ConfigInvalid` error: bad input from the caller.
pub(crate) fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::ConfigInvalid, msg.into())
}

/// `bytes` as the UTF-8 text of the field or parameter `name`: refused when
/// not UTF-8 or when it holds a NUL.
pub(crate) fn text<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str> {
    let s = std::str::from_utf8(bytes).map_err(|_| invalid(format!("{name} is not valid UTF-8")))?;
    if s.contains('\0') {
        return Err(invalid(format!("{name} contains a NUL character")));
    }
    Ok(s)
}

/// `path` (the parameter `name`) when it names an entry below the root: "",
/// "/" and "//" all mean the root, refused where acting on the whole root is
/// never what the caller meant (delete, write, read, ...).
pub(crate) fn below_root<'a>(path: &'a str, name: &str) -> Result<&'a str> {
    if path.trim().trim_start_matches('/').is_empty() {
        return Err(invalid(format!(
            "{name} must name an entry below the root, got {path:?}"
        )));
    }
    Ok(path)
}

/// The most parts or ranges one operation moves at once (`concurrent`).
/// OpenDAL reserves room for that many up front, so a huge count was an
/// allocation that failed and aborted the process; more requests than this
/// in flight for one object only adds contention.
const MAX_CONCURRENT: u64 = 1024;

/// The largest `chunk`: 5 GiB, S3's largest part and the largest any service
/// takes in one request.
const MAX_CHUNK: u64 = 5 * 1024 * 1024 * 1024;

/// OpenDAL packs the text options of one call (conditions, content headers,
/// user metadata, ...) into one block with 16-bit offsets, and panics when
/// they take more than 64 KiB.
const MAX_TEXT_OPTIONS: usize = u16::MAX as usize;

/// One decoded field.
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    pub tag: Tag,
    pub value: &'a [u8],
}

impl<'a> Field<'a> {
    pub fn str(&self) -> Result<&'a str> {
        text(self.value, self.tag.name())
    }

    pub fn f64(&self) -> Result<f64> {
        let bytes: [u8; 8] = self
            .value
            .try_into()
            .map_err(|_| invalid(format!("{} must be an 8-byte number", self.tag.name())))?;
        Ok(f64::from_le_bytes(bytes))
    }

    /// A whole number in `0..=2^53`.
    pub fn u64(&self) -> Result<u64> {
        let v = self.f64()?;
        if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0) {
            return Err(invalid(format!(
                "{} must be a non-negative integer, got {v}",
                self.tag.name()
            )));
        }
        Ok(v as u64)
    }

    /// A whole number (a size in bytes or a count) of the type OpenDAL takes.
    pub fn size<T: TryFrom<u64>>(&self) -> Result<T> {
        T::try_from(self.u64()?).map_err(|_| invalid(format!("{} is too large", self.tag.name())))
    }

    /// The identity `ifNotChanged` compares: a `[etag_len: u32][etag][version]`
    /// pair, as metadata with whichever of the two is not empty. With
    /// neither, OpenDAL answers `ConfigInvalid` (after the capability check
    /// has refused the option where it cannot be honoured at all).
    pub fn identity(&self) -> Result<Metadata> {
        let (etag, version) = self.pair()?;
        let mut meta = MetadataBuilder::unknown();
        if !etag.is_empty() {
            meta.etag(etag);
        }
        if !version.is_empty() {
            meta.version(version);
        }
        Ok(meta.build())
    }

    /// A whole number, at least 1.
    pub fn positive(&self) -> Result<usize> {
        let v = self.u64()?;
        if v == 0 {
            return Err(invalid(format!("{} must be at least 1", self.tag.name())));
        }
        usize::try_from(v).map_err(|_| invalid(format!("{} is too large", self.tag.name())))
    }

    /// A whole number in `1..=max`; the error names the bound.
    fn within(&self, max: u64, unit: &str) -> Result<usize> {
        let v = self.u64()?;
        if v == 0 || v > max {
            return Err(invalid(format!(
                "{} must be between 1 and {max}{unit}, got {v}",
                self.tag.name()
            )));
        }
        usize::try_from(v).map_err(|_| invalid(format!("{} is too large", self.tag.name())))
    }

    /// How many parts or ranges to move at once: `1..=MAX_CONCURRENT`.
    pub fn concurrent(&self) -> Result<usize> {
        self.within(MAX_CONCURRENT, "")
    }

    /// A chunk size in bytes: `1..=MAX_CHUNK`.
    pub fn chunk(&self) -> Result<usize> {
        self.within(MAX_CHUNK, " bytes (5 GiB)")
    }

    pub fn bool(&self) -> Result<bool> {
        match self.value {
            [0] => Ok(false),
            [1] => Ok(true),
            _ => Err(invalid(format!("{} must be a boolean", self.tag.name()))),
        }
    }

    /// Milliseconds since the epoch.
    pub fn timestamp(&self) -> Result<Timestamp> {
        let v = self.f64()?;
        if !v.is_finite() || v.fract() != 0.0 {
            return Err(invalid(format!(
                "{} must be a valid date, got {v} ms",
                self.tag.name()
            )));
        }
        Timestamp::from_millisecond(v as i64)
            .map_err(|e| invalid(format!("{} is out of range: {e}", self.tag.name())))
    }

    /// A `[key_len: u32][key][value]` pair.
    pub fn pair(&self) -> Result<(&'a str, &'a str)> {
        let name = self.tag.name();
        let bad = || invalid(format!("{name} entry is malformed"));
        let (len, rest) = self.value.split_first_chunk::<4>().ok_or_else(bad)?;
        let len = u32::from_le_bytes(*len) as usize;
        if len > rest.len() {
            return Err(bad());
        }
        let (k, v) = rest.split_at(len);
        let k = std::str::from_utf8(k)
            .map_err(|_| invalid(format!("{name} key is not valid UTF-8")))?;
        let v = std::str::from_utf8(v)
            .map_err(|_| invalid(format!("{name} value is not valid UTF-8")))?;
        Ok((k, v))
    }
}

/// A decoded input buffer.
#[derive(Debug, Default)]
pub struct Input<'a> {
    fields: Vec<Field<'a>>,
}

impl<'a> Input<'a> {
    /// Splits `bytes` into fields, rejecting unknown tags and bad lengths.
    pub fn decode(bytes: &'a [u8]) -> Result<Input<'a>> {
        let mut fields = Vec::new();
        let mut rest = bytes;
        while let Some((&tag, after)) = rest.split_first() {
            let tag =
                Tag::from_u8(tag).ok_or_else(|| invalid(format!("unknown input field {tag}")))?;
            let (len, after) = after
                .split_first_chunk::<4>()
                .ok_or_else(|| invalid(format!("{} field is truncated", tag.name())))?;
            let len = u32::from_le_bytes(*len) as usize;
            if len > after.len() {
                return Err(invalid(format!("{} field is truncated", tag.name())));
            }
            let (value, after) = after.split_at(len);
            fields.push(Field { tag, value });
            rest = after;
        }
        Ok(Input { fields })
    }

    /// The field with `tag`, if present.
    pub fn find(&self, tag: Tag) -> Option<Field<'a>> {
        self.fields.iter().copied().find(|f| f.tag == tag)
    }

    /// A required path field; `allow_empty` is false for operations that
    /// would act on the whole root by accident.
    fn path_of(&self, tag: Tag, allow_empty: bool) -> Result<&'a str> {
        let f = self
            .find(tag)
            .ok_or_else(|| invalid(format!("{} is missing", tag.name())))?;
        let s = f.str()?;
        if allow_empty { Ok(s) } else { below_root(s, tag.name()) }
    }

    /// The path; empty means the operator's root.
    pub fn path(&self) -> Result<&'a str> {
        self.path_of(Tag::Path, true)
    }

    /// The path, which must name something below the root.
    pub fn entry_path(&self) -> Result<&'a str> {
        self.path_of(Tag::Path, false)
    }

    /// The second path of copy and rename.
    pub fn target(&self) -> Result<&'a str> {
        self.path_of(Tag::Target, false)
    }

    /// The scheme of a new operator: a service name (letters, digits, `-`,
    /// `_`), never a path.
    pub fn scheme(&self) -> Result<&'a str> {
        let s = self
            .find(Tag::Scheme)
            .ok_or_else(|| invalid("scheme is missing"))?
            .str()?;
        let name = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if s.is_empty() || !s.bytes().all(name) {
            return Err(invalid(format!(
                "scheme must be a service name such as \"fs\" or \"s3\", got {s:?}"
            )));
        }
        Ok(s)
    }

    /// The operator configuration pairs.
    pub fn config(&self) -> Result<Vec<(String, String)>> {
        self.fields
            .iter()
            .filter(|f| f.tag == Tag::Config)
            .map(|f| f.pair().map(|(k, v)| (k.to_string(), v.to_string())))
            .collect()
    }

    /// Every option field, checked against what `operation` accepts (the
    /// generated decoders in `options.rs` start here).
    pub(crate) fn options(
        &self,
        operation: &str,
        accepted: &[Tag],
    ) -> Result<impl Iterator<Item = Field<'a>> + '_> {
        for f in &self.fields {
            let is_target = matches!(f.tag, Tag::Path | Tag::Target);
            if !is_target && !accepted.contains(&f.tag) {
                return Err(invalid(format!(
                    "option {} is not accepted by {operation}",
                    f.tag.name()
                )));
            }
        }
        // An upper bound of OpenDAL's layout: 2 bytes of offset per value
        // and 4 per user metadata pair, where each field here spends 4 plus
        // its bytes (numbers, which OpenDAL keeps apart, count too).
        let text: usize = 2 + self
            .fields
            .iter()
            .filter(|f| !matches!(f.tag, Tag::Path | Tag::Target))
            .map(|f| 4 + f.value.len())
            .sum::<usize>();
        if text > MAX_TEXT_OPTIONS {
            return Err(invalid(format!(
                "the options of one {operation} call (conditions, content headers, \
                 userMetadata, ...) must fit in 64 KiB, these take {text} bytes"
            )));
        }
        Ok(self
            .fields
            .iter()
            .copied()
            .filter(|f| !matches!(f.tag, Tag::Path | Tag::Target)))
    }

    /// Many entries in one call (the paths of `deleteMany`, the sources of
    /// `compose`): the fields before the first `tag` field, then one input
    /// per `tag` field holding it and the fields after it up to the next.
    pub fn split_at_each(&self, tag: Tag) -> (Input<'a>, Vec<Input<'a>>) {
        let first = self
            .fields
            .iter()
            .position(|f| f.tag == tag)
            .unwrap_or(self.fields.len());
        let head = Input {
            fields: self.fields[..first].to_vec(),
        };
        let mut entries: Vec<Input<'a>> = Vec::new();
        for f in &self.fields[first..] {
            match entries.last_mut() {
                Some(entry) if f.tag != tag => entry.fields.push(*f),
                _ => entries.push(Input { fields: vec![*f] }),
            }
        }
        (head, entries)
    }

    /// The byte range of a read: `offset` and optional `length`, or the
    /// last `suffix` bytes.
    pub(crate) fn range(&self) -> Result<BytesRange> {
        if let Some(suffix) = self.find(Tag::Suffix) {
            if self.find(Tag::Offset).is_some() || self.find(Tag::Length).is_some() {
                return Err(invalid(
                    "suffix (the last bytes) cannot be combined with offset or length",
                ));
            }
            return Ok(BytesRange::suffix(suffix.u64()?));
        }
        let offset = self
            .find(Tag::Offset)
            .map(|f| f.u64())
            .transpose()?
            .unwrap_or(0);
        let length = self.find(Tag::Length).map(|f| f.u64()).transpose()?;
        if let Some(len) = length
            && offset
                .checked_add(len)
                .is_none_or(|end| end > 9_007_199_254_740_992)
        {
            return Err(invalid("offset + length is too large"));
        }
        Ok(BytesRange::new(offset, length))
    }

    /// Refuses any field not in `accepted` (for layer options).
    pub fn only(&self, what: &str, accepted: &[Tag]) -> Result<()> {
        let _ = self.options(what, accepted)?;
        Ok(())
    }

    /// No options at all (check, exists, create_dir, remove_all).
    pub fn no_options(&self, operation: &str) -> Result<()> {
        self.options(operation, &[]).map(|_| ())
    }

    /// The `expire` of a presign: 1 second to a year (the presign decoders
    /// accept it among their options).
    pub fn expire(&self) -> Result<Duration> {
        let f = self
            .find(Tag::Expire)
            .ok_or_else(|| invalid("expire is missing"))?;
        let secs = f.u64()?;
        if secs == 0 || secs > 7 * 24 * 3600 * 52 {
            return Err(invalid(format!(
                "expire must be between 1 second and one year, got {secs} s"
            )));
        }
        Ok(Duration::from_secs(secs))
    }
}

/// The wire form `Input` decodes, for tests. Tags are bytes, so a test can
/// also forge one no `Tag` names.
#[cfg(test)]
pub(crate) mod encode {
    /// `[tag][len: u32 LE][value]`.
    pub fn field(tag: u8, value: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        v.extend_from_slice(&(value.len() as u32).to_le_bytes());
        v.extend_from_slice(value);
        v
    }

    /// A number field: `f64` LE.
    pub fn num(tag: u8, n: f64) -> Vec<u8> {
        field(tag, &n.to_le_bytes())
    }

    /// A pair field: `[key_len: u32 LE][key][value]`.
    pub fn pair(tag: u8, k: &str, v: &str) -> Vec<u8> {
        let mut b = (k.len() as u32).to_le_bytes().to_vec();
        b.extend_from_slice(k.as_bytes());
        b.extend_from_slice(v.as_bytes());
        field(tag, &b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(tag: Tag, value: &[u8]) -> Vec<u8> {
        encode::field(tag as u8, value)
    }

    fn num(tag: Tag, n: f64) -> Vec<u8> {
        encode::num(tag as u8, n)
    }

    fn pair(tag: Tag, k: &str, v: &str) -> Vec<u8> {
        encode::pair(tag as u8, k, v)
    }

    /// An operator that honours every option these tests decode.
    fn permissive() -> opendal::Operator {
        let flags = "stat_with_if_modified_since=true,write_with_user_metadata=true,\
                     write_with_if_not_exists=true,write_with_content_type=true,\
                     compose_with_content_type=true,delete_with_version=true";
        opendal::Operator::via_iter("memory", Vec::<(String, String)>::new())
            .unwrap()
            .layer(opendal::layers::CapabilityOverrideLayer::from_overrides(flags).unwrap())
    }

    fn kind(r: Result<impl std::fmt::Debug>) -> ErrorKind {
        r.unwrap_err().kind()
    }

    #[test]
    fn decodes_paths_and_read_range() {
        let bytes = [
            field(Tag::Path, b"a/b.txt"),
            num(Tag::Offset, 4.0),
            num(Tag::Length, 10.0),
        ]
        .concat();
        let input = Input::decode(&bytes).unwrap();
        assert_eq!(input.path().unwrap(), "a/b.txt");
        let o = input.read_options(&permissive()).unwrap();
        assert_eq!(o.range, BytesRange::new(4, Some(10)));
    }

    #[test]
    fn rejects_truncated_and_unknown_fields() {
        let mut bytes = field(Tag::Path, b"abc");
        bytes.truncate(bytes.len() - 1);
        assert_eq!(kind(Input::decode(&bytes)), ErrorKind::ConfigInvalid);
        assert_eq!(
            kind(Input::decode(&[250, 0, 0, 0, 0])),
            ErrorKind::ConfigInvalid
        );
        assert_eq!(kind(Input::decode(&[1, 0, 0])), ErrorKind::ConfigInvalid);
        let huge = [1u8, 0xff, 0xff, 0xff, 0xff];
        assert_eq!(kind(Input::decode(&huge)), ErrorKind::ConfigInvalid);
    }

    #[test]
    fn rejects_bad_paths() {
        for bad in [&b"a\0b"[..], &[0xff, 0xfe][..]] {
            let bytes = field(Tag::Path, bad);
            let input = Input::decode(&bytes).unwrap();
            assert_eq!(kind(input.path()), ErrorKind::ConfigInvalid);
        }
        let empty = field(Tag::Path, b"");
        let input = Input::decode(&empty).unwrap();
        assert_eq!(input.path().unwrap(), "");
        assert_eq!(kind(input.entry_path()), ErrorKind::ConfigInvalid);
        for root in ["/", "//", " / "] {
            let bytes = field(Tag::Path, root.as_bytes());
            let input = Input::decode(&bytes).unwrap();
            assert_eq!(
                kind(input.entry_path()),
                ErrorKind::ConfigInvalid,
                "{root:?}"
            );
            assert_eq!(input.path().unwrap(), root);
        }
        assert_eq!(
            kind(Input::decode(&[]).unwrap().path()),
            ErrorKind::ConfigInvalid
        );
    }

    #[test]
    fn rejects_bad_numbers() {
        for n in [-1.0, f64::NAN, f64::INFINITY, 0.5, 1e300] {
            let bytes = [field(Tag::Path, b"x"), num(Tag::Offset, n)].concat();
            let input = Input::decode(&bytes).unwrap();
            assert_eq!(
                kind(input.read_options(&permissive())),
                ErrorKind::ConfigInvalid,
                "offset {n}"
            );
        }
        let bytes = [
            field(Tag::Path, b"x"),
            num(Tag::Offset, 9e15),
            num(Tag::Length, 9e15),
        ]
        .concat();
        assert_eq!(
            kind(Input::decode(&bytes).unwrap().read_options(&permissive())),
            ErrorKind::ConfigInvalid
        );
        let bytes = [field(Tag::Path, b"x"), num(Tag::Limit, 0.0)].concat();
        assert_eq!(
            kind(Input::decode(&bytes).unwrap().list_options(&permissive())),
            ErrorKind::ConfigInvalid
        );
        let bytes = [field(Tag::Path, b"x"), field(Tag::Recursive, &[2])].concat();
        assert_eq!(
            kind(Input::decode(&bytes).unwrap().list_options(&permissive())),
            ErrorKind::ConfigInvalid
        );
    }

    #[test]
    fn rejects_options_an_operation_does_not_take() {
        let bytes = [field(Tag::Path, b"x"), field(Tag::Append, &[1])].concat();
        let err = Input::decode(&bytes).unwrap().stat_options(&permissive()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConfigInvalid);
        assert!(
            err.to_string().contains("append is not accepted by stat"),
            "{err}"
        );
    }

    #[test]
    fn decodes_write_options_with_user_metadata() {
        let bytes = [
            field(Tag::Path, b"x"),
            field(Tag::ContentType, b"text/plain"),
            pair(Tag::UserMetadata, "owner", "deno"),
            pair(Tag::UserMetadata, "k", ""),
            field(Tag::IfNotExists, &[1]),
            num(Tag::Chunk, 8192.0),
        ]
        .concat();
        let o = Input::decode(&bytes).unwrap().write_options(&permissive()).unwrap();
        assert_eq!(o.content_type.as_deref(), Some("text/plain"));
        assert!(o.if_not_exists);
        assert_eq!(o.chunk, Some(8192));
        let um = o.user_metadata.unwrap();
        assert_eq!(um.get("owner").map(String::as_str), Some("deno"));
        assert_eq!(um.get("k").map(String::as_str), Some(""));
    }

    #[test]
    fn decodes_config_pairs_and_rejects_malformed_ones() {
        let bytes = [
            field(Tag::Scheme, b"fs"),
            pair(Tag::Config, "root", "/tmp/x"),
        ]
        .concat();
        let input = Input::decode(&bytes).unwrap();
        assert_eq!(input.scheme().unwrap(), "fs");
        for bad in ["", "/", "fs/", " s3", "a.b"] {
            let bytes = field(Tag::Scheme, bad.as_bytes());
            let err = Input::decode(&bytes).unwrap().scheme().unwrap_err();
            assert!(err.to_string().contains("scheme must be a service name"), "{bad:?}: {err}");
        }
        assert_eq!(
            input.config().unwrap(),
            vec![("root".to_string(), "/tmp/x".to_string())]
        );
        let bad = [
            field(Tag::Scheme, b"fs"),
            field(Tag::Config, &[9, 0, 0, 0, b'a']),
        ]
        .concat();
        assert_eq!(
            kind(Input::decode(&bad).unwrap().config()),
            ErrorKind::ConfigInvalid
        );
    }

    #[test]
    fn timestamps_are_milliseconds() {
        let bytes = [
            field(Tag::Path, b"x"),
            num(Tag::IfModifiedSince, 1_700_000_000_123.0),
        ]
        .concat();
        let o = Input::decode(&bytes).unwrap().stat_options(&permissive()).unwrap();
        assert_eq!(
            o.if_modified_since.unwrap().into_inner().as_millisecond(),
            1_700_000_000_123
        );
        let bytes = [field(Tag::Path, b"x"), num(Tag::IfModifiedSince, f64::NAN)].concat();
        assert_eq!(
            kind(Input::decode(&bytes).unwrap().stat_options(&permissive())),
            ErrorKind::ConfigInvalid
        );
    }

    #[test]
    fn concurrent_and_chunk_are_bounded() {
        let input = |tag, n| [field(Tag::Path, b"x"), num(tag, n)].concat();
        let ok = input(Tag::Concurrent, MAX_CONCURRENT as f64);
        assert_eq!(
            Input::decode(&ok).unwrap().write_options(&permissive()).unwrap().concurrent,
            1024
        );
        for n in [1e12, 1025.0, 9_007_199_254_740_992.0] {
            let bytes = input(Tag::Concurrent, n);
            let input = Input::decode(&bytes).unwrap();
            for err in [
                input.write_options(&permissive()).unwrap_err(),
                input.read_options(&permissive()).unwrap_err(),
                input.reader_options(&permissive()).unwrap_err(),
            ] {
                assert_eq!(err.kind(), ErrorKind::ConfigInvalid);
                assert!(
                    err.to_string()
                        .contains("concurrent must be between 1 and 1024"),
                    "{err}"
                );
            }
        }
        let big = input(Tag::Chunk, (MAX_CHUNK + 1) as f64);
        let err = Input::decode(&big).unwrap().read_options(&permissive()).unwrap_err();
        assert!(err.to_string().contains("5 GiB"), "{err}");
        let max = input(Tag::Chunk, MAX_CHUNK as f64);
        let o = Input::decode(&max).unwrap().write_options(&permissive()).unwrap();
        assert_eq!(o.chunk, Some(MAX_CHUNK as usize));
    }

    #[test]
    fn text_options_fit_what_opendal_can_hold() {
        // OpenDAL panics past 64 KiB of text options in one call.
        let v = "v".repeat(70_000);
        let bytes = [field(Tag::Path, b"x"), pair(Tag::UserMetadata, "k", &v)].concat();
        let err = Input::decode(&bytes).unwrap().write_options(&permissive()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ConfigInvalid);
        assert!(err.to_string().contains("64 KiB"), "{err}");
        let many: Vec<u8> = (0..20_000)
            .flat_map(|i| pair(Tag::UserMetadata, &i.to_string(), ""))
            .collect();
        let bytes = [field(Tag::Path, b"x"), many].concat();
        assert!(Input::decode(&bytes).unwrap().write_options(&permissive()).is_err());
        let tag = field(Tag::IfMatch, "e".repeat(66_000).as_bytes());
        let bytes = [field(Tag::Path, b"x"), tag].concat();
        assert!(Input::decode(&bytes).unwrap().stat_options(&permissive()).is_err());
        // Well under the limit: accepted.
        let ok = [
            field(Tag::Path, b"x"),
            pair(Tag::UserMetadata, "k", &"v".repeat(30_000)),
            field(Tag::ContentType, "t".repeat(30_000).as_bytes()),
        ]
        .concat();
        assert!(Input::decode(&ok).unwrap().write_options(&permissive()).is_ok());
    }

    #[test]
    fn splits_entries_at_each_path() {
        let bytes = [
            field(Tag::Target, b"all"),
            field(Tag::ContentType, b"text/plain"),
            field(Tag::Path, b"a"),
            field(Tag::Version, b"v1"),
            field(Tag::Path, b"b"),
        ]
        .concat();
        let input = Input::decode(&bytes).unwrap();
        let (head, entries) = input.split_at_each(Tag::Path);
        assert_eq!(head.target().unwrap(), "all");
        assert_eq!(
            head.compose_options(&permissive()).unwrap().content_type.as_deref(),
            Some("text/plain")
        );
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].path().unwrap(), "a");
        let o = entries[0].delete_entry_options(&permissive()).unwrap();
        assert_eq!(o.version.as_deref(), Some("v1"));
        assert_eq!(entries[1].path().unwrap(), "b");
        // An option of the destination is refused among a source's.
        let bytes = [field(Tag::Path, b"a"), field(Tag::ContentType, b"x")].concat();
        let input = Input::decode(&bytes).unwrap();
        let (_, entries) = input.split_at_each(Tag::Path);
        let err = entries[0].compose_source_options(&permissive()).unwrap_err();
        assert!(
            err.to_string()
                .contains("contentType is not accepted by compose"),
            "{err}"
        );
    }

    #[test]
    fn presign_expiry_is_bounded() {
        let ok = [field(Tag::Path, b"x"), num(Tag::Expire, 60.0)].concat();
        assert_eq!(
            Input::decode(&ok).unwrap().expire().unwrap(),
            Duration::from_secs(60)
        );
        let zero = [field(Tag::Path, b"x"), num(Tag::Expire, 0.0)].concat();
        assert_eq!(
            kind(Input::decode(&zero).unwrap().expire()),
            ErrorKind::ConfigInvalid
        );
    }
}
