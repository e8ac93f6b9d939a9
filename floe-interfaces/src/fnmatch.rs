//! Python's `fnmatch.fnmatch` on POSIX (CPython 3.11), the matcher of floe's alert
//! `contract_filter` and of the secret scanner's exclude globs (each part of a
//! `PurePath.match` pattern): `*` is any text (`/` included), `?` one character, `[...]` a set
//! (`[!...]` its complement, `a-z` a range, a range whose ends are reversed is dropped),
//! and a `[` without its `]` is a plain `[`. The whole name must match, case-sensitively.
//!
//! No crate does exactly this: `glob::Pattern` treats `**`, `[!]` and an unclosed `[`
//! otherwise (the last refuses the pattern), so the few rules are written here.

/// One element of a translated pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// Any text, empty included.
    Star,
    /// Any one character.
    Any,
    /// This character.
    Char(char),
    /// One character in (or, negated, out of) these inclusive ranges.
    Set {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// Nothing (a set that became empty).
    Never,
}

/// An fnmatch pattern read once (CPython's `fnmatch.translate`), to match many names.
///
/// ```
/// use floe_interfaces::fnmatch::Pattern;
/// let python = Pattern::new("*.py");
/// assert!(python.matches("a.py") && python.matches(".py"));
/// assert!(!python.matches("a.pyc"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
}

impl Pattern {
    /// Reads `pattern`; every text is a pattern (a `[` without its `]` is a plain `[`).
    pub fn new(pattern: &str) -> Pattern {
        Pattern {
            tokens: translate(pattern),
        }
    }

    /// Whether the whole of `name` matches, case-sensitively.
    pub fn matches(&self, name: &str) -> bool {
        matches(&self.tokens, &name.chars().collect::<Vec<_>>())
    }
}

/// Whether `name` matches the fnmatch `pattern` as Python's `fnmatch.fnmatch` decides
/// on POSIX.
///
/// ```
/// use floe_interfaces::fnmatch::fnmatch;
/// assert!(fnmatch("orders_eu", "orders_*"));
/// assert!(fnmatch("team/orders", "*orders"));
/// assert!(fnmatch("orders[", "orders["));
/// assert!(fnmatch("orders_b", "orders_[!a]"));
/// assert!(!fnmatch("Orders", "orders"));
/// ```
pub fn fnmatch(name: &str, pattern: &str) -> bool {
    Pattern::new(pattern).matches(name)
}

fn translate(pattern: &str) -> Vec<Token> {
    let pat: Vec<char> = pattern.chars().collect();
    let n = pat.len();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < n {
        let c = pat[i];
        i += 1;
        match c {
            '*' => {
                if tokens.last() != Some(&Token::Star) {
                    tokens.push(Token::Star);
                }
            }
            '?' => tokens.push(Token::Any),
            '[' => {
                let mut j = i;
                if j < n && pat[j] == '!' {
                    j += 1;
                }
                if j < n && pat[j] == ']' {
                    j += 1;
                }
                while j < n && pat[j] != ']' {
                    j += 1;
                }
                if j >= n {
                    tokens.push(Token::Char('['));
                } else {
                    tokens.push(set(&pat[i..j]));
                    i = j + 1;
                }
            }
            c => tokens.push(Token::Char(c)),
        }
    }
    tokens
}

