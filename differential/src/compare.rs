//! Comparing both sides' outputs, family by family, against the table of deliberate
//! differences (`docs/deliberate-differences.md`, the one place that lists them).
//!
//! A test feeds every case to a [`Family`] with the id of the deliberate difference
//! that applies to the case, if any, and calls [`Family::finish`] at the end, which
//! fails with every unlisted difference (input and both outputs), every id that is not
//! in the table, and every row of the family's table that no case exercised (a stale
//! row hides nothing, so it goes).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;

/// The table of deliberate differences: `| family | id | ours | floe | why |` rows.
pub const TABLE: &str = include_str!("../../docs/deliberate-differences.md");

/// The ids listed in [`TABLE`] for `family` (the second column, backticks removed).
///
/// ```
/// let ids = floe_differential::compare::listed("quality");
/// assert!(ids.iter().all(|id| !id.contains('`')));
/// ```
pub fn listed(family: &str) -> BTreeSet<String> {
    TABLE
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim().strip_prefix('|')?.split('|').collect();
            let (row_family, id) = (cells.first()?.trim(), cells.get(1)?.trim());
            (row_family == family).then(|| id.trim_matches('`').to_owned())
        })
        .collect()
}

/// One case whose outputs differ without a listed reason.
#[derive(Debug)]
struct Difference {
    label: String,
    input: Value,
    ours: Value,
    theirs: Value,
}

/// The cases of one family (quality, alerts, rbac, network, secret_scan, configs...).
#[derive(Debug)]
pub struct Family {
    name: &'static str,
    listed: BTreeSet<String>,
    compared: usize,
    equal: usize,
    seen: BTreeSet<&'static str>,
    unknown: BTreeSet<&'static str>,
    differences: Vec<Difference>,
}

impl Family {
    /// A family named as in the table's first column.
    pub fn new(name: &'static str) -> Family {
        Family {
            name,
            listed: listed(name),
            compared: 0,
            equal: 0,
            seen: BTreeSet::new(),
            unknown: BTreeSet::new(),
            differences: Vec::new(),
        }
    }

    /// Compares one case. `deliberate` is the id of the listed difference that applies
    /// to this input, if one does: outputs that differ are then accepted (and the row
    /// counts as exercised); equal outputs are always accepted.
    pub fn compare(
        &mut self,
        label: impl Into<String>,
        input: &Value,
        ours: &Value,
        theirs: &Value,
        deliberate: Option<&'static str>,
    ) {
        self.compared += 1;
        if ours == theirs {
            self.equal += 1;
            return;
        }
        match deliberate {
            Some(id) if self.listed.contains(id) => {
                self.seen.insert(id);
            }
            Some(id) => {
                self.unknown.insert(id);
            }
            None => self.differences.push(Difference {
                label: label.into(),
                input: input.clone(),
                ours: ours.clone(),
                theirs: theirs.clone(),
            }),
        }
    }

    /// Number of cases compared so far.
    pub fn compared(&self) -> usize {
        self.compared
    }

    /// Fails (panics, as a test failure) with a report when a difference is not listed,
    /// an id is not in the table, a listed row of this family was never exercised, or
    /// fewer than `at_least` cases were compared. Prints a one-line summary otherwise.
    pub fn finish(self, at_least: usize) {
        let mut report = String::new();
        if self.compared < at_least {
            let _ = writeln!(
                report,
                "only {} cases compared, at least {at_least} wanted",
                self.compared
            );
        }
        for id in &self.unknown {
            let _ = writeln!(
                report,
                "deliberate difference `{id}` is not in docs/deliberate-differences.md (family {})",
                self.name
            );
        }
        for id in self
            .listed
            .iter()
            .filter(|id| !self.seen.contains(id.as_str()))
        {
            let _ = writeln!(
                report,
                "row `{id}` of family {} in docs/deliberate-differences.md was never exercised: \
                 add a case that shows it, or remove the row",
                self.name
            );
        }
        for d in &self.differences {
            let _ = writeln!(
                report,
                "\n--- {}: {}\ninput:  {}\nours:   {}\nfloe:   {}",
                self.name,
                d.label,
                compact(&d.input),
                compact(&d.ours),
                compact(&d.theirs)
            );
        }
        assert!(
            report.is_empty(),
            "{} of {} {} cases differ from floe 0.1.0a1 without a listed reason:\n{report}",
            self.differences.len(),
            self.compared,
            self.name
        );
        println!(
            "{}: {} cases, {} equal, {} deliberate differences exercised",
            self.name,
            self.compared,
            self.equal,
            self.seen.len()
        );
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("<unprintable: {e}>"))
}
