//! What an error record says: a short message that leads with the cause,
//! and the full detail, both with secrets masked.
//!
//! OpenDAL's `Display` of an error is everything at once: kind, status,
//! operation, every context value (a whole HTTP response head), the message
//! (often a service's error struct in debug form) and only the first of its
//! sources, so "error sending request" hides "connection refused". The
//! message here is what a person needs first:
//!
//! - the deepest source when there is one (the OS or network error), with
//!   the host it concerned: `connection refused (127.0.0.1:9)`;
//! - else a service's error code and text: `NoSuchBucket: The specified
//!   bucket does not exist`;
//! - else OpenDAL's own message.
//!
//! The detail keeps OpenDAL's whole text, minus the response headers (the
//! status stays), plus every source in the chain.

use std::fmt::Write as _;

use opendal::Error;

use crate::redact::redact;

/// The two texts of an error record.
#[derive(Debug, PartialEq, Eq)]
pub struct Report {
    /// Short, cause first.
    pub message: String,
    /// Everything known; empty when it would only repeat `message`.
    pub detail: String,
}

/// The report of `err`.
pub fn report(err: &Error) -> Report {
    let display = display(err);
    let sources = sources(err);
    let message = redact(&cause(err, &display, &sources)).into_owned();
    let bare = format!("{} ({}) => {}", err.kind(), status_word(err), err.message());
    let detail = if sources.is_empty() && display == bare {
        String::new()
    } else {
        let mut detail = without_response_head(&display);
        // The first source is already in `display`.
        for s in sources.iter().skip(1) {
            let _ = write!(detail, ": {s}");
        }
        redact(&detail).into_owned()
    };
    Report { message, detail }
}

fn status_word(err: &Error) -> &'static str {
    if err.is_temporary() {
        "temporary"
    } else if err.is_persistent() {
        "persistent"
    } else {
        "permanent"
    }
}

/// OpenDAL's text, without the empty operation of an error made outside an
/// operation (`ConfigInvalid (permanent) at  => ...`).
fn display(err: &Error) -> String {
    let text = err.to_string();
    let prefix = format!("{} ({}) at ", err.kind(), status_word(err));
    match text.strip_prefix(&prefix) {
        Some(rest) if rest.is_empty() || rest.starts_with([' ', ',']) => {
            format!("{} ({}){rest}", err.kind(), status_word(err))
        }
        _ => text,
    }
}

/// The texts of `err`'s sources, outermost first, each said once.
fn sources(err: &Error) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut next = std::error::Error::source(err);
    while let Some(e) = next {
        let text = e.to_string();
        // Some errors repeat their source in their own text.
        if !text.is_empty() && !out.last().is_some_and(|last| last.ends_with(&text)) {
            out.push(text);
        }
        next = e.source();
    }
    out
}

/// The short message: what went wrong, first.
fn cause(err: &Error, display: &str, sources: &[String]) -> String {
    if let Some(root) = sources.last() {
        let root = sentence(root);
        return match url_host(display) {
            Some(host) => format!("{root} ({host})"),
            None => root,
        };
    }
    let message = err.message().trim();
    if let Some((code, text)) = service_error(message) {
        // The first sentence: services append request ids and times.
        let text = text.split(". ").next().unwrap_or_default();
        return if text.is_empty() {
            code
        } else {
            format!("{code}: {}", sentence_keep_case(text))
        };
    }
    if message.is_empty() || message.starts_with('<') {
        // No message, or an HTML error page: the status says more.
        return match http_status(display) {
            Some(status) => with_reason(status),
            None => err.kind().to_string(),
        };
    }
    sentence_keep_case(message)
}

/// The first line of `text` without an OS error number or what closes it
/// (a period, a dangling colon).
fn sentence_keep_case(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let line = match line.rfind(" (os error ") {
        Some(at) if line.ends_with(')') => &line[..at],
        _ => line,
    };
    line.trim_end_matches(['.', ':', ' ']).to_string()
}

/// As [`sentence_keep_case`], starting lowercase (`Connection refused` reads
/// `connection refused`) unless it starts with an acronym.
fn sentence(text: &str) -> String {
    let s = sentence_keep_case(text);
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s,
    }
}

