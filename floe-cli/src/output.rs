//! How output looks: colour (only on a terminal, never with `NO_COLOR`), aligned
//! tables and JSON.

use std::io::Write;

use anstream::{AutoStream, ColorChoice};
use anstyle::AnsiColor;

/// Whether anstream would colour this stream: a terminal that supports colour, with
/// `NO_COLOR` unset or empty (<https://no-color.org>), or `CLICOLOR_FORCE` set.
fn colour_wanted<S: anstream::stream::RawStream>(stream: &S) -> bool {
    AutoStream::choice(stream) != ColorChoice::Never
}

/// Colours for one output stream.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    colour: bool,
}

impl Style {
    /// The style for standard output.
    pub fn stdout() -> Self {
        Style {
            colour: colour_wanted(&std::io::stdout()),
        }
    }

    /// The style for standard error.
    pub fn stderr() -> Self {
        Style {
            colour: colour_wanted(&std::io::stderr()),
        }
    }

    /// No colour at all (for tests).
    #[cfg(test)]
    pub fn plain() -> Self {
        Style { colour: false }
    }

    fn paint(self, style: anstyle::Style, text: &str) -> String {
        if self.colour {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    /// Bold text.
    pub fn bold(self, text: &str) -> String {
        self.paint(anstyle::Style::new().bold(), text)
    }

    /// Dimmed text.
    pub fn dim(self, text: &str) -> String {
        self.paint(anstyle::Style::new().dimmed(), text)
    }

    /// Red text: errors, unhealthy.
    pub fn red(self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), text)
    }

    /// Yellow text: warnings, degraded.
    pub fn yellow(self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }

    /// Green text: success, healthy.
    pub fn green(self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }
}

/// Prints a diagnostic to standard error: `floe: error: ...`.
pub fn error(message: &str) {
    let style = Style::stderr();
    print_err(&format!(
        "floe: {} {message}\n",
        style.red(&style.bold("error:"))
    ));
}

/// Prints a warning to standard error: `floe: warning: ...`.
pub fn warning(message: &str) {
    let style = Style::stderr();
    print_err(&format!(
        "floe: {} {message}\n",
        style.yellow(&style.bold("warning:"))
    ));
}

/// Prints a progress line to standard error (`Building ...`), as cargo does.
pub fn status(message: &str) {
    print_err(&format!("{message}\n"));
}

/// Prints a value as pretty JSON on standard output.
pub fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => print(&format!("{text}\n")),
        Err(e) => error(&format!("cannot write JSON: {e}")),
    }
}

/// Writes text to standard output, ignoring a closed pipe (`floe ... | head`).
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes text to standard error, ignoring a closed stream.
fn print_err(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// The display width of a cell: characters, not bytes. Colour codes are added after
/// measuring, so they never count.
fn width(s: &str) -> usize {
    s.chars().count()
}

/// A table of plain-text cells, printed with aligned columns. A cell may be coloured
/// when printed through [`Table::render`]'s `paint` callback.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are empty.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, two spaces between columns, the last column unpadded.
    /// `paint(column, text)` may colour a body cell after it is padded.
    pub fn render(&self, style: Style, paint: impl Fn(usize, &str) -> String) -> String {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(width(cell));
            }
        }
        let line = |cells: &[String], body: bool| {
            let mut out = String::new();
            for (i, column_width) in widths.iter().enumerate() {
                let cell = cells.get(i).map(String::as_str).unwrap_or("");
                let padded = if i + 1 == columns {
                    cell.to_owned()
                } else {
                    format!("{cell}{}  ", " ".repeat(column_width - width(cell)))
                };
                if body {
                    out.push_str(&paint(i, &padded));
                } else {
                    out.push_str(&style.bold(&padded));
                }
            }
            out.trim_end().to_owned()
        };
        let mut out = line(&self.header, false);
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row, true));
            out.push('\n');
        }
        out
    }
}

/// Collapses runs of whitespace (newlines included) to single spaces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_by_characters() {
        let mut t = Table::new(&["A", "B", "C"]);
        t.row(vec!["é".into(), "xx".into(), "last".into()]);
        t.row(vec!["long".into(), "y".into(), String::new()]);
        let text = t.render(Style { colour: false }, |_, s| s.to_owned());
        assert_eq!(text, "A     B   C\né     xx  last\nlong  y\n");
    }

    #[test]
    fn no_colour_without_a_terminal() {
        assert!(!colour_wanted(&Vec::<u8>::new()), "a buffer is no terminal");
        let plain = Style { colour: false };
        assert_eq!(plain.red("x"), "x");
        let coloured = Style { colour: true };
        assert_eq!(coloured.red("x"), "\x1b[31mx\x1b[0m");
    }
}
