//! "Did you mean" suggestions, shared by every not-found error.

/// The candidates closest to `input`, best first: those within a small edit distance
/// (or equal ignoring case), at most three.
///
/// ```
/// use floe_registry_rules::closest;
///
/// assert_eq!(closest("duckbd", ["duckdb", "dagster", "s3"]), vec!["duckdb"]);
/// assert!(closest("zzz", ["duckdb"]).is_empty());
/// ```
pub fn closest<'a, I>(input: &str, candidates: I) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = input.to_lowercase();
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = strsim::damerau_levenshtein(&lower, &c.to_lowercase());
            let limit = (input.chars().count().max(3) / 3).max(1);
            let close = d <= limit
                || (lower.len() >= 3 && c.to_lowercase().starts_with(&lower))
                || c.eq_ignore_ascii_case(input);
            close.then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_case_slips_and_prefixes() {
        assert_eq!(closest("Compte", ["Compute", "Catalog"]), vec!["Compute"]);
        assert_eq!(closest("DUCKDB", ["duckdb"]), vec!["duckdb"]);
        assert_eq!(closest("dag", ["dagster", "dbt"]), vec!["dagster"]);
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert!(closest("polaris", ["duckdb", "s3"]).is_empty());
    }
}
