//! Config keys are checked before OpenDAL sees them.
//!
//! OpenDAL ignores a config key its service does not know, so a typo
//! (`regoin`) surfaced later as a confusing error ("region is missing"), or
//! never. Every new operator's keys are checked here first: an unknown key is
//! `ConfigInvalid` naming the closest valid one.
//!
//! The valid keys are the ones the service's config struct deserializes
//! (serde's own field list, aliases included), so they cannot drift from
//! OpenDAL. Keys may also be written in camelCase (`accessKeyId`), as the
//! typed TypeScript options are.

use std::collections::BTreeSet;

use opendal::{Error, ErrorKind, Operator, OperatorUri, Result};
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use crate::service_list;

/// `config` with every key in OpenDAL's spelling, or `ConfigInvalid` for the
/// first unknown key; a scheme this build lacks is `Unsupported`.
pub fn check(scheme: &str, config: Vec<(String, String)>) -> Result<Vec<(String, String)>> {
    let scheme = scheme.to_ascii_lowercase();
    let Some(keys) = service_list::keys(&scheme) else {
        return Err(missing(&scheme));
    };
    config
        .into_iter()
        .map(|(key, value)| Ok((config_key(&scheme, keys, &key)?, value)))
        .collect()
}

/// An operator of `scheme` with `config`, once its keys are checked.
///
/// `Operator::via_iter` parses a bare-scheme URI, and OpenDAL 0.59.5's URI
/// parsing of cloudflare-kv, d1, github, koofr and lakefs takes their
/// account, owner, email or repository only from the URI's host or path:
/// from options alone they could not be opened at all. Those are built from
/// their config struct instead (not every service: serde cannot read an
/// enum field, such as hf's `repo_type`, from a string that way).
pub fn open(scheme: &str, config: Vec<(String, String)>) -> Result<Operator> {
    let config = check(scheme, config)?;
    #[allow(unused_imports)]
    use opendal::services::*;
    match scheme.to_ascii_lowercase().as_str() {
        #[cfg(feature = "services-cloudflare-kv")]
        "cloudflare-kv" => from_config::<CloudflareKvConfig>(config),
        #[cfg(feature = "services-d1")]
        "d1" => from_config::<D1Config>(config),
        #[cfg(feature = "services-github")]
        "github" => from_config::<GithubConfig>(config),
        #[cfg(feature = "services-koofr")]
        "koofr" => from_config::<KoofrConfig>(config),
        #[cfg(feature = "services-lakefs")]
        "lakefs" => from_config::<LakefsConfig>(config),
        _ => Operator::via_iter(scheme, config),
    }
}

/// An operator from the config struct `C`, filled from `config`.
#[allow(dead_code)]
fn from_config<C: opendal::Configurator>(config: Vec<(String, String)>) -> Result<Operator> {
    Operator::from_config(C::from_iter(config)?)
}

/// An operator from `uri`, parsed by OpenDAL (`s3://bucket/prefix?region=..`,
/// `fs:///tmp/x`, or a bare scheme), with `config` on top; the query's keys
/// and `config`'s are checked as for `new`. `expected`, when given, is the
/// only scheme accepted (a service class's `fromUri`). Messages never repeat
/// the URI: it may hold credentials.
pub fn from_uri(uri: &str, expected: Option<&str>, config: Vec<(String, String)>) -> Result<Operator> {
    let parse = |extra: Vec<(String, String)>| {
        OperatorUri::new(uri, extra).map_err(|e| {
            let why = std::error::Error::source(&e).map_or_else(|| e.message().to_string(), |s| s.to_string());
            Error::new(ErrorKind::ConfigInvalid, format!("the URI could not be parsed: {why}"))
        })
    };
    let parsed = parse(Vec::new())?;
    let scheme = parsed.scheme();
    if let Some(expected) = expected
        && scheme != expected
    {
        return Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!("the URI names the {scheme:?} service, not {expected:?}"),
        ));
    }
    // OpenDAL keeps the query in a hash map: sorted, the first unknown key
    // named is the same on every run.
    let mut query: Vec<_> = parsed.options().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    query.sort();
    check(scheme, query)?;
    Operator::from_uri(parse(check(scheme, config)?)?)
}

/// `Unsupported` for a scheme this build lacks: what it has, and, for a
/// service the library can be built with, how to build it in.
fn missing(scheme: &str) -> Error {
    let built = service_list::built();
    let has = built.join(", ");
    let message = match service_list::find(scheme) {
        Some(service) => {
            let mut with: Vec<&str> = built.iter().copied().filter(|s| *s != "memory").collect();
            with.push(service.name);
            format!(
                "this library was built without the \"{scheme}\" service (it has: {has}); \
                 build one with it: `deno task build --services {}` (cargo feature \
                 \"services-{}\")",
                with.join(","),
                service.name
            )
        }
        None => {
            let known: Vec<&str> = service_list::ALL.iter().flat_map(|s| s.schemes.iter().copied()).collect();
            let near = closest(scheme, &known)
                .map(|near| format!("; did you mean \"{near}\"?"))
                .unwrap_or_default();
            format!("this library has no \"{scheme}\" service{near} (it has: {has})")
        }
    };
    Error::new(ErrorKind::Unsupported, message)
}

