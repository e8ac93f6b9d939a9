//! Reading the few values the AWS XML answers (S3 listings and errors, STS) are read
//! for: the text of named elements. Not a general XML parser: the answers are flat,
//! their values never hold markup, and entities are decoded.

/// The text of every `<tag>...</tag>` element, XML entities decoded.
pub(crate) fn xml_values(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else {
            break;
        };
        out.push(unescape(&after[..end]));
        rest = &after[end + close.len()..];
    }
    out
}

/// The first `<tag>` value, if any.
#[cfg(any(feature = "aws-s3", feature = "glue", test))]
pub(crate) fn xml_value(xml: &str, tag: &str) -> Option<String> {
    xml_values(xml, tag).into_iter().next()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#13;", "\r")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_values_are_found_and_unescaped() {
        let xml =
            "<R><Contents><Key>a&amp;b.txt</Key></Contents><Contents><Key>c</Key></Contents></R>";
        assert_eq!(xml_values(xml, "Key"), ["a&b.txt", "c"]);
        assert_eq!(xml_value(xml, "Key").as_deref(), Some("a&b.txt"));
        assert!(xml_values(xml, "Code").is_empty());
    }
}
