//! What a referral says beyond the service asked for: the coded reason, the day it is due by,
//! the referring clinician (who the organisation calls back) and a note, with the rules each
//! value must keep. The desk settings' default referrer follows the same rules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{ModelError, invalid};
use crate::referral::{Coded, Referral};

/// Longest note, in characters.
pub const MAX_NOTE: usize = 1000;
/// Longest referrer name, in characters.
pub const MAX_NAME: usize = 200;

/// The referring clinician.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referrer {
    /// Name as the organisation should read it (required).
    pub name: String,
    /// National Provider Identifier (10 digits, NPI check digit).
    pub npi: Option<String>,
    /// The call-back number.
    pub phone: String,
}

/// A referral's content beyond the service: all optional, each validated when present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralContent {
    /// The coded reason (from the desk's pick-list).
    pub reason_code: Option<Coded>,
    /// The day the patient should be seen by.
    pub due_by: Option<NaiveDate>,
    /// Who referred.
    pub referrer: Option<Referrer>,
    /// A note for the organisation.
    pub note: Option<String>,
}

/// Desk-wide defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskSettings {
    /// The referrer used when a referral names none.
    pub referrer: Option<Referrer>,
    /// Default due-by offset (days) for discharge follow-ups.
    pub follow_up_days: Option<u32>,
}

impl Referrer {
    /// Trimmed, with each value checked: the name is required, the NPI (when given) is 10 digits
    /// with a valid check digit, the phone has 7 to 20 digits and only phone punctuation.
    pub fn validated(&self) -> Result<Referrer, ModelError> {
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(invalid(
                "referrer_name",
                "enter the referring clinician's name",
            ));
        }
        if name.chars().count() > MAX_NAME {
            return Err(invalid("referrer_name", "is longer than 200 characters"));
        }
        let npi = match self.npi.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) if is_valid_npi(n) => Some(n.to_owned()),
            Some(_) => {
                return Err(invalid(
                    "referrer_npi",
                    "an NPI is 10 digits and this one's check digit does not match; check it",
                ));
            }
            None => None,
        };
        let phone = self.phone.trim().to_owned();
        if !is_valid_phone(&phone) {
            return Err(invalid(
                "referrer_phone",
                "enter a call-back number of 7 to 20 digits (spaces, +, (, ), - and . allowed)",
            ));
        }
        Ok(Referrer { name, npi, phone })
    }
}

impl ReferralContent {
    /// Checks the values a new referral may carry; `today` is the user's day (a due-by day
    /// before it is refused). A blank note is refused rather than dropped, so nothing the user
    /// typed silently disappears.
    pub fn validated(&self, today: NaiveDate) -> Result<ReferralContent, ModelError> {
        if self.due_by.is_some_and(|d| d < today) {
            return Err(invalid(
                "due_by",
                "is in the past; choose today or a later day",
            ));
        }
        let note = match &self.note {
            Some(n) => Some(validate_note(n)?),
            None => None,
        };
        let referrer = self
            .referrer
            .as_ref()
            .map(Referrer::validated)
            .transpose()?;
        Ok(ReferralContent {
            reason_code: self.reason_code.clone(),
            due_by: self.due_by,
            referrer,
            note,
        })
    }
}

impl DeskSettings {
    /// Checks the default referrer and the follow-up offset (1 to 365 days).
    pub fn validated(&self) -> Result<DeskSettings, ModelError> {
        if self.follow_up_days.is_some_and(|d| d == 0 || d > 365) {
            return Err(invalid("follow_up_days", "must be between 1 and 365 days"));
        }
        Ok(DeskSettings {
            referrer: self
                .referrer
                .as_ref()
                .map(Referrer::validated)
                .transpose()?,
            follow_up_days: self.follow_up_days,
        })
    }
}

impl Referral {
    /// Due by a day before `today` and not yet settled (booked, cancelled or rescheduled). The
    /// store's `overdue_on` filter is the same rule in SQL.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        use crate::status::ReferralStatus as S;
        self.content.due_by.is_some_and(|d| d < today)
            && !matches!(self.status, S::Booked | S::Cancelled | S::Rescheduled)
    }
}

/// A note: not blank, at most [`MAX_NOTE`] characters, kept as typed apart from outer spaces.
pub fn validate_note(note: &str) -> Result<String, ModelError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(invalid("note", "is empty; write the note or leave it out"));
    }
    if note.chars().count() > MAX_NOTE {
        return Err(invalid(
            "note",
            "is longer than 1000 characters; shorten it",
        ));
    }
    Ok(note.to_owned())
}

/// The NPI check: the Luhn algorithm over the 10 digits prefixed with `80840`
/// (CMS, "Requirements for the NPI check digit"): the constant 24 stands for that prefix.
pub fn is_valid_npi(npi: &str) -> bool {
    if npi.len() != 10 || !npi.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u32> = npi.bytes().map(|b| u32::from(b - b'0')).collect();
    let mut sum = 24;
    for (i, d) in digits[..9].iter().rev().enumerate() {
        sum += if i % 2 == 0 {
            let doubled = d * 2;
            doubled / 10 + doubled % 10
        } else {
            *d
        };
    }
    (10 - sum % 10) % 10 == digits[9]
}

/// A call-back number: phone punctuation only, 7 to 20 digits.
pub fn is_valid_phone(phone: &str) -> bool {
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-.".contains(c));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    allowed && (7..=20).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_npi_check_digit_follows_the_cms_rule() {
        assert!(is_valid_npi("1234567893"), "the CMS worked example");
        assert!(!is_valid_npi("1234567890"), "wrong check digit");
        assert!(!is_valid_npi("123456789"), "nine digits");
        assert!(!is_valid_npi("12345678a3"));
    }

    #[test]
    fn a_phone_needs_enough_digits_and_nothing_but_phone_punctuation() {
        assert!(is_valid_phone("+1 (555) 010-4477"));
        assert!(is_valid_phone("555.0104"));
        assert!(!is_valid_phone("555-01"), "six digits");
        assert!(!is_valid_phone("call 5550104"));
    }

    #[test]
    fn content_refuses_past_due_dates_blank_notes_and_bad_referrers() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let past = ReferralContent {
            due_by: today.pred_opt(),
            ..ReferralContent::default()
        };
        assert_eq!(past.validated(today).map_err(|e| field(&e)), Err("due_by"));
        let blank = ReferralContent {
            note: Some("  ".into()),
            ..ReferralContent::default()
        };
        assert_eq!(blank.validated(today).map_err(|e| field(&e)), Err("note"));
        let long = ReferralContent {
            note: Some("x".repeat(MAX_NOTE + 1)),
            ..ReferralContent::default()
        };
        assert_eq!(long.validated(today).map_err(|e| field(&e)), Err("note"));
        let phone = ReferralContent {
            referrer: Some(Referrer {
                name: "Dr A. Osei".into(),
                npi: None,
                phone: "12".into(),
            }),
            ..ReferralContent::default()
        };
        assert_eq!(
            phone.validated(today).map_err(|e| field(&e)),
            Err("referrer_phone")
        );
        let ok = ReferralContent {
            due_by: Some(today),
            note: Some(" Bring prior films. ".into()),
            ..ReferralContent::default()
        };
        assert_eq!(
            ok.validated(today).ok().and_then(|c| c.note),
            Some("Bring prior films.".into())
        );
    }

    fn field(e: &ModelError) -> &'static str {
        match e {
            ModelError::InvalidInput { field, .. } => field,
            ModelError::IllegalTransition { .. } => "",
        }
    }
}
