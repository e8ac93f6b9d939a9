//! Reading one scalar out of a YAML file (`dbt_project.yml`, `profiles.yml`) with the
//! workspace's YAML parser. A file that does not parse, like a missing key, yields
//! `None` (dbt's own reading then falls back to its defaults, as the reference does).

use serde_json::Value;

/// The scalar at `path` (a key per nesting level), as text, or `None`.
pub(crate) fn scalar(text: &str, path: &[&str]) -> Option<String> {
    let doc: Value = serde_saphyr::from_str(text).ok()?;
    let mut node = &doc;
    for key in path {
        node = node.get(key)?;
    }
    match node {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
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