/// `host[:port]` of the request URL in OpenDAL's context (`url:`/`uri:`).
fn url_host(display: &str) -> Option<&str> {
    let at = display.find("url: ").or_else(|| display.find("uri: "))?;
    let url = &display[at + 5..];
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    // A password may hold `,` or `}`, which also end a context value: the
    // authority ends only where no userinfo character can stand.
    let authority = &rest[..rest.find(['/', '?', '#', ' ']).unwrap_or(rest.len())];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = &host[..host.find([',', '}']).unwrap_or(host.len())];
    // Anything but `name[:port]` is not a host: say none rather than guess.
    let port = match host.rfind(']') {
        Some(end) => host[end + 1..].strip_prefix(':').unwrap_or(""),
        None => host.rsplit_once(':').map_or("", |(_, p)| p),
    };
    let plain = !host.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    plain.then_some(host)
}

/// `HTTP 404 Not Found`: the status and, where it has one, its reason.
fn with_reason(status: u16) -> String {
    match http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("HTTP {status} {reason}"),
        None => format!("HTTP {status}"),
    }
}

/// The HTTP status in a `response: Parts { status: N, ...` context value.
fn http_status(display: &str) -> Option<u16> {
    let at = display.find("response: Parts { status: ")?;
    let digits = &display[at + 26..];
    digits[..digits.find(|c: char| !c.is_ascii_digit())?]
        .parse()
        .ok()
}

/// `display` with `response: Parts { status: N, version: .., headers: {..} }`
/// cut to `status: N`: the headers are noise, the status is not.
fn without_response_head(display: &str) -> String {
    const HEAD: &str = "response: Parts { ";
    let Some(start) = display.find(HEAD) else {
        return display.to_string();
    };
    let Some(end) = closing_brace(&display[start + HEAD.len()..]) else {
        return display.to_string();
    };
    let end = start + HEAD.len() + end + 1;
    match http_status(display) {
        Some(status) => format!("{}status: {status}{}", &display[..start], &display[end..]),
        None => display.to_string(),
    }
}

/// The offset of the `}` closing a `{` already opened, skipping quoted text.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '{' if !quoted => depth += 1,
            '}' if !quoted && depth == 0 => return Some(i),
            '}' if !quoted => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `(code, message)` of a service's error struct in debug form, as S3
/// (`S3Error { code: "NoSuchBucket", message: "..." }`), Azure Blob and GCS
/// (`code: 404`) put it in OpenDAL's message.
fn service_error(text: &str) -> Option<(String, String)> {
    if !text.contains(" { ") {
        return None;
    }
    let code = field(text, "code: ")?;
    let message = field(text, "message: ").unwrap_or_default();
    (!code.is_empty()).then_some((code, message))
}

/// The value after the first `name` in `text`: a debug string or a number.
fn field(text: &str, name: &str) -> Option<String> {
    let at = text.find(name)? + name.len();
    let rest = &text[at..];
    match rest.strip_prefix('"') {
        Some(quoted) => debug_str(quoted),
        None => {
            let end = rest.find([',', ' ', '}']).unwrap_or(rest.len());
            Some(rest[..end].to_string())
        }
    }
}

