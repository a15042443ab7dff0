//! `get_desk_settings`, `save_desk_settings`.

use referral_core::App;

use super::OrApi;
use crate::error::ApiError;
use crate::referral::Referrer;
use crate::settings::{DeskSettings, GetDeskSettingsRequest, SaveDeskSettingsRequest};

pub async fn get_desk_settings(
    app: &App,
    _req: GetDeskSettingsRequest,
) -> Result<DeskSettings, ApiError> {
    Ok(to_dto(&app.desk_settings().await.api()?))
}

pub async fn save_desk_settings(
    app: &App,
    req: SaveDeskSettingsRequest,
) -> Result<DeskSettings, ApiError> {
    let s = req.settings;
    let model = referral_model::DeskSettings {
        referrer: s.referrer.as_ref().map(referrer_back),
        follow_up_days: s.follow_up_days,
    };
    Ok(to_dto(&app.save_desk_settings(&model).await.api()?))
}

fn to_dto(s: &referral_model::DeskSettings) -> DeskSettings {
    DeskSettings {
        referrer: s.referrer.as_ref().map(referrer),
        follow_up_days: s.follow_up_days,
    }
}

pub(crate) fn referrer(r: &referral_model::Referrer) -> Referrer {
    Referrer {
        name: r.name.clone(),
        npi: r.npi.clone(),
        phone: r.phone.clone(),
    }
}

pub(crate) fn referrer_back(r: &Referrer) -> referral_model::Referrer {
    referral_model::Referrer {
        name: r.name.clone(),
        npi: r.npi.clone(),
        phone: r.phone.clone(),
    }
}
