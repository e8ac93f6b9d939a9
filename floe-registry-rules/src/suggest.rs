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
    // What the bounds need of `input`, read once for all candidates.
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
/// a candidate in lower case, cheapest first. Both count what one side has that the
/// other lacks, whichever side has more: distinct characters, then characters with
/// repetition. An insertion, deletion or substitution changes each side by at most
/// one character, a transposition by none. No bound unless both are ASCII.
struct Bounds {
    /// The input's length in bytes (ASCII: in characters).
    len: usize,
    /// The input's characters folded onto 64 bits (a shared bit only weakens the
    /// bound); `None` when the input is not ASCII.
    set: Option<u64>,
    /// How often each character occurs in the input; `None` when the input is not
    /// ASCII or has 256 characters or more (a count must fit a byte).
    counts: Option<[u8; 128]>,
}

impl Bounds {
    fn of(lower: &str) -> Self {
        let ascii = lower.is_ascii();
        let counts = (ascii && lower.len() <= 255).then(|| {
            let mut counts = [0u8; 128];
            for byte in lower.bytes() {
                counts[usize::from(byte & 127)] += 1;
            }
            counts
        });
        Bounds {
            len: lower.len(),
            set: ascii.then(|| folded(lower)),
            counts,
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
        let other = folded(candidate);
        let distinct = (set & !other).count_ones().max((other & !set).count_ones());
        if distinct as usize > limit {
            return true;
        }
        let Some(mut counts) = self.counts else {
            return false;
        };
        let mut shared = 0;
        for byte in candidate.bytes() {
            let slot = &mut counts[usize::from(byte.to_ascii_lowercase() & 127)];
            if *slot > 0 {
                *slot -= 1;
                shared += 1;
            }
        }
        (self.len - shared).max(candidate.len() - shared) > limit
    }
}

/// The characters of an ASCII `s`, in lower case, folded onto 64 bits.
fn folded(s: &str) -> u64 {
    s.bytes()
        .fold(0u64, |set, b| set | 1 << (b.to_ascii_lowercase() & 63))
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
    fn stays_quiet_when_nothing_is_close() {
        assert!(closest("polaris", ["duckdb", "s3"]).is_empty());
    }
}
