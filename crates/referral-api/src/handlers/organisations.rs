//! `list_organisations`, `save_organisation`, `remove_organisation`, `check_organisation`,
//! `get_jwks`.

use referral_core::{App, OrganisationInput};

use super::{OrApi, convert};
use crate::error::ApiError;
use crate::organisation::{
    CapabilityReport, CheckOrganisationRequest, GetJwksRequest, Jwks, ListOrganisationsRequest,
    Organisation, OrganisationList, RemoveOrganisationRequest, RemoveOrganisationResult,
    SaveOrganisationRequest,
};

pub async fn list_organisations(
    app: &App,
    req: ListOrganisationsRequest,
) -> Result<OrganisationList, ApiError> {
    let orgs = app.organisations(req.include_disabled).await.api()?;
    Ok(OrganisationList {
        organisations: orgs.iter().map(convert::organisation).collect(),
    })
}

pub async fn save_organisation(
    app: &App,
    req: SaveOrganisationRequest,
) -> Result<Organisation, ApiError> {
    if req.name.trim().is_empty() {
        return Err(ApiError::invalid_field(
            "name",
            "Name: enter the organisation's name.",
        ));
    }
    let scopes = if req.scopes.trim().is_empty() {
        referral_core::directory::DEFAULT_SCOPES.to_owned()
    } else {
        req.scopes
    };
    // A misspelt dialect is refused before anything is saved.
    referral_core::parse_dialect(req.dialect.as_deref()).api()?;
    let org = match req.id {
        Some(id) => {
            app.edit_organisation(OrganisationInput {
                id,
                display_name: req.name,
                fhir_base_url: req.fhir_base,
                client_id: req.client_id,
                scopes,
                enabled: req.enabled,
            })
            .await
        }
        None => {
            let taken: Vec<String> = app
                .organisations(true)
                .await
                .api()?
                .into_iter()
                .map(|o| o.id.to_string())
                .collect();
            let id = unique_slug(&req.name, &taken);
            app.add_organisation(OrganisationInput {
                id,
                display_name: req.name,
                fhir_base_url: req.fhir_base,
                client_id: req.client_id,
                scopes,
                enabled: req.enabled,
            })
            .await
        }
    };
    let org = apply_dialect(app, org.api()?, req.dialect.as_deref()).await?;
    Ok(convert::organisation(&org))
}

/// Sets (a name) or clears (`auto`) the dialect override when the request names one.
pub(super) async fn apply_dialect(
    app: &App,
    org: referral_model::Organisation,
    dialect: Option<&str>,
) -> Result<referral_model::Organisation, ApiError> {
    match dialect {
        None => Ok(org),
        Some(d) => app
            .set_organisation_dialect(org.id.as_str(), Some(d))
            .await
            .api(),
    }
}

/// A slug not yet in the directory: `name`, else `name-2`, `name-3`, ...
fn unique_slug(name: &str, taken: &[String]) -> String {
    let base = slug(name);
    (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(base)
}

/// A directory id from a display name: lower-case words joined by '-'.
fn slug(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut s = words.join("-");
    s.truncate(60);
    if s.is_empty() {
        "organisation".to_owned()
    } else {
        s
    }
}

pub async fn remove_organisation(
    app: &App,
    req: RemoveOrganisationRequest,
) -> Result<RemoveOrganisationResult, ApiError> {
    let deleted = app.remove_organisation(&req.id).await.api()?;
    Ok(RemoveOrganisationResult {
        id: req.id,
        disabled_instead: Some(!deleted),
    })
}

pub async fn check_organisation(
    app: &App,
    req: CheckOrganisationRequest,
) -> Result<CapabilityReport, ApiError> {
    let report = app.check_organisation(&req.id).await.api()?;
    Ok(convert::report(&req.id, &report))
}

pub async fn get_jwks(app: &App, _req: GetJwksRequest) -> Result<Jwks, ApiError> {
    let key = app.key().api()?;
    let jwks = app
        .keyset()
        .jwks()
        .map_err(referral_core::CoreError::Key)
        .api()?;
    Ok(Jwks {
        jwks_json: jwks.to_json_pretty(),
        key_id: key.kid().to_owned(),
        algorithm: key.alg().as_str().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_valid_directory_ids() {
        assert_eq!(
            slug("Riverside Dermatology (North)"),
            "riverside-dermatology-north"
        );
        assert_eq!(slug("   "), "organisation");
        let taken = vec!["north".to_owned(), "north-2".to_owned()];
        assert_eq!(super::unique_slug("North", &taken), "north-3");
    }
}
