//! The worklist query: which referrals to list (status, organisation, dates, patient name, MRN),
//! in which order, one page at a time. The store answers it in one SQL query.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

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
}
