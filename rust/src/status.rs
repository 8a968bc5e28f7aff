//! Status codes returned by every exported function.
//!
//! `0` is success, positive codes are OpenDAL's `ErrorKind`s (stable numbers,
//! never reused), negative codes describe where the result went.

use opendal::ErrorKind;

/// Success: the result record is in `out`.
pub const OK: i32 = 0;
/// The operation was submitted; its outcome arrives through the queue.
pub const PENDING: i32 = -1;
/// The result record did not fit in `out`: `out` holds its size as a
/// little-endian `f64`, and `opendal_queue_take` copies it out.
pub const HELD: i32 = -2;
/// `out` is null or smaller than [`MIN_OUT`]; nothing was written.
pub const BAD_OUT: i32 = -3;

/// The smallest `out` buffer any call accepts.
pub const MIN_OUT: usize = 64;

/// OpenDAL's `ErrorKind::Unexpected`.
pub const UNEXPECTED: i32 = 1;
/// OpenDAL's `ErrorKind::Unsupported`.
pub const UNSUPPORTED: i32 = 2;
/// OpenDAL's `ErrorKind::ConfigInvalid`.
pub const CONFIG_INVALID: i32 = 3;
/// OpenDAL's `ErrorKind::NotFound`.
pub const NOT_FOUND: i32 = 4;
/// OpenDAL's `ErrorKind::PermissionDenied`.
pub const PERMISSION_DENIED: i32 = 5;
/// OpenDAL's `ErrorKind::IsADirectory`.
pub const IS_A_DIRECTORY: i32 = 6;
/// OpenDAL's `ErrorKind::NotADirectory`.
pub const NOT_A_DIRECTORY: i32 = 7;
/// OpenDAL's `ErrorKind::AlreadyExists`.
pub const ALREADY_EXISTS: i32 = 8;
/// OpenDAL's `ErrorKind::RateLimited`.
pub const RATE_LIMITED: i32 = 9;
/// OpenDAL's `ErrorKind::IsSameFile`.
pub const IS_SAME_FILE: i32 = 10;
/// OpenDAL's `ErrorKind::ConditionNotMatch`.
pub const CONDITION_NOT_MATCH: i32 = 11;
/// OpenDAL's `ErrorKind::RangeNotSatisfied`.
pub const RANGE_NOT_SATISFIED: i32 = 12;
/// OpenDAL's `ErrorKind::Conflict`.
pub const CONFLICT: i32 = 13;

/// Code for an `ErrorKind` this crate does not know yet.
pub const UNKNOWN: i32 = 99;
/// Code for an operation cancelled by `opendal_queue_cancel`.
pub const CANCELLED: i32 = 100;

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
