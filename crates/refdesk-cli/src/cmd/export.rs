//! `refdesk export ics`: a booked referral's appointment as an iCalendar file (`export_ics`).

use referral_api::appointment::ExportIcsRequest;
use referral_api::handlers;
use referral_core::App;

use crate::cli::ExportCmd;
use crate::out::{Done, Out, local_failure};

pub async fn run(app: &App, cmd: ExportCmd, out: &Out) -> Done {
    let ExportCmd::Ics {
        referral,
        out: path,
    } = cmd;
    let mut file = handlers::export_ics(
        app,
        ExportIcsRequest {
            referral_id: referral,
        },
    )
    .await?;
    if let Some(path) = path {
        std::fs::write(&path, &file.content).map_err(|_| {
            local_failure(format!(
                "The calendar file could not be written to {}.",
                path.display()
            ))
        })?;
        file.saved_to = Some(path.display().to_string());
    }
    match &file.saved_to {
        // The file itself, byte for byte (CRLF line ends), so `> visit.ics` is a valid file.
        None if !out.is_json() => out.raw(&file.content)?,
        _ => out.emit(&file, |f| {
            format!("saved {}", f.saved_to.as_deref().unwrap_or("-"))
        })?,
    }
    Ok(0)
}