/// `key` as OpenDAL spells it: as written (in any case, as OpenDAL reads it)
/// or from camelCase.
fn config_key(scheme: &str, keys: &[&str], key: &str) -> Result<String> {
    let lower = key.to_ascii_lowercase();
    if keys.contains(&lower.as_str()) {
        return Ok(lower);
    }
    let snake = snake_case(key);
    if keys.contains(&snake.as_str()) {
        return Ok(snake);
    }
    // Answer in the caller's spelling: camelCase in, camelCase out.
    let camel = key.chars().any(|c| c.is_ascii_uppercase());
    let spell = |k: &str| if camel { camel_case(k) } else { k.to_string() };
    let message = match closest(key, keys) {
        Some(near) => format!(
            "unknown option \"{key}\" for the {scheme} service: did you mean \"{}\"?",
            spell(near)
        ),
        None => {
            let valid: BTreeSet<String> = keys.iter().map(|k| spell(k)).collect();
            let valid: Vec<String> = valid.into_iter().collect();
            format!(
                "unknown option \"{key}\" for the {scheme} service (it takes: {})",
                valid.join(", ")
            )
        }
    };
    Err(Error::new(ErrorKind::ConfigInvalid, message))
}

/// The candidate nearest to `word`, if it is near enough to be a typo:
/// case, `_` and `-` are ignored, and a swap of two neighbours costs one.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let plain = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let word = plain(word);
    let limit = (word.len() / 3).max(1);
    candidates
        .iter()
        .map(|c| (distance(&word, &plain(c)), *c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Edit distance with adjacent transpositions (optimal string alignment).
fn distance(a: &[char], b: &[char]) -> usize {
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// `accessKeyId` to `access_key_id`.
fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `access_key_id` to `accessKeyId`.
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The field names (aliases included) serde's derived `Deserialize` of `C`
/// passes to `deserialize_struct`: the keys the config accepts. A config
/// that deserializes any other way (`#[serde(flatten)]`) gives none, which
/// the tests catch.
pub(crate) fn field_names<C: DeserializeOwned>() -> &'static [&'static str] {
    /// A deserializer that only records the field list it is handed.
    struct Capture;

    /// The "error" that carries the field list out.
    #[derive(Debug)]
    struct Fields(&'static [&'static str]);

    impl std::fmt::Display for Fields {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:?}", self.0)
        }
    }

    impl std::error::Error for Fields {}

    impl de::Error for Fields {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Fields(&[])
        }
    }

    impl<'de> Deserializer<'de> for Capture {
        type Error = Fields;

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> std::result::Result<V::Value, Fields> {
            Err(Fields(fields))
        }

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> std::result::Result<V::Value, Fields> {
            Err(Fields(&[]))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    match C::deserialize(Capture) {
        Err(Fields(fields)) => fields,
        Ok(_) => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn message<T>(r: Result<T>) -> (ErrorKind, String) {
        let Err(e) = r else { panic!("not refused") };
        (e.kind(), e.message().to_string())
    }

    #[test]
    fn keys_in_any_spelling_become_opendals() {
        let config = check("MEMORY", pairs(&[("Root", "/a")])).unwrap();
        assert_eq!(config, pairs(&[("root", "/a")]));
        let config = check("fs", pairs(&[("atomicWriteDir", "/t")])).unwrap();
        assert_eq!(config, pairs(&[("atomic_write_dir", "/t")]));
    }

    #[test]
    fn an_unknown_key_names_the_closest() {
        let (kind, msg) = message(check("memory", pairs(&[("roto", "/")])));
        assert_eq!(kind, ErrorKind::ConfigInvalid);
        assert_eq!(
            msg,
            "unknown option \"roto\" for the memory service: did you mean \"root\"?"
        );
        let (_, msg) = message(check("memory", pairs(&[("bucket", "x")])));
        assert_eq!(
            msg,
            "unknown option \"bucket\" for the memory service (it takes: root)"
        );
    }

    #[test]
    fn a_scheme_no_service_has_is_unsupported() {
        let (kind, msg) = message(check("memroy", pairs(&[("x", "1")])));
        assert_eq!(kind, ErrorKind::Unsupported);
        assert!(
            msg.starts_with("this library has no \"memroy\" service; did you mean \"memory\"? (it has: "),
            "{msg}"
        );
        assert!(msg.contains("memory"), "{msg}");
    }

    // Runs in slim builds (scripts/test_slim.sh runs it in its fs+s3 one).
    #[cfg(not(feature = "services-azblob"))]
    #[test]
    fn a_service_this_build_lacks_says_how_to_build_it() {
        let (kind, msg) = message(check("azblob", Vec::new()));
        assert_eq!(kind, ErrorKind::Unsupported);
        let with: Vec<&str> = service_list::built().into_iter().filter(|s| *s != "memory").collect();
        assert_eq!(
            msg,
            format!(
                "this library was built without the \"azblob\" service (it has: {}); build one \
                 with it: `deno task build --services {},azblob` (cargo feature \
                 \"services-azblob\")",
                service_list::built().join(", "),
                with.join(",")
            )
        );
    }

    #[cfg(feature = "services-s3")]
    #[test]
    fn s3_typos_aliases_and_camel_case() {
        let (_, msg) = message(check("s3", pairs(&[("regoin", "us-east-1")])));
        assert!(msg.ends_with("did you mean \"region\"?"), "{msg}");
        let (_, msg) = message(check("s3", pairs(&[("accesKeyId", "k")])));
        assert!(msg.ends_with("did you mean \"accessKeyId\"?"), "{msg}");
        let config = check("s3", pairs(&[("accessKeyId", "k"), ("aws_region", "r")])).unwrap();
        assert_eq!(
            config,
            pairs(&[("access_key_id", "k"), ("aws_region", "r")])
        );
    }

    #[test]
    fn typo_distance() {
        let d = |a: &str, b: &str| {
            distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("regoin", "region"), 1);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(closest("xyz", &["root"]), None);
    }

    #[test]
    fn case_conversions() {
        assert_eq!(snake_case("accessKeyId"), "access_key_id");
        assert_eq!(
            snake_case("disableListObjectsV2"),
            "disable_list_objects_v2"
        );
        assert_eq!(camel_case("access_key_id"), "accessKeyId");
    }
}
