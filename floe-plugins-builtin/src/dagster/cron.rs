//! The five-field cron grammar of schedules, and IANA time zone names.
//!
//! `minute hour day-of-month month day-of-week`; each field is a comma list of items,
//! an item is `*`, a value or a range `a-b`, optionally with a step `/n`. Months take
//! `JAN`..`DEC` and weekdays `SUN`..`SAT` (0 = Sunday, 6 = Saturday), case-insensitive.
//!
//! croner parses and range-checks each field; this module keeps croner to the grammar
//! Dagster takes (five fields, no seconds or years, none of croner's `L`, `W`, `#`, `?`
//! or `@` nicknames, weekdays 0 to 6) and names the field that is wrong.

use croner::parser::{CronParser, Seconds, Year};
use floe_registry::PluginError;

/// The hint every cron error carries.
const FORMAT_HINT: &str = "Expected format: 'minute hour day month weekday' (e.g., '0 8 * * *')";

/// The fields in order.
const FIELDS: [&str; 5] = ["minute", "hour", "day-of-month", "month", "day-of-week"];

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

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
    for (index, text) in parts.iter().enumerate() {
        check_field(index, text)
            .map_err(|why| invalid(format!("{} field '{text}': {why}", FIELDS[index])))?;
    }
    Ok(())
}

/// Checks field `index` alone: first what Dagster refuses and croner would take, then
/// croner's parse of the field with every other field `*`.
fn check_field(index: usize, text: &str) -> Result<(), String> {
    let names: &[&str] = match index {
        3 => &MONTHS,
        4 => &WEEKDAYS,
        _ => &[],
    };
    for word in text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
    {
        if !names.contains(&word.to_ascii_uppercase().as_str()) {
            return Err(if names.is_empty() {
                format!("'{word}' is not a number")
            } else {
                format!(
                    "'{word}' is neither a number nor one of {}",
                    names.join(", ")
                )
            });
        }
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '*' | ',' | '-' | '/')))
    {
        return Err(format!(
            "'{c}' is not supported; use numbers, names, *, ranges a-b, lists a,b and steps /n"
        ));
    }
    if text.split(',').any(str::is_empty) {
        return Err("empty list item".into());
    }
    if index == 4 {
        weekdays_in_range(text)?;
    }
    let mut pattern = ["*"; 5];
    pattern[index] = text;
    parser()
        .parse(&pattern.join(" "))
        .map(drop)
        .map_err(|e| e.to_string())
}

/// croner takes 7 for Sunday too; Dagster's weekdays are 0 (Sunday) to 6 (Saturday).
fn weekdays_in_range(text: &str) -> Result<(), String> {
    for item in text.split(',') {
        let values = item.split_once('/').map_or(item, |(values, _step)| values);
        for value in values.split('-') {
            if let Ok(n) = value.parse::<u32>()
                && n > 6
            {
                return Err(format!("{n} is outside 0-6 (0 = Sunday, 6 = Saturday)"));
            }
        }
    }
    Ok(())
}

/// croner restricted to five fields; `30/10` (a start with a step, no range) is allowed,
/// as Dagster's croniter allows it.
fn parser() -> CronParser {
    CronParser::builder()
        .seconds(Seconds::Disallowed)
        .year(Year::Disallowed)
        .sloppy_ranges(true)
        .build()
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
