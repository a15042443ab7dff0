//! The audit trail for export: every recorded event with the referral and organisation it names,
//! and the export itself recorded, so who took a copy of the trail is in the trail too.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use referral_model::{
    Event, EventKind, EventOutcome, NewEvent, Organisation, OrganisationId, Referral, ReferralId,
};
use serde_json::json;

use crate::{App, CoreResult};

/// One event of the trail with what it refers to.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub event: Event,
    pub referral: Option<Referral>,
    pub organisation: Option<Organisation>,
}

impl App {
    /// The events recorded at or after `since` (all when `None`), of `referral` only when
    /// given, oldest first; then records the export as an event of its own.
    pub fn export_audit_trail(
        &self,
        since: Option<DateTime<Utc>>,
        referral: Option<ReferralId>,
    ) -> CoreResult<Vec<AuditEntry>> {
        let store = self.store();
        let events = store.audit_trail(since, referral)?;
        let organisations: HashMap<OrganisationId, Organisation> = store
            .organisations()?
            .into_iter()
            .map(|o| (o.id.clone(), o))
            .collect();
        let mut referrals: HashMap<ReferralId, Referral> = HashMap::new();
        let mut entries = Vec::with_capacity(events.len());
        for event in events {
            let referral = match event.referral_id {
                Some(id) => match referrals.get(&id) {
                    Some(r) => Some(r.clone()),
                    None => {
                        let r = store.referral(id)?;
                        referrals.insert(id, r.clone());
                        Some(r)
                    }
                },
                None => None,
            };
            let organisation = event
                .organisation_id
                .as_ref()
                .and_then(|o| organisations.get(o))
                .cloned();
            entries.push(AuditEntry {
                event,
                referral,
                organisation,
            });
        }
        store.append_event(&NewEvent {
            referral_id: referral,
            kind: EventKind::AuditExport,
            organisation_id: None,
            request: "audit export".to_owned(),
            outcome: EventOutcome::Succeeded,
            detail: Some(json!({
                "note": format!("{} audit events exported", entries.len()),
                "since": since,
            })),
        })?;
        Ok(entries)
    }
}
