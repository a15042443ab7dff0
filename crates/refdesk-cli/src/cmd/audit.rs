//! `refdesk audit export [--since] [--referral]`: the audit trail as FHIR R4 AuditEvent NDJSON
//! on standard output, from the `referral_api` handler the app would use.

use std::io::Write as _;

use chrono::{DateTime, Utc};
use referral_api::audit::AuditExportRequest;
use referral_core::App;

use crate::cli::AuditCmd;
use crate::exit;

pub async fn run(app: &App, cmd: AuditCmd) -> u8 {
    let AuditCmd::Export { since, referral } = cmd;
    let since = match since
        .as_deref()
        .map(DateTime::parse_from_rfc3339)
        .transpose()
    {
        Ok(t) => t.map(|t| t.with_timezone(&Utc)),
        Err(_) => {
            let _ = writeln!(
                std::io::stderr(),
                "--since: expected an instant such as 2026-03-01T00:00:00Z"
            );
            return exit::BAD_ARGS;
        }
    };
    let request = AuditExportRequest {
        since,
        referral_id: referral,
    };
    match referral_api::handlers::export_audit(app, request).await {
        Ok(export) => match std::io::stdout().lock().write_all(export.ndjson.as_bytes()) {
            Ok(()) => exit::OK,
            Err(_) => exit::LOCAL,
        },
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{}", e.message);
            exit::LOCAL
        }
    }
}
