//! `refdesk settings referrer show | set`: the desk's referring clinician, through the same
//! handlers as the app's Settings screen.

use referral_api::handlers;
use referral_api::referral::Referrer;
use referral_api::settings::{DeskSettings, GetDeskSettingsRequest, SaveDeskSettingsRequest};
use referral_core::App;

use crate::cli::{ReferrerCmd, SettingsCmd};
use crate::out::{Done, Out};

pub async fn run(app: &App, cmd: SettingsCmd, out: &Out) -> Done {
    let SettingsCmd::Referrer(cmd) = cmd;
    let settings = match cmd {
        ReferrerCmd::Show => handlers::get_desk_settings(app, GetDeskSettingsRequest {}).await?,
        ReferrerCmd::Set {
            name,
            npi,
            phone,
            follow_up_days,
        } => {
            let current = handlers::get_desk_settings(app, GetDeskSettingsRequest {}).await?;
            let settings = DeskSettings {
                referrer: Some(Referrer { name, npi, phone }),
                follow_up_days: follow_up_days.or(current.follow_up_days),
            };
            handlers::save_desk_settings(app, SaveDeskSettingsRequest { settings }).await?
        }
    };
    out.emit(&settings, text)?;
    Ok(0)
}

fn text(s: &DeskSettings) -> String {
    let who = match &s.referrer {
        Some(r) => {
            let npi = r
                .npi
                .as_deref()
                .map(|n| format!(", NPI {n}"))
                .unwrap_or_default();
            format!(
                "referring clinician: {}{npi}; call back {}",
                r.name, r.phone
            )
        }
        None => "referring clinician: not set".to_owned(),
    };
    match s.follow_up_days {
        Some(d) => format!("{who}\nfollow-ups due within {d} days"),
        None => who,
    }
}
