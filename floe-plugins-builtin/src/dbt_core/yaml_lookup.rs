//! Reading one scalar out of a block-style YAML file (`dbt_project.yml`,
//! `profiles.yml`) without a YAML dependency: mappings by indentation, quoted or
//! plain keys and values, comments. Anything fancier yields `None`.

/// The scalar at `path` (a key per nesting level), unquoted, or `None`.
pub(crate) fn scalar(text: &str, path: &[&str]) -> Option<String> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    for raw in text.lines() {
        let line = strip_comment(raw);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with("---") || trimmed.starts_with('-') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let Some((key, value)) = split_key(trimmed) else {
            continue;
        };
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        stack.push((indent, key));
        let at_path =
            stack.len() == path.len() && stack.iter().zip(path).all(|((_, k), want)| k == want);
        if at_path && !value.is_empty() {
            return Some(unquote(value));
        }
    }
    None
}

fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return &line[..i],
            None => {}
        }
        previous = c;
    }
    line
}

fn split_key(line: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(q) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = line[1..].find(q)? + 1;
        let rest = line[end + 1..].trim_start().strip_prefix(':')?;
        (line[1..end].to_owned(), rest)
    } else {
        let colon = line
            .find(": ")
            .or_else(|| line.strip_suffix(':').map(str::len))?;
        (line[..colon].trim_end().to_owned(), &line[colon + 1..])
    };
    Some((key, rest.trim()))
}

fn unquote(value: &str) -> String {
    let v = value.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_owned();
        }
    }
    v.to_owned()
}

#[cfg(test)]
mod tests {
    use super::scalar;

    const PROFILES: &str = r#"
# profiles
analytics:
  target: dev
  outputs:
    dev:
      type: duckdb   # local
      path: ":memory:"
    prod:
      type: 'snowflake'
"other":
  outputs:
    dev:
      type: postgres
"#;

    #[test]
    fn finds_nested_scalars() {
        assert_eq!(
            scalar(PROFILES, &["analytics", "outputs", "dev", "type"]).as_deref(),
            Some("duckdb")
        );
        assert_eq!(
            scalar(PROFILES, &["analytics", "outputs", "prod", "type"]).as_deref(),
            Some("snowflake")
        );
        assert_eq!(
            scalar(PROFILES, &["other", "outputs", "dev", "type"]).as_deref(),
            Some("postgres")
        );
        assert_eq!(
            scalar(PROFILES, &["analytics", "outputs", "qa", "type"]),
            None
        );
        assert_eq!(
            scalar("name: x\nprofile: 'jaffle'\n", &["profile"]).as_deref(),
            Some("jaffle")
        );
    }
}
