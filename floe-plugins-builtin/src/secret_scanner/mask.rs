//! Masking secrets in a line so a finding never shows one in full.

/// What replaces a secret (after its first four characters when it is long).
pub const MASK: &str = "********";

/// Secrets at least this long keep their first four characters, enough to recognise
/// which key it was (`AKIA`, `ghp_`) and far too little to use it.
const KEEP_FROM: usize = 16;

/// `line` with each byte span replaced by its mask; overlapping spans are merged.
pub(super) fn mask_spans(line: &str, mut spans: Vec<(usize, usize)>) -> String {
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for (start, end) in merged {
        out.push_str(&line[at..start]);
        out.push_str(&mask(&line[start..end]));
        at = end;
    }
    out.push_str(&line[at..]);
    out
}

/// One secret masked: its first four characters when it is long, then [`MASK`].
fn mask(secret: &str) -> String {
    if secret.chars().count() >= KEEP_FROM {
        let kept: String = secret.chars().take(4).collect();
        format!("{kept}{MASK}")
    } else {
        MASK.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_secrets_keep_four_characters_and_short_ones_none() {
        assert_eq!(mask("AKIAABCDEFGHIJKLMNOP"), "AKIA********");
        assert_eq!(mask("hunter2"), "********");
    }

    #[test]
    fn overlapping_spans_are_masked_once() {
        let line = "a=0123456789abcdefXYZ";
        assert_eq!(mask_spans(line, vec![(2, 18), (5, 21)]), "a=0123********");
    }
}
