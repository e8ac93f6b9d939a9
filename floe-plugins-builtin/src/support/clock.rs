//! Wall-clock timestamps for health details. Shared by the dlt and cube plugins.

/// The current UTC time as RFC 3339 with microseconds: `2024-05-01T12:30:00.123456Z`.
pub(crate) fn utc_now_rfc3339() -> String {
    format_utc(jiff::Timestamp::now())
}

/// An instant as RFC 3339 UTC with exactly six fractional digits.
fn format_utc(at: jiff::Timestamp) -> String {
    format!("{at:.6}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::format_utc;
    use jiff::Timestamp;

    #[test]
    fn formats_known_instants_with_microseconds() {
        let at = |secs, nanos| Timestamp::new(secs, nanos).unwrap();
        assert_eq!(format_utc(at(0, 0)), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            format_utc(at(951_782_400, 5_000)),
            "2000-02-29T00:00:00.000005Z"
        );
        assert_eq!(
            format_utc(at(1_714_566_600, 123_456_789)),
            "2024-05-01T12:30:00.123456Z"
        );
    }
}
