//! The five-field cron grammar of schedules, and IANA time zone names.
//!
//! `minute hour day-of-month month day-of-week`; each field is a comma list of items,
//! an item is `*`, a value or a range `a-b`, optionally with a step `/n`. Months take
//! `JAN`..`DEC` and weekdays `SUN`..`SAT` (0 = Sunday, 6 = Saturday), case-insensitive.

use floe_registry::PluginError;

/// The hint every cron error carries.
const FORMAT_HINT: &str = "Expected format: 'minute hour day month weekday' (e.g., '0 8 * * *')";

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// One field of the grammar: its name, bounds and names (the first name is `low`).
struct Field {
    name: &'static str,
    low: u32,
    high: u32,
    names: &'static [&'static str],
}

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        low: 0,
        high: 59,
        names: &[],
    },
    Field {
        name: "hour",
        low: 0,
        high: 23,
        names: &[],
    },
    Field {
        name: "day-of-month",
        low: 1,
        high: 31,
        names: &[],
    },
    Field {
        name: "month",
        low: 1,
        high: 12,
        names: &MONTHS,
    },
    Field {
        name: "day-of-week",
        low: 0,
        high: 6,
        names: &WEEKDAYS,
    },
];

/// Checks a cron expression. The error starts with the reference text and says which
/// field is wrong and why.
///
/// ```
/// use floe_plugins_builtin::dagster::validate_cron;
/// assert!(validate_cron("*/15 8-18 * JAN-MAR mon,wed,fri").is_ok());
/// assert!(validate_cron("0 24 * * *").unwrap_err().to_string().contains("hour"));
/// ```
pub fn validate_cron(expr: &str) -> Result<(), PluginError> {
    if expr.trim().is_empty() {
        return Err(PluginError::failed(format!(
            "Invalid cron expression: empty string. {FORMAT_HINT}"
        )));
    }
    let invalid = |reason: String| {
        PluginError::failed(format!(
            "Invalid cron expression: '{expr}'. {FORMAT_HINT}. Each field supports: numbers, *, */N, N-M, N,M ({reason})"
        ))
    };
    let parts: Vec<&str> = expr.split_whitespace().collect();
    if parts.len() != FIELDS.len() {
        return Err(invalid(format!("{} fields given, 5 needed", parts.len())));
    }
    for (text, field) in parts.iter().zip(FIELDS.iter()) {
        check_field(text, field)
            .map_err(|why| invalid(format!("{} field '{text}': {why}", field.name)))?;
    }
    Ok(())
}

fn check_field(text: &str, field: &Field) -> Result<(), String> {
    for item in text.split(',') {
        if item.is_empty() {
            return Err("empty list item".into());
        }
        let (base, step) = match item.split_once('/') {
            Some((base, step)) => (base, Some(step)),
            None => (item, None),
        };
        if let Some(step) = step {
            let n = number(step).ok_or_else(|| format!("step '{step}' is not a number"))?;
            if n == 0 || n > field.high.max(1) {
                return Err(format!("step {n} is outside 1-{}", field.high.max(1)));
            }
        }
        if base == "*" {
            continue;
        }
        match base.split_once('-') {
            Some((a, b)) => {
                let a = value(a, field)?;
                let b = value(b, field)?;
                if a > b {
                    return Err(format!("range {a}-{b} runs backwards"));
                }
            }
            None => {
                value(base, field)?;
            }
        }
    }
    Ok(())
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn value(text: &str, field: &Field) -> Result<u32, String> {
    if let Some(n) = number(text) {
        return if (field.low..=field.high).contains(&n) {
            Ok(n)
        } else {
            Err(format!("{n} is outside {}-{}", field.low, field.high))
        };
    }
    let lower = text.to_ascii_lowercase();
    match field.names.iter().position(|n| *n == lower) {
        Some(i) => Ok(field.low + i as u32),
        None if field.names.is_empty() => Err(format!("'{text}' is not a number")),
        None => Err(format!(
            "'{text}' is neither a number nor one of {}",
            field.names.join(", ").to_ascii_uppercase()
        )),
    }
}

/// Checks an IANA time zone name against the bundled time zone database.
pub fn validate_timezone(name: &str) -> Result<(), PluginError> {
    if name.trim().is_empty() {
        return Err(PluginError::failed(
            "Invalid timezone: empty string. Expected IANA timezone (e.g., 'UTC', 'America/New_York', 'Europe/London')",
        ));
    }
    jiff::tz::TimeZone::get(name).map(drop).map_err(|_| {
        PluginError::failed(format!(
            "Invalid timezone: '{name}'. Expected valid IANA timezone. Examples: 'UTC', 'America/New_York', 'Europe/London', 'Asia/Tokyo'"
        ))
    })
}
