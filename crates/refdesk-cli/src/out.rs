//! Output: with `--json` the result DTO's own JSON (serde, the shape of its TypeScript binding),
//! otherwise a human formatter over the same DTO. Writes go through one writer that turns a
//! closed pipe (`refdesk … | head`) into a quiet stop instead of a panic.

use std::io::{ErrorKind, Write};

use referral_api::{ApiError, ApiErrorCode};
use serde::Serialize;

/// The code of a failure of refdesk itself (storage, output, an internal error): the one place
/// the CLI names it.
pub const LOCAL_FAILURE: ApiErrorCode = ApiErrorCode::LocalFailure;

/// A failure of refdesk itself, as a sentence.
pub fn local_failure(message: impl Into<String>) -> ApiError {
    ApiError::new(LOCAL_FAILURE, message)
}

/// Why a command stopped before finishing normally.
#[derive(Debug)]
pub enum Stop {
    /// The command failed: its message goes to stderr, its code picks the exit code.
    Api(ApiError),
    /// Whoever read stdout went away (a closed pipe): nothing more to say, exit quietly.
    Closed,
}

impl From<ApiError> for Stop {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}

/// Result of a command: the exit code it chose (0 unless the DTO says otherwise).
pub type Done = Result<u8, Stop>;

/// Where results go.
#[derive(Debug, Clone, Copy)]
pub struct Out {
    json: bool,
}

impl Out {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    /// The DTO as pretty JSON (with --json), or `human(dto)` as text.
    pub fn emit<T: Serialize>(
        &self,
        dto: &T,
        human: impl FnOnce(&T) -> String,
    ) -> Result<(), Stop> {
        if self.json {
            self.json_line(dto, true)
        } else {
            let text = human(dto);
            if text.is_empty() {
                return Ok(());
            }
            self.text(&text)
        }
    }

    /// The DTO as JSON on one line (a ready line scripts wait for), or pretty.
    pub fn json_line<T: Serialize>(&self, dto: &T, pretty: bool) -> Result<(), Stop> {
        let text = if pretty {
            serde_json::to_string_pretty(dto)
        } else {
            serde_json::to_string(dto)
        };
        let text = text.map_err(|_| {
            Stop::Api(local_failure(
                "refdesk could not encode its result as JSON.",
            ))
        })?;
        self.text(&text)
    }

    /// A line (or lines) of text on stdout, flushed.
    pub fn text(&self, text: &str) -> Result<(), Stop> {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{text}")
            .and_then(|()| stdout.flush())
            .map_err(write_failed)
    }

    /// Text on stdout exactly as given (no newline added), flushed.
    pub fn raw(&self, text: &str) -> Result<(), Stop> {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(write_failed)
    }

    /// A progress line on stderr (stdout stays parseable). A closed stderr is ignored.
    pub fn progress(&self, line: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }

    /// A failed command: the sentence on stderr; with --json the `ApiError` JSON on stdout too.
    pub fn error(&self, e: &ApiError) {
        if self.json {
            let _ = self.json_line(e, true);
        }
        self.progress(&format!("refdesk: {}", e.message));
    }
}

fn write_failed(e: std::io::Error) -> Stop {
    if e.kind() == ErrorKind::BrokenPipe {
        Stop::Closed
    } else {
        Stop::Api(local_failure(
            "refdesk could not write its output (is the disk full or the terminal gone?).",
        ))
    }
}

/// Renders rows as an aligned text table.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths.get(i).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = vec![line(headers.to_vec())];
    for row in rows {
        out.push(line(row.iter().map(String::as_str).collect()));
    }
    if rows.is_empty() {
        out.push("(none)".to_owned());
    }
    out.join("\n")
}

/// `Some(x)` as text, `None` as "-".
pub fn opt(v: Option<impl ToString>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// An instant as the tables show it (UTC, minutes).
pub fn when(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// A snake_case code as words ("needs_attention" → "needs attention").
pub fn words<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        _ => "-".to_owned(),
    }
}
