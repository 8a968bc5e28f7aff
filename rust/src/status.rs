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

    #[test]
    fn codes_are_distinct_and_positive() {
        let kinds = [
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
        let mut codes: Vec<i32> = kinds.iter().map(|k| code_of(*k)).collect();
        assert!(codes.iter().all(|c| *c > 0 && *c != UNKNOWN));
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), kinds.len());
    }
}
