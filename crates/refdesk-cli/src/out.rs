//! Output: human-readable tables by default, one JSON document with `--json`; errors as one
//! clear sentence on stderr (and as JSON `{code, message}` with `--json`).
#![allow(clippy::print_stdout, reason = "printing is what a CLI is for")]

use referral_core::describe::error_sentence;
use referral_core::{CoreError, RecoveryReport};
use serde_json::{Value, json};

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

    /// A JSON document (with --json) or the given human text.
    pub fn result(&self, value: &Value, human: impl FnOnce() -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).unwrap_or_default()
            );
        } else {
            let text = human();
            if !text.is_empty() {
                println!("{text}");
            }
        }
    }

    /// A progress line (stderr, so stdout stays parseable).
    pub fn progress(&self, line: &str) {
        eprintln!("{line}");
    }

    pub fn error(&self, e: &CoreError) {
        let code = crate::exit::code_of(e);
        if self.json {
            let doc = json!({ "error": { "exit_code": code, "message": error_sentence(e) } });
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        eprintln!("refdesk: {}", error_sentence(e));
    }

    pub fn recovery(&self, r: &RecoveryReport) {
        if r.resolved > 0 || r.holds_released > 0 || !r.flagged.is_empty() {
            self.progress(&summary(r));
        }
    }

    pub fn recovery_full(&self, r: &RecoveryReport) {
        let doc = json!({
            "resolved": r.resolved, "left": r.left, "holds_released": r.holds_released,
            "flagged": r.flagged.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        self.result(&doc, || summary(r));
    }
}

fn summary(r: &RecoveryReport) -> String {
    let mut s = format!(
        "recovery: {} unfinished action(s) reconciled, {} left for later, {} orphaned hold(s) released",
        r.resolved, r.left, r.holds_released
    );
    for id in &r.flagged {
        s.push_str(&format!("\nrecovery: referral {id} needs attention"));
    }
    s
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
