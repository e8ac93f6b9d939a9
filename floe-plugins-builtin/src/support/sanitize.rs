//! Removing credentials from error texts before they leave a plugin. Shared by the
//! dlt and dbt-core plugins (each includes this file).

// Each including plugin uses a different part of this file.
#![allow(dead_code)]

/// Longest error text kept, in characters.
pub(crate) const MAX_ERROR_CHARS: usize = 500;

const KEYWORDS: [&str; 7] = [
    "password",
    "secret_key",
    "access_key",
    "token",
    "api_key",
    "authorization",
    "credential",
];

/// `text` with credentials replaced by `<REDACTED>` and cut to 500 characters:
/// user-info in URLs (`://user:pass@` becomes `://<REDACTED>@`) and the value after
/// `password`, `secret_key`, `access_key`, `token`, `api_key`, `authorization` or
/// `credential` (any case, with a suffix like `db_password` or `credentials`)
/// followed by `=` or `:`.
pub(crate) fn sanitize(text: &str) -> String {
    truncate(&redact(text), MAX_ERROR_CHARS)
}

/// `text` with credentials replaced like [`sanitize`], at its full length.
pub(crate) fn redact(text: &str) -> String {
    redact_assignments(&redact_userinfo(text))
}

/// `text` with every occurrence of each non-empty `secrets` value replaced by
/// `<REDACTED>`.
pub(crate) fn redact_values(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        out = out.replace(secret, "<REDACTED>");
    }
    out
}

/// The first `max` characters of `text`.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => text[..at].to_owned(),
        None => text.to_owned(),
    }
}

fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| c == '/' || c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(tail.len());
        match tail[..authority_end].rfind('@') {
            Some(user_end) => {
                out.push_str("<REDACTED>");
                rest = &tail[user_end..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

fn is_value_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | '&' | '"' | '\'' | ')' | '}' | ']')
}

fn redact_assignments(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let hit = KEYWORDS
            .iter()
            .find(|k| lower[i..].starts_with(*k))
            .map(|k| k.len());
        let Some(keyword_len) = hit else {
            let ch = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + ch]);
            i += ch;
            continue;
        };
        // keyword, a word suffix (`s`, `_id`), spaces, `=` or `:`, spaces, value
        let mut j = i + keyword_len;
        let bytes = text.as_bytes();
        while j < text.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        let mut k = j;
        while k < text.len() && bytes[k] == b' ' {
            k += 1;
        }
        if k >= text.len() || (bytes[k] != b'=' && bytes[k] != b':') {
            out.push_str(&text[i..j]);
            i = j;
            continue;
        }
        let separator_end = k + 1;
        let mut v = separator_end;
        while v < text.len() && bytes[v] == b' ' {
            v += 1;
        }
        let value_len = text[v..].find(is_value_end).unwrap_or(text.len() - v);
        if value_len == 0 {
            out.push_str(&text[i..v]);
            i = v;
            continue;
        }
        let mut end = v + value_len;
        let scheme = text[v..end].to_ascii_lowercase();
        if scheme == "bearer" || scheme == "basic" {
            let mut t = end;
            while t < text.len() && bytes[t] == b' ' {
                t += 1;
            }
            end = t + text[t..].find(is_value_end).unwrap_or(text.len() - t);
        }
        out.push_str(&text[i..v]);
        out.push_str("<REDACTED>");
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_url_userinfo() {
        assert_eq!(
            sanitize("cannot reach postgresql://floe:hunter2@db:5432/x now"),
            "cannot reach postgresql://<REDACTED>@db:5432/x now"
        );
    }

    #[test]
    fn removes_assigned_values() {
        assert_eq!(
            sanitize("failed: password=hunter2, api_key: abc123 db_password = p4ss"),
            "failed: password=<REDACTED>, api_key: <REDACTED> db_password = <REDACTED>"
        );
        assert_eq!(
            sanitize("Authorization: Bearer abc.def next"),
            "Authorization: <REDACTED> next"
        );
        assert_eq!(sanitize("token expired"), "token expired");
    }

    #[test]
    fn cuts_to_500_characters() {
        assert_eq!(sanitize(&"é".repeat(600)).chars().count(), 500);
    }

    #[test]
    fn redacts_known_values() {
        assert_eq!(
            redact_values("x s3cr3t y", &["s3cr3t", ""]),
            "x <REDACTED> y"
        );
    }
}
