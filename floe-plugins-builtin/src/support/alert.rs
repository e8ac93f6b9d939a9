//! What the alert channels share: the severity's name, the event time in floe's
//! (Python's) ISO form, and the outcome of one delivery.

use floe_registry::alert::ViolationSeverity;

#[cfg(feature = "http")]
use crate::http::{HttpError, HttpResponse};

/// The lower-case name of a severity: `info`, `warning`, `error`, `critical`.
pub(crate) fn severity_name(severity: ViolationSeverity) -> &'static str {
    match severity {
        ViolationSeverity::Info => "info",
        ViolationSeverity::Warning => "warning",
        ViolationSeverity::Error => "error",
        ViolationSeverity::Critical => "critical",
    }
}

/// An RFC 3339 time as Python's `datetime.isoformat()` writes it: `T` between date
/// and time, microseconds only when not zero (six digits), and a UTC offset as
/// `+00:00`, never `Z`. Text that is not such a time is returned unchanged.
pub(crate) fn python_isoformat(timestamp: &str) -> String {
    convert(timestamp.trim()).unwrap_or_else(|| timestamp.to_owned())
}

fn convert(ts: &str) -> Option<String> {
    let bytes = ts.as_bytes();
    if bytes.len() < 19 || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let (date, rest) = (&ts[..10], &ts[11..]);
    let (clock, after) = rest.split_at(8);
    let digits_at = |s: &str, at: &[usize]| at.iter().all(|&i| s.as_bytes()[i].is_ascii_digit());
    if !digits_at(date, &[0, 1, 2, 3, 5, 6, 8, 9])
        || &date[4..5] != "-"
        || &date[7..8] != "-"
        || !digits_at(clock, &[0, 1, 3, 4, 6, 7])
        || &clock[2..3] != ":"
        || &clock[5..6] != ":"
    {
        return None;
    }
    let (fraction, offset) = match after.strip_prefix('.') {
        Some(f) => {
            let end = f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len());
            if end == 0 {
                return None;
            }
            (&f[..end], &f[end..])
        }
        None => ("", after),
    };
    let offset = match offset {
        "Z" | "z" => "+00:00".to_owned(),
        "" => String::new(),
        o if o.len() == 6
            && matches!(&o[..1], "+" | "-")
            && digits_at(o, &[1, 2, 4, 5])
            && &o[3..4] == ":" =>
        {
            o.to_owned()
        }
        _ => return None,
    };
    let micros: String = fraction.chars().chain("000000".chars()).take(6).collect();
    let micros = if micros == "000000" {
        String::new()
    } else {
        format!(".{micros}")
    };
    Some(format!("{date}T{clock}{micros}{offset}"))
}

#[cfg(feature = "http")]
/// floe's rule for an HTTP delivery: a status below 400 is delivered, anything else
/// (4xx, 5xx, no answer) is not, and is logged with the destination, never a secret.
pub(crate) fn delivered(
    channel: &str,
    destination: &str,
    result: Result<HttpResponse, HttpError>,
) -> bool {
    match result {
        Ok(response) if response.status < 400 => {
            tracing::debug!(
                alert.channel = channel,
                alert.destination = destination,
                status = response.status,
                alert.delivery_status = "delivered",
                "alert delivered"
            );
            true
        }
        Ok(response) => {
            tracing::warn!(
                alert.channel = channel,
                alert.destination = destination,
                status = response.status,
                alert.delivery_status = "failed",
                "alert refused by the receiver"
            );
            false
        }
        Err(e) => {
            tracing::warn!(
                alert.channel = channel,
                alert.destination = destination,
                alert.delivery_status = "failed",
                error = %e,
                "alert not delivered"
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::python_isoformat;

    #[test]
    fn utc_is_written_as_an_offset() {
        assert_eq!(
            python_isoformat("2026-05-02T10:00:00Z"),
            "2026-05-02T10:00:00+00:00"
        );
    }

    #[test]
    fn fractions_become_microseconds_and_zero_ones_vanish() {
        assert_eq!(
            python_isoformat("2026-05-02T10:00:00.5+02:00"),
            "2026-05-02T10:00:00.500000+02:00"
        );
        assert_eq!(
            python_isoformat("2026-05-02 10:00:00.000Z"),
            "2026-05-02T10:00:00+00:00"
        );
        assert_eq!(
            python_isoformat("2026-05-02T10:00:00.1234567Z"),
            "2026-05-02T10:00:00.123456+00:00"
        );
    }

    #[test]
    fn naive_times_stay_naive_and_other_text_is_kept() {
        assert_eq!(
            python_isoformat("2026-05-02T10:00:00"),
            "2026-05-02T10:00:00"
        );
        assert_eq!(python_isoformat("yesterday"), "yesterday");
    }
}