/// The set written between `[` and `]` (`stuff`, never empty), as CPython 3.11 reads it.
fn set(stuff: &[char]) -> Token {
    // Split at the hyphens that make ranges: a hyphen first (after `!`) is literal, and
    // the search for the next one resumes two characters after a range's hyphen.
    let negated_start = stuff.first() == Some(&'!');
    let mut chunks: Vec<Vec<char>> = Vec::new();
    if stuff.contains(&'-') {
        let mut start = 0;
        let mut k = if negated_start { 2 } else { 1 };
        while let Some(hyphen) = (k..stuff.len()).find(|&p| stuff[p] == '-') {
            chunks.push(stuff[start..hyphen].to_vec());
            start = hyphen + 1;
            k = hyphen + 3;
        }
        let last = stuff[start.min(stuff.len())..].to_vec();
        if last.is_empty() {
            if let Some(prev) = chunks.last_mut() {
                prev.push('-');
            }
        } else {
            chunks.push(last);
        }
        // A range whose start is above its end is dropped, with both its ends.
        for k in (1..chunks.len()).rev() {
            let (Some(&end), Some(&begin)) = (chunks[k - 1].last(), chunks[k].first()) else {
                continue;
            };
            if end > begin {
                let tail: Vec<char> = chunks[k][1..].to_vec();
                chunks[k - 1].pop();
                chunks[k - 1].extend(tail);
                chunks.remove(k);
            }
        }
    } else {
        chunks.push(stuff.to_vec());
    }
    // The chunks' characters are literal; between two chunks, the last character of
    // the one and the first of the next are the ends of a range.
    let mut items: Vec<(char, bool)> = Vec::new(); // (char, a range ends here)
    for (index, chunk) in chunks.iter().enumerate() {
        for (pos, &c) in chunk.iter().enumerate() {
            items.push((c, index > 0 && pos == 0));
        }
    }
    let negated = items
        .first()
        .is_some_and(|(c, range_end)| *c == '!' && !range_end);
    if items.is_empty() {
        return Token::Never;
    }
    if negated && items.len() == 1 {
        return Token::Any;
    }
    let body = if negated { &items[1..] } else { &items[..] };
    let mut ranges = Vec::new();
    let mut idx = 0;
    while idx < body.len() {
        let (c, _) = body[idx];
        match body.get(idx + 1) {
            Some(&(end, true)) => {
                ranges.push((c, end));
                idx += 2;
            }
            _ => {
                ranges.push((c, c));
                idx += 1;
            }
        }
    }
    Token::Set { negated, ranges }
}

/// Whether `tokens` match all of `name`: each token but `*` takes one character, so
/// backtracking to the last `*` decides.
fn matches(tokens: &[Token], name: &[char]) -> bool {
    let one = |token: &Token, c: char| match token {
        Token::Any => true,
        Token::Char(expected) => *expected == c,
        Token::Set { negated, ranges } => {
            ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
        }
        Token::Never | Token::Star => false,
    };
    let (mut t, mut s) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while s < name.len() {
        match tokens.get(t) {
            Some(Token::Star) => {
                star = Some((t, s));
                t += 1;
            }
            Some(token) if one(token, name[s]) => {
                t += 1;
                s += 1;
            }
            _ => match star {
                Some((star_t, star_s)) => {
                    t = star_t + 1;
                    s = star_s + 1;
                    star = Some((star_t, star_s + 1));
                }
                None => return false,
            },
        }
    }
    tokens[t..].iter().all(|token| *token == Token::Star)
}

#[cfg(test)]
mod tests {
    use super::fnmatch;

    #[test]
    fn sets_ranges_and_literals_as_cpython() {
        assert!(fnmatch("]]", "[]]]"));
        assert!(!fnmatch("a]", "[]]]"));
        assert!(fnmatch("]", "[]]"));
        assert!(fnmatch("x", "[!]]"));
        assert!(fnmatch("-", "[a-]"));
        assert!(fnmatch("-", "[-a]"));
        assert!(!fnmatch("b", "[z-a]"));
        assert!(fnmatch("b", "[!z-a]"));
        assert!(fnmatch("c", "[a-c-e]"));
        assert!(fnmatch("-", "[a-c-e]"));
        assert!(!fnmatch("d", "[a-c-e]"));
        assert!(fnmatch("^", "[^]"));
        assert!(fnmatch("\\", "[\\]"));
        assert!(fnmatch("a\nb", "a?b"));
        assert!(fnmatch("[!", "[!"));
        assert!(fnmatch("", "*"));
        assert!(!fnmatch("", "?"));
    }
}
