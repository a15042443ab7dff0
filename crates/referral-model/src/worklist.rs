//! The worklist query: which referrals to list (status, organisation, dates, patient name, MRN),
//! in which order, one page at a time. The store answers it in one SQL query.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{ModelError, invalid};
use crate::ids::OrganisationId;
use crate::referral::Referral;
use crate::status::ReferralStatus;

/// The most rows one page may hold; keeps one query's lock time bounded.
pub const MAX_PAGE: u32 = 500;

/// How a text filter matches (always case-insensitive, spaces collapsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchMode {
    /// The value starts with the text (uses an index; what the search box does by default).
    #[default]
    Prefix,
    /// The text occurs anywhere in the display name or MRN (trigram index from 3 characters).
    Contains,
}

/// A text filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextFilter {
    /// What the user typed.
    pub text: String,
    /// Prefix or substring.
    pub mode: MatchMode,
}

/// Which date a date-range filter applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateFilter {
    /// Referrals whose requested window *starts* between `from` and `to`, both days included
    /// ("who should be seen next week"). Referrals without a window never match. The start
    /// rather than overlap with the window: a single-column range is an index range scan.
    Requested {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
    /// Referrals whose booked appointment starts in `[from, to)` ("what is booked tomorrow");
    /// instants, so the caller turns local days into UTC bounds. Unbooked referrals never match.
    Booked {
        /// Inclusive lower bound.
        from: DateTime<Utc>,
        /// Exclusive upper bound.
        to: DateTime<Utc>,
    },
}

/// Days on the user's own calendar: `from`..=`to` (either open) as seen at `utc_offset_minutes`
/// east of UTC (UTC+2 is 120, UTC-5 is -300), as the desk's screen shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalDays {
    /// First day, included; `None` for no lower bound.
    pub from: Option<NaiveDate>,
    /// Last day, included; `None` for no upper bound.
    pub to: Option<NaiveDate>,
    /// The user's offset from UTC in minutes (east positive).
    pub utc_offset_minutes: i32,
}

impl LocalDays {
    /// The booked-date filter for these days: from local midnight starting `from` to local
    /// midnight after `to`, as UTC instants. `None` when both ends are open.
    pub fn booked_filter(self) -> Result<Option<DateFilter>, ModelError> {
        if self.from.is_none() && self.to.is_none() {
            return Ok(None);
        }
        let zone = FixedOffset::east_opt(self.utc_offset_minutes.saturating_mul(60))
            .ok_or_else(|| invalid("utc offset", "must be within a day of UTC"))?;
        let midnight = |day: NaiveDate| {
            zone.from_local_datetime(&day.and_time(NaiveTime::MIN))
                .single()
                .map(|at| at.with_timezone(&Utc))
                .ok_or_else(|| invalid("date", "is outside the supported range"))
        };
        let from = match self.from {
            Some(day) => midnight(day)?,
            None => far_bound(1, 1, 1),
        };
        let to = match self.to {
            Some(day) => {
                let next = day
                    .checked_add_days(Days::new(1))
                    .ok_or_else(|| invalid("date", "is outside the supported range"))?;
                midnight(next)?
            }
            None => far_bound(9999, 12, 31),
        };
        if from >= to {
            return Err(invalid("date", "the start is after the end"));
        }
        Ok(Some(DateFilter::Booked { from, to }))
    }
}

/// An open end of a date range, within four-digit years so it compares correctly with the
/// fixed-width text the store keeps instants as.
fn far_bound(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, month, day)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN)
        .and_utc()
}

/// Order of the worklist; ties are broken by insertion order so paging is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorklistOrder {
    /// Most recently changed first.
    #[default]
    UpdatedDesc,
    /// Newest first.
    CreatedDesc,
    /// Earliest requested start first; referrals without a window last.
    RequestedStartAsc,
    /// Earliest booked start first; unbooked last.
    BookedStartAsc,
    /// Alphabetical by patient display name.
    PatientName,
    /// Earliest due-by day first; referrals without one last.
    DueByAsc,
}

/// A worklist query. The default is "everything, most recently changed first, 50 rows".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorklistQuery {
    /// Any of these statuses; empty means any status.
    pub statuses: Vec<ReferralStatus>,
    /// Only this organisation.
    pub organisation: Option<OrganisationId>,
    /// Date range.
    pub date: Option<DateFilter>,
    /// Patient name: family, given or display name.
    pub patient_name: Option<TextFilter>,
    /// Home MRN.
    pub mrn: Option<TextFilter>,
    /// Patient name *or* home MRN (the search box): matched in the same query as every other
    /// filter, so paging and the total count see one result set.
    #[serde(default)]
    pub search: Option<TextFilter>,
    /// Only referrals overdue on this day (the user's today): due by an earlier day and not
    /// booked, cancelled or rescheduled.
    #[serde(default)]
    pub overdue_on: Option<NaiveDate>,
    /// Order.
    pub order: WorklistOrder,
    /// Page size, 1..=[`MAX_PAGE`].
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

impl Default for WorklistQuery {
    fn default() -> Self {
        Self {
            statuses: Vec::new(),
            organisation: None,
            date: None,
            patient_name: None,
            mrn: None,
            search: None,
            overdue_on: None,
            order: WorklistOrder::default(),
            limit: 50,
            offset: 0,
        }
    }
}

/// One page of the worklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorklistPage {
    /// The referrals of this page.
    pub referrals: Vec<Referral>,
    /// Whether another page follows.
    pub has_more: bool,
    /// How many referrals match the filters in all (not just this page).
    pub total: u64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn bounds(days: LocalDays) -> (DateTime<Utc>, DateTime<Utc>) {
        match days.booked_filter().unwrap() {
            Some(DateFilter::Booked { from, to }) => (from, to),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_local_day_is_the_users_midnight_to_midnight_in_utc() {
        let utc = |d, h| Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap();
        let east = LocalDays {
            from: Some(day(3)),
            to: Some(day(3)),
            utc_offset_minutes: 120,
        };
        assert_eq!(bounds(east), (utc(2, 22), utc(3, 22)));
        let west = LocalDays {
            from: Some(day(3)),
            to: Some(day(4)),
            utc_offset_minutes: -300,
        };
        assert_eq!(bounds(west), (utc(3, 5), utc(5, 5)));
    }

    #[test]
    fn open_ends_and_bad_offsets() {
        let open = LocalDays {
            from: None,
            to: None,
            utc_offset_minutes: 0,
        };
        assert_eq!(open.booked_filter().unwrap(), None);
        let from_only = LocalDays {
            from: Some(day(3)),
            to: None,
            utc_offset_minutes: 0,
        };
        assert_eq!(bounds(from_only).1, far_bound(9999, 12, 31));
        let far = LocalDays {
            from: Some(day(3)),
            to: None,
            utc_offset_minutes: 24 * 60,
        };
        assert!(far.booked_filter().unwrap_err().is_invalid_input());
        let reversed = LocalDays {
            from: Some(day(4)),
            to: Some(day(3)),
            utc_offset_minutes: 0,
        };
        assert!(reversed.booked_filter().is_err());
    }
}
