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
    let lower_chars = lower.chars().count();
    let limit = (input.chars().count().max(3) / 3).max(1);
    // The input's character set, found once for all candidates.
    let bounds = Bounds::of(&lower);
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter_map(|c| {
            // `input` plus a suffix: the distance is the suffix's length.
            if lower.len() >= 3
                && let Some(chars) = chars_if_prefixed(c, &lower)
            {
                return Some((chars - lower_chars, c));
            }
            // Most candidates are far: a cheap lower bound rules them out before the
            // quadratic distance (equal ignoring case means a bound of 0).
            if bounds.surely_farther(c, limit) {
                return None;
            }
            let d = strsim::damerau_levenshtein(&lower, &c.to_lowercase());
            (d <= limit || c.eq_ignore_ascii_case(input)).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// When `candidate` in lower case starts with `lower`, its length in characters.
fn chars_if_prefixed(candidate: &str, lower: &str) -> Option<usize> {
    // Most candidates differ at once: an ASCII first character stays one byte in
    // lower case, so it must be `lower`'s first byte.
    if let (Some(&first), Some(&wanted)) = (candidate.as_bytes().first(), lower.as_bytes().first())
        && first.is_ascii()
        && first.to_ascii_lowercase() != wanted
    {
        return None;
    }
    if candidate.is_ascii() {
        let head = candidate.as_bytes().get(..lower.len())?;
        return head
            .eq_ignore_ascii_case(lower.as_bytes())
            .then_some(candidate.len());
    }
    let candidate = candidate.to_lowercase();
    candidate
        .starts_with(lower)
        .then(|| candidate.chars().count())
}

/// Lower bounds of the Damerau-Levenshtein distance between a lower-case input and
/// a candidate in lower case, cheapest first: the difference of their lengths, then
/// what one side has that the other lacks, whichever side has more: distinct
/// characters, then characters with repetition. An insertion, deletion or
/// substitution changes the length by at most one and each side by at most one
/// character, a transposition neither. No bound unless both are ASCII.
struct Bounds<'a> {
    /// The input, in lower case.
    lower: &'a str,
    /// Its characters folded onto 64 bits (a shared bit only weakens the bound);
    /// `None` when it is not ASCII.
    set: Option<u64>,
}

impl<'a> Bounds<'a> {
    fn of(lower: &'a str) -> Self {
        Bounds {
            lower,
            set: lower.is_ascii().then(|| folded(lower)),
        }
    }

    /// Whether either bound puts `candidate` farther than `limit`.
    fn surely_farther(&self, candidate: &str, limit: usize) -> bool {
        let Some(set) = self.set else {
            return false;
        };
        if !candidate.is_ascii() {
            return false;
        }
        // Both ASCII: a length in bytes is one in characters.
        if candidate.len().abs_diff(self.lower.len()) > limit {
            return true;
        }
        let other = folded(candidate);
        let distinct = (set & !other).count_ones().max((other & !set).count_ones());
        if distinct as usize > limit {
            return true;
        }
        // Counts fit a byte below 256 characters.
        if self.lower.len() > 255 {
            return false;
        }
        let mut counts = [0u8; 128];
        for byte in self.lower.bytes() {
            counts[usize::from(byte & 127)] += 1;
        }
        let mut shared = 0;
        for byte in candidate.bytes() {
            let slot = &mut counts[usize::from(byte.to_ascii_lowercase() & 127)];
            if *slot > 0 {
                *slot -= 1;
                shared += 1;
            }
        }
        (self.lower.len() - shared).max(candidate.len() - shared) > limit
    }
}

/// The characters of an ASCII `s` in lower case, folded onto 64 bits.
fn folded(s: &str) -> u64 {
    let mut set = 0u64;
    for byte in s.bytes() {
        set |= 1 << (byte.to_ascii_lowercase() & 63);
    }
    set
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
    fn the_bounds_never_exceed_the_distance() {
        let words = [
            "colour",
            "color",
            "threads",
            "thraeds",
            "path",
            "ca",
            "abc",
            "duckdb",
            "dbt",
            "",
            "memory_limit",
            "memroy_limit",
            "aab",
            "bba",
        ];
        for a in words {
            for b in words {
                let d = strsim::damerau_levenshtein(a, b);
                assert!(
                    !Bounds::of(a).surely_farther(b, d),
                    "the bounds of {a:?} and {b:?} are at most their distance {d}"
                );
            }
        }
    }

    #[test]
    fn prefixes_are_found_through_case_and_unicode_lower_case() {
        // U+212A KELVIN SIGN is one non-ASCII character whose lower case is `k`.
        assert_eq!(
            closest("kel", ["Kelvin", "\u{212A}elvin", "dagster", "lek"]),
            vec!["Kelvin", "\u{212A}elvin"]
        );
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert!(closest("polaris", ["duckdb", "s3"]).is_empty());
    }
}
