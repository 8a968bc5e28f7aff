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

/// Where a URL part ends inside a message: at the next delimiter of the
/// message around it, not only of the URL.
fn ends_part(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '}' | ')' | '"' | '\'' | '>' | ']')
}

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
fn mask_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_len = tail
            .find(|c: char| ends_part(c) || matches!(c, '/' | '?' | '#'))
            .unwrap_or(tail.len());
        let authority = &tail[..authority_len];
        match authority.rfind('@') {
            Some(end) => {
                let userinfo = &authority[..end];
                match userinfo.find(':') {
                    Some(colon) => {
                        out.push_str(&userinfo[..=colon]);
                        out.push_str(MASK);
                    }
                    None => out.push_str(MASK),
                }
                out.push_str(&authority[end..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority_len..];
    }
    out.push_str(rest);
    out
}

/// Masks the value of every `?name=value` / `&name=value` whose name is in
/// [`SECRET_PARAMS`].
fn mask_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['?', '&']) {
        let (head, tail) = rest.split_at(at + 1);
        out.push_str(head);
        let name_len = tail
            .find(|c: char| c == '=' || c == '&' || c == '#' || ends_part(c))
            .unwrap_or(tail.len());
        let is_secret = tail[name_len..].starts_with('=')
            && SECRET_PARAMS.contains(&tail[..name_len].to_ascii_lowercase().as_str());
        if !is_secret {
            rest = tail;
            continue;
        }
        out.push_str(&tail[..=name_len]);
        let value = &tail[name_len + 1..];
        let value_len = value
            .find(|c: char| c == '&' || c == '#' || ends_part(c))
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
