//! `audit export`: the audit trail as FHIR R4 AuditEvent NDJSON (see [`crate::audit`]); the
//! export is itself recorded in the trail, so who took a copy of it is known too.

use std::collections::HashMap;

use referral_core::App;
use referral_store::{EventKind, EventOutcome, NewEvent, OrganisationId, ReferralId};
use serde_json::json;

use super::{OrApi as _, referral_id};
use crate::audit::{AuditExport, AuditExportRequest, audit_event};
use crate::error::ApiError;

pub async fn export_audit(app: &App, req: AuditExportRequest) -> Result<AuditExport, ApiError> {
    let referral = req.referral_id.as_deref().map(referral_id).transpose()?;
    let store = app.store();
    let core = |e: referral_store::StoreError| referral_core::CoreError::from(e);
    let events = store.audit_trail(req.since, referral).map_err(core).api()?;
    let organisations: HashMap<OrganisationId, _> = store
        .organisations()
        .map_err(core)
        .api()?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let mut referrals: HashMap<ReferralId, _> = HashMap::new();
    let mut ndjson = String::new();
    for e in &events {
        if let Some(id) = e.referral_id
            && !referrals.contains_key(&id)
        {
            let r = store.referral(id).map_err(core).api()?;
            referrals.insert(id, r);
        }
        let r = e.referral_id.and_then(|id| referrals.get(&id));
        let o = e
            .organisation_id
            .as_ref()
            .and_then(|o| organisations.get(o));
        ndjson.push_str(&audit_event(e, r, o).to_string());
        ndjson.push('\n');
    }
    store
        .append_event(&NewEvent {
            referral_id: referral,
            kind: EventKind::AuditExport,
            organisation_id: None,
            request: "audit export".to_owned(),
            outcome: EventOutcome::Succeeded,
            detail: Some(json!({
                "note": format!("{} audit events exported", events.len()),
                "since": req.since,
            })),
        })
        .map_err(core)
        .api()?;
    Ok(AuditExport {
        ndjson,
        count: events.len(),
    })
}
