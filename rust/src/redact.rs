//! Keeps credentials out of text that leaves the library: error messages,
//! log lines and an operator's `name`.
//!
//! OpenDAL puts request URLs into error context (`url: ...`) and some
//! services use their endpoint as the operator's name. Those URLs can carry
//! a password (`redis://user:pass@host`, `http://user:pass@host`) or a
//! signature in the query (an Azure SAS token's `sig=`, a presigned
//! `X-Amz-Signature=`). Both are replaced with `***`; the rest of the URL
//! stays, since it is what makes the message useful.

use std::borrow::Cow;

/// What a secret is replaced with.
const MASK: &str = "***";

/// Query parameters whose value is a credential (compared lowercase).
const SECRET_PARAMS: &[&str] = &[
    "sig",
    "signature",
    "x-amz-signature",
    "x-amz-security-token",
    "x-amz-credential",
    "x-goog-signature",
    "x-goog-credential",
    "x-ms-signature",
    "token",
    "access_token",
    "sas_token",
    "password",
    "secret",
    "key",
    "api_key",
    "apikey",
];

/// `text` with URL passwords and secret query values masked; borrowed when
/// there was nothing to mask.
pub fn redact(text: &str) -> Cow<'_, str> {
    if !text.contains("://") && !text.contains('=') {
        return Cow::Borrowed(text);
    }
    let masked = mask_query(&mask_userinfo(text));
    if masked == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(masked)
    }
}

/// Masks the password of every `scheme://user:password@host` (the whole
/// userinfo when it has no `:`, since a lone user part may be a token).
///
/// Found by the URL's structure (RFC 3986), not by which characters a
/// password holds: the authority runs to the first `/`, `?` or `#` (none of
/// which it may hold unencoded) or line break, and its userinfo ends at the
/// authority's last `@`. So every character userinfo allows (`,` `)` `'`
/// `;` `&` `=` `~` `%` ...) is masked with the rest, and so is a space,
/// which no URL allows but a hand-written config string may hold. When text
/// after a URL without a path holds an `@`, more than the password is
/// masked: never less.
fn mask_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_len = tail
            .find(['/', '?', '#', '\n', '\r'])
            .unwrap_or(tail.len());
        match tail[..authority_len].rfind('@') {
            Some(end) => {
                let userinfo = &tail[..end];
                if let Some(colon) = userinfo.find(':') {
                    out.push_str(&userinfo[..=colon]);
                }
                out.push_str(MASK);
                rest = &tail[end..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// `name` with `%XX` escapes decoded (lossily), for comparing names.
fn percent_decoded(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).to_ascii_lowercase()
}

/// Masks the value of every `?name=value` / `&name=value` whose name
/// (case-insensitive, percent-decoded) is in [`SECRET_PARAMS`]. A value runs
/// to the next `&`, `#`, whitespace or the end: query values may hold `,`,
/// `)` or `'`, so punctuation of the message around the URL is masked with
/// the value rather than risk showing part of it.
fn mask_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['?', '&']) {
        let (head, tail) = rest.split_at(at + 1);
        out.push_str(head);
        let name_len = tail
            .find(|c: char| matches!(c, '=' | '&' | '#' | '?') || c.is_whitespace())
            .unwrap_or(tail.len());
        let is_secret = tail[name_len..].starts_with('=')
            && SECRET_PARAMS.contains(&percent_decoded(&tail[..name_len]).as_str());
        if !is_secret {
            rest = tail;
            continue;
        }
        out.push_str(&tail[..=name_len]);
        let value = &tail[name_len + 1..];
        let value_len = value
            .find(|c: char| matches!(c, '&' | '#') || c.is_whitespace())
            .unwrap_or(value.len());
        out.push_str(MASK);
        rest = &value[value_len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_are_masked() {
        assert_eq!(
            redact("name=redis://u:hunter2@127.0.0.1:6379 path=a"),
            "name=redis://u:***@127.0.0.1:6379 path=a"
        );
        assert_eq!(
            redact("{ url: http://:pw@h/x, called: y }"),
            "{ url: http://:***@h/x, called: y }"
        );
        assert_eq!(redact("https://tok3n@h/p"), "https://***@h/p");
    }

    /// Every character RFC 3986 allows in userinfo (unreserved, sub-delims,
    /// `:` and percent-encoded bytes), a space and a raw `@`, in every
    /// surrounding a message puts a URL in.
    #[test]
    fn any_password_is_masked_whole() {
        let allowed = "AZaz09-._~!$&'()*+,;=:%41%2f";
        let passwords = [
            allowed.to_string(),
            "hunter2,x".into(),
            "hunter2)x".into(),
            "hunter2'x".into(),
            "hunter 2".into(),
            "hunter@2".into(),
            "a&sig=b".into(),
        ]
        .into_iter()
        .chain(allowed.chars().map(|c| format!("se{c}cret")));
        for password in passwords {
            for (before, after) in [
                ("", ""),
                ("name=", " path=a"),
                ("{ url: ", ", called: x }"),
                ("(", ")"),
                ("'", "'"),
                ("\"", "\","),
                ("<", ">"),
            ] {
                for url in [
                    format!("redis://user:{password}@127.0.0.1:6379"),
                    format!("http://user:{password}@h:80/a/b?c=d#e"),
                    format!("postgresql://user:{password}@h/db?sslmode=disable"),
                ] {
                    let text = format!("{before}{url}{after}");
                    let masked = redact(&text);
                    assert!(!masked.contains(&password), "{text} -> {masked}");
                    assert!(masked.contains("user:***@"), "{text} -> {masked}");
                }
            }
        }
    }

    #[test]
    fn secret_query_values_are_masked() {
        assert_eq!(
            redact("url: http://h/c/x?sv=2020&sig=abc%2F==&se=1, called: r"),
            "url: http://h/c/x?sv=2020&sig=***&se=1, called: r"
        );
        assert_eq!(
            redact("http://h/o?X-Amz-Signature=deadbeef"),
            "http://h/o?X-Amz-Signature=***"
        );
        // Values may hold `,` `)` `'`: everything to the next `&` goes.
        for value in ["s3cr,et", "s3cr)et", "s3cr'et", "s3cr%2Cet", "s3cr;et=="] {
            for name in ["sig", "Password", "X%2DAmz%2DSignature", "access_token"] {
                let text = format!("{{ url: http://h/x?a=1&{name}={value}&b=2, called: r }}");
                let masked = redact(&text);
                assert!(!masked.contains("s3cr"), "{text} -> {masked}");
                assert!(masked.contains("&b=2"), "{text} -> {masked}");
            }
        }
        assert_eq!(
            redact("mysql://u@h/db?password=p4ss, called: x"),
            "mysql://***@h/db?password=*** called: x"
        );
    }

    #[test]
    fn harmless_text_is_unchanged() {
        for text in [
            "url: http://127.0.0.1:5000/b/x?list-type=2&prefix=a%2F, called: send",
            "NotFound (permanent) at stat, context: { service: fs, path: a=b&c }",
            "user@example.com wrote key=value",
            "",
        ] {
            assert!(matches!(redact(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
