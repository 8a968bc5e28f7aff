//! Case conversion of names, written once: OpenDAL's fields are snake_case,
//! TypeScript's options camelCase, Rust's tags PascalCase and C's constants
//! SCREAMING_SNAKE_CASE. `build.rs` uses this file too.

#![allow(dead_code)]

/// The lowercase words of a snake_case, camelCase or PascalCase name.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut boundary = true;
    for c in name.chars() {
        if c == '_' {
            boundary = true;
            continue;
        }
        if boundary || c.is_ascii_uppercase() {
            words.push(String::new());
            boundary = false;
        }
        if let Some(word) = words.last_mut() {
            word.push(c.to_ascii_lowercase());
        }
    }
    words
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// `write_with_if_match` -> `writeWithIfMatch`.
pub fn camel(name: &str) -> String {
    let words = words(name);
    let mut out = words.first().cloned().unwrap_or_default();
    for w in &words[1.min(words.len())..] {
        out.push_str(&capitalized(w));
    }
    out
}

/// `ifMatch` -> `IfMatch`.
pub fn pascal(name: &str) -> String {
    words(name).iter().map(|w| capitalized(w)).collect()
}

/// `ifMatch` -> `if_match`.
pub fn snake(name: &str) -> String {
    words(name).join("_")
}

/// `NotFound` -> `NOT_FOUND`.
pub fn screaming(name: &str) -> String {
    snake(name).to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_cases() {
        assert_eq!(camel("write_with_if_match"), "writeWithIfMatch");
        assert_eq!(camel("read"), "read");
        assert_eq!(pascal("ifMatch"), "IfMatch");
        assert_eq!(snake("overrideContentType"), "override_content_type");
        assert_eq!(screaming("IsADirectory"), "IS_A_DIRECTORY");
        assert_eq!(screaming("BadOut"), "BAD_OUT");
    }
}
