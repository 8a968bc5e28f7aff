//! One rule for every option: an option the operator cannot honour is
//! refused with `Unsupported`, naming it, before anything is sent.
//!
//! OpenDAL refuses some unsupported options (`append`, conditions) and
//! silently drops others (`contentType`, `userMetadata`, `startAfter`, ...),
//! checking against the service's own capability even when a
//! `CapabilityOverrideLayer` above it says otherwise. Here every option with
//! a capability is checked, against the capability the operator reports
//! (overrides included). Hints that change no result (`concurrent`, `chunk`,
//! `limit`, a recursive listing OpenDAL emulates) are never refused.

use opendal::options::{
    CopyOptions, DeleteOptions, ListOptions, ReadOptions, ReaderOptions, RenameOptions,
    StatOptions, WriteOptions,
};
use opendal::{Error, ErrorKind, Operator, Result};

/// The error for `option` of `operation`, which `op` cannot honour because
/// its capability `flag` (snake_case) is false.
fn unsupported(op: &Operator, operation: &str, option: &str, flag: &str) -> Error {
    let capability = crate::names::camel(flag);
    Error::new(
        ErrorKind::Unsupported,
        format!(
            "the {operation} option {option} is not supported by the {} service \
             (capability {capability} is false)",
            op.info().scheme()
        ),
    )
}

/// Refuses the first option that is set while its capability is false. The
/// capability is looked up only when some option is set, so calls without
/// options pay nothing.
macro_rules! refuse {
    ($op:expr, $operation:literal; $( $option:literal if $set:expr => $flag:ident ),* $(,)?) => {{
        if false $( || $set )* {
            let cap = $op.info().capability();
            $(
                if $set && !cap.$flag {
                    return Err(unsupported($op, $operation, $option, stringify!($flag)));
                }
            )*
        }
        Ok(())
    }};
}

/// The options of `stat`.
pub fn stat(op: &Operator, o: &StatOptions) -> Result<()> {
    refuse!(op, "stat";
        "version" if o.version.is_some() => stat_with_version,
        "ifMatch" if o.if_match.is_some() => stat_with_if_match,
        "ifNoneMatch" if o.if_none_match.is_some() => stat_with_if_none_match,
        "ifVersionMatch" if o.if_version_match.is_some() => stat_with_if_version_match,
        "ifVersionNotMatch" if o.if_version_not_match.is_some() => stat_with_if_version_not_match,
        "ifModifiedSince" if o.if_modified_since.is_some() => stat_with_if_modified_since,
        "ifUnmodifiedSince" if o.if_unmodified_since.is_some() => stat_with_if_unmodified_since,
        "overrideContentType" if o.override_content_type.is_some() => stat_with_override_content_type,
        "overrideCacheControl" if o.override_cache_control.is_some() => stat_with_override_cache_control,
        "overrideContentDisposition" if o.override_content_disposition.is_some()
            => stat_with_override_content_disposition,
    )
}

/// The options of `read`.
pub fn read(op: &Operator, o: &ReadOptions) -> Result<()> {
    refuse!(op, "read";
        "version" if o.version.is_some() => read_with_version,
        "ifMatch" if o.if_match.is_some() => read_with_if_match,
        "ifNoneMatch" if o.if_none_match.is_some() => read_with_if_none_match,
        "ifVersionMatch" if o.if_version_match.is_some() => read_with_if_version_match,
        "ifVersionNotMatch" if o.if_version_not_match.is_some() => read_with_if_version_not_match,
        "ifModifiedSince" if o.if_modified_since.is_some() => read_with_if_modified_since,
        "ifUnmodifiedSince" if o.if_unmodified_since.is_some() => read_with_if_unmodified_since,
        "overrideContentType" if o.override_content_type.is_some() => read_with_override_content_type,
        "overrideCacheControl" if o.override_cache_control.is_some() => read_with_override_cache_control,
        "overrideContentDisposition" if o.override_content_disposition.is_some()
            => read_with_override_content_disposition,
    )
}

/// The options of `reader`.
pub fn reader(op: &Operator, o: &ReaderOptions) -> Result<()> {
    refuse!(op, "reader";
        "version" if o.version.is_some() => read_with_version,
        "ifMatch" if o.if_match.is_some() => read_with_if_match,
        "ifNoneMatch" if o.if_none_match.is_some() => read_with_if_none_match,
        "ifVersionMatch" if o.if_version_match.is_some() => read_with_if_version_match,
        "ifVersionNotMatch" if o.if_version_not_match.is_some() => read_with_if_version_not_match,
        "ifModifiedSince" if o.if_modified_since.is_some() => read_with_if_modified_since,
        "ifUnmodifiedSince" if o.if_unmodified_since.is_some() => read_with_if_unmodified_since,
    )
}

