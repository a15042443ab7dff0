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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use chrono::Utc;
    use referral_model::{
        Coded, OrganisationId, PatientSummary, ReferralContent, ReferralId, ReferralStatus,
        Referrer,
    };

    use super::*;

    fn referral(content: ReferralContent, reason: Option<&str>) -> Referral {
        Referral {
            id: ReferralId::random(),
            version: 1,
            status: ReferralStatus::Draft,
            organisation_id: OrganisationId::new("derm").unwrap(),
            patient: PatientSummary {
                display_name: "Ines Whole".into(),
                family: None,
                given: None,
                birth_date: None,
                gender: None,
                home_mrn: None,
                target_patient_id: None,
            },
            specialty: None,
            visit_type: None,
            reason: reason.map(str::to_owned),
            priority: Priority::Stat,
            requested_window: None,
            appointment: None,
            previous_appointment_id: None,
            hold_expires_at: None,
            booked_start: None,
            booked_end: None,
            practitioner_display: None,
            location_display: None,
            booking_comment: None,
            status_note: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            created_by: "desk".into(),
            content,
        }
    }

    #[test]
    fn the_comment_keeps_its_fixed_layout_and_leaves_out_what_is_unknown() {
        let bare = referral(ReferralContent::default(), None);
        assert_eq!(compose_comment(&bare, None).unwrap(), "Priority: STAT");
        let full = referral(
            ReferralContent {
                reason_code: Some(Coded {
                    system: "http://hl7.org/fhir/sid/icd-10-cm".into(),
                    code: "I10".into(),
                    display: Some("Essential (primary) hypertension".into()),
                }),
                due_by: chrono::NaiveDate::from_ymd_opt(2026, 12, 10),
                referrer: Some(Referrer {
                    name: "Dr Ama Osei".into(),
                    npi: None,
                    phone: "555 010 4477".into(),
                }),
                note: Some("Home readings attached.".into()),
            },
            None,
        );
        assert_eq!(
            compose_comment(&full, Some("  Mornings only. ")).unwrap(),
            "Reason: Essential (primary) hypertension (I10)\nPriority: STAT\nDue by: 2026-12-10\n\
             Referred by: Dr Ama Osei\nCall back: 555 010 4477\nNote: Home readings attached.\n\
             Mornings only."
        );
    }

    #[test]
    fn an_over_long_comment_is_refused_never_cut() {
        let r = referral(ReferralContent::default(), Some("rash"));
        let e = compose_comment(&r, Some(&"z".repeat(MAX_COMMENT))).unwrap_err();
        assert_eq!(e.invalid_field().map(|(f, _)| f), Some("comment"));
        let fits = "z".repeat(MAX_COMMENT - "Reason: rash\nPriority: STAT\n".len());
        assert_eq!(
            compose_comment(&r, Some(&fits)).unwrap().chars().count(),
            MAX_COMMENT
        );
    }
}
