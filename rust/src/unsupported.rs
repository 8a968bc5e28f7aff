//! One rule for every option and operation: what the operator cannot honour
//! is refused with `Unsupported`, naming it, before anything is sent.
//!
//! OpenDAL refuses some unsupported options (`append`, conditions) and
//! silently drops others (`contentType`, `userMetadata`, `startAfter`, ...),
//! checking against the service's own capability even when a
//! `CapabilityOverrideLayer` above it says otherwise. Here every option with
//! a capability is checked, against the capability the operator reports
//! (overrides included). Hints that change no result (`concurrent`, `chunk`,
//! `limit`, a recursive listing OpenDAL emulates) are never refused.

use opendal::{Error, ErrorKind, Operator};

/// The error for `option` of `operation`, which `op` cannot honour because
/// its capability `flags` (snake_case; any one would do) are false. The
/// checks that call this are generated from `abi.rs` (`options.rs`).
pub fn unsupported(op: &Operator, operation: &str, option: &str, flags: &[&str]) -> Error {
    let names: Vec<_> = flags.iter().map(|f| crate::names::camel(f)).collect();
    let lacking = match names.as_slice() {
        [one] => format!("capability {one} is false"),
        many => format!("capabilities {} are false", many.join(" and ")),
    };
    Error::new(
        ErrorKind::Unsupported,
        format!(
            "the {operation} option {option} is not supported by the {} service ({lacking})",
            op.info().scheme()
        ),
    )
}

/// Refuses an operation the service cannot do at all (its capability
/// `name`, camelCase, is false), in fewer words than OpenDAL's own refusal.
pub fn refuse_operation(
    op: &Operator,
    operation: &str,
    capability: bool,
    name: &str,
) -> Result<(), Error> {
    if capability {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Unsupported,
        format!(
            "the {} service cannot {operation} (capability {name} is false)",
            op.info().scheme()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use crate::options::*;
    use opendal::layers::CapabilityOverrideLayer;
    use opendal::options::{ListOptions, StatOptions, WriteOptions};
    use opendal::{ErrorKind, Operator};

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
        let err = refuse_write(&op, &o).unwrap_err();
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
        assert!(refuse_list(&op, &o).unwrap_err().message().contains("startAfter"));
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
        assert!(refuse_write(&op, &o).is_ok());
        let o = ListOptions {
            recursive: true,
            limit: Some(10),
            ..Default::default()
        };
        assert!(refuse_list(&op, &o).is_ok());
        assert!(refuse_stat(&op, &StatOptions::default()).is_ok());
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
            refuse_write(&op, &o)
                .unwrap_err()
                .message()
                .contains("contentType")
        );
    }
}
