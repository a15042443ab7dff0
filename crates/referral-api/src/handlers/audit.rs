//! `audit export`: the audit trail as FHIR R4 AuditEvent NDJSON (see [`crate::audit`]); the core
//! records the export itself in the trail, so who took a copy of it is known too.

use referral_core::App;

use super::{OrApi as _, referral_id};
use crate::audit::{AuditExport, AuditExportRequest, audit_event};
use crate::error::ApiError;

pub async fn export_audit(app: &App, req: AuditExportRequest) -> Result<AuditExport, ApiError> {
    let referral = req.referral_id.as_deref().map(referral_id).transpose()?;
    let entries = app.export_audit_trail(req.since, referral).api()?;
    let mut ndjson = String::new();
    for e in &entries {
        ndjson.push_str(
            &audit_event(&e.event, e.referral.as_ref(), e.organisation.as_ref()).to_string(),
        );
        ndjson.push('\n');
    }
    Ok(AuditExport {
        ndjson,
        count: entries.len(),
    })
}
