//! Desk settings (the default referring clinician, the follow-up offset) and the composed
//! `$book` comment: the one text the preview shows and `$book` sends.

use chrono::NaiveDate;
use referral_model::{DeskSettings, Priority, Referral};

use crate::app::App;
use crate::error::{CoreError, CoreResult};

/// Where the desk settings live in the store's `settings` table (JSON).
const DESK_KEY: &str = "desk.settings";

/// Longest `$book` comment the desk sends, in characters.
pub const MAX_COMMENT: usize = 1024;

impl App {
    /// The desk settings (defaults when never saved).
    pub async fn desk_settings(&self) -> CoreResult<DeskSettings> {
        let text = self.db(|s| s.setting(DESK_KEY)).await?;
        match text {
            Some(t) => serde_json::from_str(&t).map_err(|e| CoreError::Task {
                reason: format!("stored desk settings are unreadable: {e}"),
            }),
            None => Ok(DeskSettings::default()),
        }
    }

    /// Validates and saves the desk settings; returns what was stored.
    pub async fn save_desk_settings(&self, settings: &DeskSettings) -> CoreResult<DeskSettings> {
        let checked = settings.validated()?;
        let text = serde_json::to_string(&checked).map_err(|e| CoreError::Task {
            reason: format!("desk settings could not be written: {e}"),
        })?;
        self.db(move |s| s.set_setting(DESK_KEY, &text)).await?;
        Ok(checked)
    }

    /// The user's calendar day now (the machine's local zone).
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&chrono::Local).date_naive()
    }
}

fn priority_label(p: Priority) -> &'static str {
    match p {
        Priority::Routine => "Routine",
        Priority::Urgent => "Urgent",
        Priority::Asap => "ASAP",
        Priority::Stat => "STAT",
    }
}

/// The `$book` comment in its fixed layout, one line per known value, then the user's words:
///
/// ```text
/// Reason: <display> (<code>) — <free text>
/// Priority: <Routine|Urgent|ASAP|STAT>
/// Due by: <YYYY-MM-DD>
/// Referred by: <name>, NPI <npi>
/// Call back: <phone>
/// Note: <note>
/// <extra>
/// ```
///
/// Refused (`comment`) when longer than [`MAX_COMMENT`]: never cut short silently.
pub fn compose_comment(r: &Referral, extra: Option<&str>) -> CoreResult<String> {
    let c = &r.content;
    let mut lines = Vec::new();
    let coded = c.reason_code.as_ref().map(|rc| {
        let display = rc.display.as_deref().unwrap_or(&rc.code);
        format!("{display} ({})", rc.code)
    });
    let free = r.reason.as_deref().map(str::trim).filter(|t| !t.is_empty());
    match (coded, free) {
        (Some(code), Some(text)) => lines.push(format!("Reason: {code} — {text}")),
        (Some(code), None) => lines.push(format!("Reason: {code}")),
        (None, Some(text)) => lines.push(format!("Reason: {text}")),
        (None, None) => {}
    }
    lines.push(format!("Priority: {}", priority_label(r.priority)));
    if let Some(d) = c.due_by {
        lines.push(format!("Due by: {}", d.format("%Y-%m-%d")));
    }
    if let Some(who) = &c.referrer {
        match &who.npi {
            Some(npi) => lines.push(format!("Referred by: {}, NPI {npi}", who.name)),
            None => lines.push(format!("Referred by: {}", who.name)),
        }
        lines.push(format!("Call back: {}", who.phone));
    }
    if let Some(note) = &c.note {
        lines.push(format!("Note: {note}"));
    }
    if let Some(extra) = extra.map(str::trim).filter(|e| !e.is_empty()) {
        lines.push(extra.to_owned());
    }
    let text = lines.join("\n");
    let n = text.chars().count();
    if n > MAX_COMMENT {
        return Err(CoreError::invalid(
            "comment",
            format!(
                "the comment for the organisation would be {n} characters, over the limit of \
                 {MAX_COMMENT}; shorten your extra words or the note"
            ),
        ));
    }
    Ok(text)
}
