//! Staying in step with the organisations: one batched re-read per organisation of every held
//! and booked referral's appointment (`Appointment?_id=a,b,c&_count=N`), and what the desk does
//! about each difference (cancelled there, moved there, hold ran out).
//!
//! Why batched: a desk with hundreds of booked referrals must not send hundreds of reads every
//! few minutes; ids go in chunks of [`PAGE_SIZE`], one search each, so an organisation with `n`
//! open referrals costs ⌈n / PAGE_SIZE⌉ requests.

mod compare;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use fhir_model::Appointment;
use referral_store::{MAX_PAGE, OrganisationId, Referral, ReferralStatus, WorklistQuery};

use crate::app::App;
use crate::error::CoreResult;
use crate::remote::AppointmentQuery;

pub use compare::{Change, ChangeKind};

/// Ids per search and the `_count` asked for: one page answers one chunk.
pub const PAGE_SIZE: u32 = 50;

/// Settings key prefix of an organisation's last successful sync (RFC 3339).
const LAST_SYNCED: &str = "sync.last_synced_at.";
/// Settings key of the last sync that reached every organisation it needed (RFC 3339).
const LAST_COMPLETE: &str = "sync.last_complete_at";
/// Settings key: `1` when the last sync could not reach some organisation.
const OFFLINE: &str = "sync.offline";

/// The desk's standing with the organisations, as the last sync left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncState {
    /// When a sync last reached every organisation it needed.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// The last sync could not reach some organisation.
    pub offline: bool,
}

/// How one organisation's sync went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationSync {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// When it was last read back successfully (this run, or an earlier one when unreachable).
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Whether this run reached it.
    pub reached: bool,
}

/// What a sync found and did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// The referrals changed, with why.
    pub changes: Vec<Change>,
    /// Per organisation with open referrals (or synced before).
    pub organisations: Vec<OrganisationSync>,
}

impl App {
    /// Re-reads every held, booked and rescheduled referral's appointment at its organisation,
    /// batched, and brings the worklist in step: cancelled there → `cancelled-by-organisation`,
    /// moved there → the new time, a hold that ran out → searching again; each with its event.
    /// An organisation that cannot be reached is skipped (its last sync time stays).
    pub async fn sync_with_organisations(&self) -> CoreResult<SyncReport> {
        let mut by_org: HashMap<OrganisationId, Vec<Referral>> = HashMap::new();
        for r in self.open_appointments().await? {
            by_org.entry(r.organisation_id.clone()).or_default().push(r);
        }
        let mut report = SyncReport::default();
        for (org_id, referrals) in by_org {
            let reached = match self.sync_organisation(&referrals).await {
                Ok(mut changes) => {
                    report.changes.append(&mut changes);
                    self.record_synced(&org_id).await?;
                    true
                }
                Err(e) => {
                    tracing::warn!(organisation = %org_id, error = %e, "sync skipped");
                    false
                }
            };
            report.organisations.push(OrganisationSync {
                last_synced_at: self.last_synced_at(&org_id).await?,
                organisation_id: org_id,
                reached,
            });
        }
        report
            .organisations
            .sort_by(|a, b| a.organisation_id.cmp(&b.organisation_id));
        let offline = report.organisations.iter().any(|o| !o.reached);
        self.record_run(offline).await?;
        // An organisation's own cancellation or move reaches the order at home too.
        for change in &report.changes {
            Box::pin(self.after_referral_step(change.referral.id)).await;
        }
        Ok(report)
    }

    /// When the desk last synced with every organisation, and whether the last try failed.
    pub async fn sync_state(&self) -> CoreResult<SyncState> {
        let (complete, offline) = self
            .db(|s| Ok((s.setting(LAST_COMPLETE)?, s.setting(OFFLINE)?)))
            .await?;
        Ok(SyncState {
            last_synced_at: complete.as_deref().and_then(parse_time),
            offline: offline.as_deref() == Some("1"),
        })
    }

    async fn record_run(&self, offline: bool) -> CoreResult<()> {
        let now = self.now().to_rfc3339();
        self.db(move |s| {
            s.set_setting(OFFLINE, if offline { "1" } else { "0" })?;
            if !offline {
                s.set_setting(LAST_COMPLETE, &now)?;
            }
            Ok(())
        })
        .await
    }

    /// When `org` was last read back successfully.
    pub async fn last_synced_at(&self, org: &OrganisationId) -> CoreResult<Option<DateTime<Utc>>> {
        let key = format!("{LAST_SYNCED}{org}");
        let value = self.db(move |s| s.setting(&key)).await?;
        Ok(value.as_deref().and_then(parse_time))
    }

    async fn record_synced(&self, org: &OrganisationId) -> CoreResult<()> {
        let key = format!("{LAST_SYNCED}{org}");
        let value = self.now().to_rfc3339();
        self.db(move |s| s.set_setting(&key, &value)).await
    }

    /// Every referral that may have an appointment to compare: held, booked, rescheduled.
    async fn open_appointments(&self) -> CoreResult<Vec<Referral>> {
        let mut all = Vec::new();
        loop {
            let query = WorklistQuery {
                statuses: vec![
                    ReferralStatus::Held,
                    ReferralStatus::Booked,
                    ReferralStatus::Rescheduled,
                ],
                limit: MAX_PAGE,
                offset: u32::try_from(all.len()).unwrap_or(u32::MAX),
                ..WorklistQuery::default()
            };
            let page = self.worklist_page(query).await?;
            all.extend(page.referrals);
            if !page.has_more {
                break;
            }
        }
        Ok(all
            .into_iter()
            .filter(|r| r.appointment.is_some())
            .collect())
    }

    /// One organisation: its appointments in chunks of [`PAGE_SIZE`] ids, then the comparison.
    async fn sync_organisation(&self, referrals: &[Referral]) -> CoreResult<Vec<Change>> {
        let Some(first) = referrals.first() else {
            return Ok(Vec::new());
        };
        let (org, remote) = self.remote(&first.organisation_id).await?;
        let ids: Vec<String> = referrals
            .iter()
            .filter_map(|r| r.appointment.as_ref().map(|a| a.id.clone()))
            .collect();
        let mut found: HashMap<String, Appointment> = HashMap::new();
        for chunk in ids.chunks(PAGE_SIZE as usize) {
            let query = AppointmentQuery {
                ids: chunk.to_vec(),
                page_size: Some(PAGE_SIZE),
                ..AppointmentQuery::default()
            };
            let page = remote
                .search_appointments(query)
                .await
                .map_err(|e| crate::error::CoreError::remote(&org.display_name, e))?;
            found.extend(page.into_iter().filter_map(|a| Some((a.id.clone()?, a))));
        }
        let mut changes = Vec::new();
        for r in referrals {
            let remote_appt = r.appointment.as_ref().and_then(|a| found.get(&a.id));
            if let Some(change) = self.compare(r, remote_appt, &org.display_name).await? {
                changes.push(change);
            }
        }
        Ok(changes)
    }
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
