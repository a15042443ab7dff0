//! Key rotation commands: `list_keys`, `add_key`, `retire_key`, `set_organisation_key`.

use referral_core::{App, KeyListing};
use referral_model::OrganisationId;
use smart_auth::SigningAlg;

use super::OrApi;
use crate::admin::KeyAlgorithm;
use crate::error::ApiError;
use crate::keys::{
    AddKeyRequest, AppKey, KeyList, KeyUser, ListKeysRequest, RetireKeyRequest,
    SetOrganisationKeyRequest,
};

pub async fn list_keys(app: &App, _req: ListKeysRequest) -> Result<KeyList, ApiError> {
    let keys = app.list_keys().await.api()?;
    Ok(KeyList {
        keys: keys.iter().map(app_key).collect(),
    })
}

pub async fn add_key(app: &App, req: AddKeyRequest) -> Result<KeyList, ApiError> {
    let alg = match req.algorithm {
        Some(KeyAlgorithm::Rs384) => SigningAlg::Rs384,
        Some(KeyAlgorithm::Es384) | None => SigningAlg::Es384,
    };
    app.add_key(alg).await.api()?;
    list_keys(app, ListKeysRequest {}).await
}

pub async fn retire_key(app: &App, req: RetireKeyRequest) -> Result<KeyList, ApiError> {
    app.retire_key(req.key_id.trim()).await.api()?;
    list_keys(app, ListKeysRequest {}).await
}

pub async fn set_organisation_key(
    app: &App,
    req: SetOrganisationKeyRequest,
) -> Result<KeyList, ApiError> {
    let id = OrganisationId::new(req.organisation_id.trim().to_owned())
        .map_err(|e| ApiError::invalid_field("organisationId", e.to_string()))?;
    app.set_organisation_key(&id, req.key_id.trim())
        .await
        .api()?;
    list_keys(app, ListKeysRequest {}).await
}

fn app_key(k: &KeyListing) -> AppKey {
    AppKey {
        key_id: k.info.kid.clone(),
        algorithm: k.info.alg.clone(),
        created: k.info.created.map(|t| t.to_rfc3339()),
        retired: k.info.retired.map(|t| t.to_rfc3339()),
        active: k.active,
        organisations: k
            .organisations
            .iter()
            .map(|(id, name)| KeyUser {
                id: id.to_string(),
                display_name: name.clone(),
            })
            .collect(),
    }
}
