//! Status codes returned by every exported function.
//!
//! `0` is success, positive codes are OpenDAL's `ErrorKind`s (stable numbers,
//! never reused), negative codes describe where the result went. The codes
//! are declared in `abi.rs` and generated into `codes.rs`.

use opendal::ErrorKind;

pub use crate::codes::*;

/// The smallest `out` buffer any call accepts.
pub const MIN_OUT: usize = 64;

/// The stable code of an OpenDAL error kind.
pub fn code_of(kind: ErrorKind) -> i32 {
    match kind {
        ErrorKind::Unexpected => UNEXPECTED,
        ErrorKind::Unsupported => UNSUPPORTED,
        ErrorKind::ConfigInvalid => CONFIG_INVALID,
        ErrorKind::NotFound => NOT_FOUND,
        ErrorKind::PermissionDenied => PERMISSION_DENIED,
        ErrorKind::IsADirectory => IS_A_DIRECTORY,
        ErrorKind::NotADirectory => NOT_A_DIRECTORY,
        ErrorKind::AlreadyExists => ALREADY_EXISTS,
        ErrorKind::RateLimited => RATE_LIMITED,
        ErrorKind::IsSameFile => IS_SAME_FILE,
        ErrorKind::ConditionNotMatch => CONDITION_NOT_MATCH,
        ErrorKind::RangeNotSatisfied => RANGE_NOT_SATISFIED,
        ErrorKind::Conflict => CONFLICT,
        _ => UNKNOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind this crate maps, by the name OpenDAL gives it.
    const KINDS: [ErrorKind; 13] = [
        ErrorKind::Unexpected,
        ErrorKind::Unsupported,
        ErrorKind::ConfigInvalid,
        ErrorKind::NotFound,
        ErrorKind::PermissionDenied,
        ErrorKind::IsADirectory,
        ErrorKind::NotADirectory,
        ErrorKind::AlreadyExists,
        ErrorKind::RateLimited,
        ErrorKind::IsSameFile,
        ErrorKind::ConditionNotMatch,
        ErrorKind::RangeNotSatisfied,
        ErrorKind::Conflict,
    ];

    #[test]
    fn codes_are_distinct_and_positive() {
        let mut codes: Vec<i32> = KINDS.iter().map(|k| code_of(*k)).collect();
        assert!(codes.iter().all(|c| *c > 0 && *c != UNKNOWN));
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), KINDS.len());
    }

    /// The variants of `ErrorKind` in the opendal-core source that
    /// Cargo.lock pins, read from cargo's registry: a variant a new release
    /// adds fails here until it has a code (`abi.rs`) and `code_of` maps it.
    fn variants_in_the_crate_source() -> Vec<String> {
        let lock = include_str!("../Cargo.lock");
        let version = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"opendal-core\""))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
            .expect("Cargo.lock pins opendal-core")
            .trim_matches('"')
            .to_string();
        let cargo_home = std::env::var("CARGO_HOME")
            .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap()));
        let registry = std::path::Path::new(&cargo_home).join("registry/src");
        let source = std::fs::read_dir(&registry)
            .unwrap_or_else(|e| panic!("{}: {e}", registry.display()))
            .filter_map(|index| {
                let path = index
                    .ok()?
                    .path()
                    .join(format!("opendal-core-{version}/src/types/error.rs"));
                std::fs::read_to_string(path).ok()
            })
            .next()
            .unwrap_or_else(|| panic!("opendal-core {version} is not in {}", registry.display()));
        let body = source
            .split_once("pub enum ErrorKind {")
            .and_then(|(_, rest)| rest.split_once("\n}"))
            .expect("error.rs declares `pub enum ErrorKind`")
            .0;
        body.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with('#'))
            .map(|l| l.trim_end_matches(',').to_string())
            .collect()
    }

    #[test]
    fn every_error_kind_of_the_crate_has_its_own_code() {
        let variants = variants_in_the_crate_source();
        assert!(variants.len() >= KINDS.len(), "parsed {variants:?}");
        let known: Vec<&str> = KINDS.iter().map(|k| k.into_static()).collect();
        for v in &variants {
            assert!(
                known.contains(&v.as_str()),
                "ErrorKind::{v} of opendal-core maps to Unknown: give it a code in abi.rs \
                 and a line in status::code_of (and KINDS here)"
            );
        }
        for k in KINDS {
            assert_ne!(code_of(k), UNKNOWN, "{k} maps to Unknown");
        }
    }
}
