//! What narrows a `$find`: practitioners and locations (sent as `$find` parameters), the desk's
//! local days, "more times" after the last one shown, and the part of the day (applied to the
//! answers, which `$find` cannot express).

use chrono::{DateTime, NaiveTime, Utc};
use fhir_model::FindParams;
use fhir_model::datetime::format_instant;
use referral_store::DateWindow;

use super::find::SlotOption;

/// Narrows a search; each list holds alternatives in preference order (OR), the lists combine
/// (AND), as `$find` defines them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindFilter {
    /// Practitioner ids or `Practitioner/<id>` references.
    pub practitioners: Vec<String>,
    /// `Location/<id>` references, or address fragments (city, postcode).
    pub locations: Vec<String>,
    /// Only times starting after this instant ("more times": the last start already shown).
    pub after: Option<DateTime<Utc>>,
    /// Only mornings or only afternoons, on the desk's clock.
    pub time_of_day: Option<TimeOfDay>,
    /// The desk's offset from UTC in minutes: the window's days and the time of day are the
    /// user's local ones.
    pub utc_offset_minutes: i32,
}

/// Part of the day, on the desk's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeOfDay {
    /// Starting before 12:00.
    Morning,
    /// Starting at 12:00 or later.
    Afternoon,
}

impl FindFilter {
    /// Whether an option the organisation offered passes the filters `$find` cannot express.
    pub(crate) fn keeps(&self, o: &SlotOption) -> bool {
        let later = self.after.is_none_or(|after| o.start > after);
        let local = o.start + chrono::Duration::minutes(i64::from(self.utc_offset_minutes));
        let morning = chrono::Timelike::hour(&local) < 12;
        let part = match self.time_of_day {
            None => true,
            Some(TimeOfDay::Morning) => morning,
            Some(TimeOfDay::Afternoon) => !morning,
        };
        later && part
    }

    /// The window's bounds as the desk's local midnights, then moved past `after`.
    fn window(&self, window: DateWindow) -> (DateTime<Utc>, DateTime<Utc>) {
        let offset = chrono::Duration::minutes(i64::from(self.utc_offset_minutes));
        let start = window.start.and_time(NaiveTime::MIN).and_utc() - offset;
        let end = (window.end + chrono::Days::new(1))
            .and_time(NaiveTime::MIN)
            .and_utc()
            - offset;
        let start = match self.after {
            // `$find`'s start is inclusive: one second on, so the last time shown is not offered
            // again.
            Some(after) => start.max(after + chrono::Duration::seconds(1)),
            None => start,
        };
        (start, end)
    }

    pub(crate) fn apply(&self, params: &mut FindParams, window: DateWindow) {
        let (start, end) = self.window(window);
        params.start = Some(format_instant(&start));
        params.end = Some(format_instant(&end));
        for p in &self.practitioners {
            let p = p.trim();
            params.practitioner.push(if p.starts_with("Practitioner/") {
                p.to_owned()
            } else {
                format!("Practitioner/{p}")
            });
        }
        for l in &self.locations {
            let l = l.trim();
            if l.starts_with("Location/") {
                params.location_reference.push(l.to_owned());
            } else {
                params.location_string.push(l.to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use chrono::{NaiveDate, TimeZone};

    use super::*;

    fn days() -> DateWindow {
        DateWindow {
            start: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            end: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        }
    }

    #[test]
    fn the_window_runs_from_the_desks_first_midnight_to_after_its_last_day() {
        let east = FindFilter {
            utc_offset_minutes: 120,
            ..FindFilter::default()
        };
        let (start, end) = east.window(days());
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 30, 22, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 12, 3, 22, 0, 0).unwrap());
    }

    #[test]
    fn more_times_start_just_after_the_last_shown_but_never_before_the_window() {
        let last = Utc.with_ymd_and_hms(2026, 12, 2, 9, 30, 0).unwrap();
        let more = FindFilter {
            after: Some(last),
            ..FindFilter::default()
        };
        assert_eq!(more.window(days()).0, last + chrono::Duration::seconds(1));
        let early = FindFilter {
            after: Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()),
            ..FindFilter::default()
        };
        assert_eq!(
            early.window(days()).0,
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
        );
    }
}