/// The options of `write`, `writer` and the target side of `copyTo`.
pub fn write(op: &Operator, o: &WriteOptions) -> Result<()> {
    refuse!(op, "write";
        "append" if o.append => write_can_append,
        "contentType" if o.content_type.is_some() => write_with_content_type,
        "contentDisposition" if o.content_disposition.is_some() => write_with_content_disposition,
        "contentEncoding" if o.content_encoding.is_some() => write_with_content_encoding,
        "cacheControl" if o.cache_control.is_some() => write_with_cache_control,
        "userMetadata" if o.user_metadata.is_some() => write_with_user_metadata,
        "ifMatch" if o.if_match.is_some() => write_with_if_match,
        "ifNoneMatch" if o.if_none_match.is_some() => write_with_if_none_match,
        "ifVersionMatch" if o.if_version_match.is_some() => write_with_if_version_match,
        "ifVersionNotMatch" if o.if_version_not_match.is_some() => write_with_if_version_not_match,
        "ifNotExists" if o.if_not_exists => write_with_if_not_exists,
    )
}

/// The options of `delete`.
pub fn delete(op: &Operator, o: &DeleteOptions) -> Result<()> {
    refuse!(op, "delete";
        "version" if o.version.is_some() => delete_with_version,
        "recursive" if o.recursive => delete_with_recursive,
        "ifMatch" if o.if_match.is_some() => delete_with_if_match,
        "ifNoneMatch" if o.if_none_match.is_some() => delete_with_if_none_match,
        "ifVersionMatch" if o.if_version_match.is_some() => delete_with_if_version_match,
        "ifVersionNotMatch" if o.if_version_not_match.is_some() => delete_with_if_version_not_match,
    )
}

/// The options of `list`.
pub fn list(op: &Operator, o: &ListOptions) -> Result<()> {
    refuse!(op, "list";
        "startAfter" if o.start_after.is_some() => list_with_start_after,
        "versions" if o.versions => list_with_versions,
        "deleted" if o.deleted => list_with_deleted,
    )
}

/// The options of `copy`.
pub fn copy(op: &Operator, o: &CopyOptions) -> Result<()> {
    refuse!(op, "copy";
        "ifNotExists" if o.if_not_exists => copy_with_if_not_exists,
        "ifMatch" if o.if_match.is_some() => copy_with_if_match,
        "ifNoneMatch" if o.if_none_match.is_some() => copy_with_if_none_match,
        "ifVersionMatch" if o.if_version_match.is_some() => copy_with_if_version_match,
        "ifVersionNotMatch" if o.if_version_not_match.is_some() => copy_with_if_version_not_match,
        "sourceVersion" if o.source_version.is_some() => copy_with_source_version,
    )
}

/// The options of `rename`.
pub fn rename(op: &Operator, o: &RenameOptions) -> Result<()> {
    refuse!(op, "rename";
        "ifNotExists" if o.if_not_exists => rename_with_if_not_exists,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use opendal::layers::CapabilityOverrideLayer;

    fn memory() -> Operator {
        Operator::via_iter("memory", Vec::<(String, String)>::new()).unwrap()
    }

    #[test]
    fn an_unsupported_option_is_refused_by_name() {
        let op = memory();
        let o = WriteOptions {
            user_metadata: Some(Default::default()),
            ..Default::default()
        };
        let err = write(&op, &o).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert_eq!(
            err.message(),
            "the write option userMetadata is not supported by the memory service \
             (capability writeWithUserMetadata is false)"
        );
        let o = ListOptions {
            start_after: Some("a".into()),
            ..Default::default()
        };
        assert!(list(&op, &o).unwrap_err().message().contains("startAfter"));
    }

    #[test]
    fn supported_options_and_hints_pass() {
        let op = memory();
        let o = WriteOptions {
            content_type: Some("text/plain".into()),
            concurrent: 8,
            chunk: Some(1024),
            ..Default::default()
        };
        assert!(write(&op, &o).is_ok());
        let o = ListOptions {
            recursive: true,
            limit: Some(10),
            ..Default::default()
        };
        assert!(list(&op, &o).is_ok());
        assert!(stat(&op, &StatOptions::default()).is_ok());
    }

    #[test]
    fn a_capability_override_is_obeyed() {
        let op = memory().layer(
            CapabilityOverrideLayer::from_overrides("write_with_content_type=false").unwrap(),
        );
        let o = WriteOptions {
            content_type: Some("text/plain".into()),
            ..Default::default()
        };
        assert!(
            write(&op, &o)
                .unwrap_err()
                .message()
                .contains("contentType")
        );
    }
}
