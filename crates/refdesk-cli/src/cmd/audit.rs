//! `refdesk audit export [--since] [--referral]`: the audit trail as FHIR R4 AuditEvent NDJSON
//! on standard output (`export_audit`, the handler the app would use); with `--json`, the
//! `AuditExport` result itself.

use chrono::{DateTime, Utc};
use referral_api::ApiError;
use referral_api::audit::AuditExportRequest;
use referral_api::handlers;
use referral_core::App;

use crate::cli::AuditCmd;
use crate::out::{Done, Out};

pub async fn run(app: &App, cmd: AuditCmd, out: &Out) -> Done {
    let AuditCmd::Export { since, referral } = cmd;
    let since = since
        .as_deref()
        .map(DateTime::parse_from_rfc3339)
        .transpose()
        .map_err(|_| {
            ApiError::invalid_field(
                "--since",
                "expected an instant such as 2026-03-01T00:00:00Z",
            )
        })?
        .map(|t| t.with_timezone(&Utc));
    let export = handlers::export_audit(
        app,
        AuditExportRequest {
            since,
            referral_id: referral,
        },
    )
    .await?;
    if out.is_json() {
        out.emit(&export, |_| String::new())?;
    } else {
        out.raw(&export.ndjson)?;
    }
    Ok(0)
}