/// The string of a debug literal whose opening quote was consumed.
fn debug_str(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' | 'r' | 't' => out.push(' '),
                'u' => {
                    // \u{...}
                    let code: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                    out.push(char::from_u32(u32::from_str_radix(&code, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use opendal::ErrorKind;

    const S3_HEAD: &str = r#"Parts { status: 404, version: HTTP/1.1, headers: {"server": "Werkzeug/3.1.9", "content-type": "application/xml", "x-weird": "a } b"} }"#;

    #[test]
    fn service_errors_lead_with_their_code() {
        let err = Error::new(
            ErrorKind::ConfigInvalid,
            r#"S3Error { code: "NoSuchBucket", message: "The specified bucket does not exist", resource: "", request_id: "R1" }"#,
        )
        .with_operation("read")
        .with_context("service_operation", "GetObject")
        .with_context("uri", "http://127.0.0.1:5000/nope/x")
        .with_context("response", S3_HEAD)
        .with_context("service", "s3")
        .with_context("path", "x");
        let r = report(&err);
        assert_eq!(
            r.message,
            "NoSuchBucket: The specified bucket does not exist"
        );
        assert!(
            r.detail.contains("status: 404, service: s3, path: x"),
            "{}",
            r.detail
        );
        assert!(
            !r.detail.contains("Werkzeug"),
            "headers are cut: {}",
            r.detail
        );
        assert!(r.detail.contains("request_id: \"R1\""), "{}", r.detail);
    }

    #[test]
    fn only_the_first_sentence_of_a_service_message() {
        let err = Error::new(
            ErrorKind::PermissionDenied,
            r#"AzblobError { code: "AuthorizationFailure", message: "Server failed to authenticate the request. Make sure ... RequestId:1 Time:2" }"#,
        );
        assert_eq!(
            report(&err).message,
            "AuthorizationFailure: Server failed to authenticate the request"
        );
    }

    #[test]
    fn numeric_codes_and_multiline_messages() {
        let err = Error::new(
            ErrorKind::NotFound,
            r#"GcsErrorResponse { error: GcsError { code: 404, message: "No such object: b/x\nmore", errors: [] } }"#,
        );
        assert_eq!(report(&err).message, "404: No such object: b/x more");
    }

    /// An error with a source, as an HTTP client's.
    #[derive(Debug)]
    struct Sending(std::io::Error);

    impl std::fmt::Display for Sending {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("error sending request")
        }
    }

    impl std::error::Error for Sending {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_password_with_context_delimiters_never_passes_for_the_host() {
        for url in [
            "http://user:pw,half@127.0.0.1:9/x",
            "http://user:pw}half@127.0.0.1:9/x",
            "http://user:pw,half@[::1]:9",
        ] {
            let display = format!("Unexpected at stat, context: {{ url: {url}, called: x }}");
            let host = url_host(&display);
            assert!(host == Some("127.0.0.1:9") || host == Some("[::1]:9"), "{url}: {host:?}");
        }
        assert_eq!(url_host("url: http://user:pw,half, called: x"), None);
    }

    #[test]
    fn the_root_cause_leads_with_its_host() {
        let inner = std::io::Error::from_raw_os_error(111);
        let err = Error::new(ErrorKind::Unexpected, "send http request")
            .with_operation("stat")
            .with_context("url", "http://user:secret@127.0.0.1:9/test/x?sig=abc")
            .with_context("called", "reqwest::send")
            .set_source(Sending(inner))
            .set_temporary();
        let r = report(&err);
        assert_eq!(r.message, "connection refused (127.0.0.1:9)");
        assert!(
            r.detail.ends_with(": Connection refused (os error 111)"),
            "{}",
            r.detail
        );
        assert!(
            !r.detail.contains("secret") && !r.detail.contains("abc"),
            "{}",
            r.detail
        );
    }

    #[test]
    fn plain_errors_have_no_detail_and_no_empty_operation() {
        let err = Error::new(
            ErrorKind::ConfigInvalid,
            "option append is not accepted by stat",
        );
        let r = report(&err);
        assert_eq!(r.message, "option append is not accepted by stat");
        assert_eq!(r.detail, "");
        let err = err.with_context("service", "s3");
        let r = report(&err);
        assert_eq!(
            r.detail,
            "ConfigInvalid (permanent), context: { service: s3 } => option append is not accepted by stat"
        );
    }

    #[test]
    fn html_pages_and_empty_bodies_give_the_status() {
        let err = Error::new(
            ErrorKind::Unexpected,
            "<html><body>502 Bad Gateway</body></html>",
        )
        .with_context("response", S3_HEAD.replace("404", "502"));
        assert_eq!(report(&err).message, "HTTP 502 Bad Gateway");
        let odd = Error::new(ErrorKind::Unexpected, "").with_context("response", S3_HEAD.replace("404", "599"));
        assert_eq!(report(&odd).message, "HTTP 599");
        assert_eq!(
            report(&Error::new(ErrorKind::Unexpected, "")).message,
            "Unexpected"
        );
    }

    #[test]
    fn sentences_drop_os_numbers_and_periods() {
        assert_eq!(sentence("Is a directory (os error 21)"), "is a directory");
        assert_eq!(sentence("TLS handshake failed."), "TLS handshake failed");
        assert_eq!(
            sentence_keep_case("Region is missing.\nmore"),
            "Region is missing"
        );
        assert_eq!(
            sentence("msg: Failure, Language Tag: "),
            "msg: Failure, Language Tag"
        );
    }
}
