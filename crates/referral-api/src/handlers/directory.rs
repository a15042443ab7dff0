//! `list_directory`: an organisation's practitioners and locations for the search's pick-lists.

use referral_core::App;
use referral_model::OrganisationId;

use super::OrApi;
use crate::error::ApiError;
use crate::find::{
    DirectoryLocation, DirectoryPractitioner, ListDirectoryRequest, OrganisationDirectory,
};

pub async fn list_directory(
    app: &App,
    req: ListDirectoryRequest,
) -> Result<OrganisationDirectory, ApiError> {
    let id = OrganisationId::new(req.organisation_id.trim().to_owned())
        .map_err(|e| super::api_error(&referral_core::CoreError::from(e)))?;
    let d = app.organisation_directory(&id).await.api()?;
    Ok(OrganisationDirectory {
        organisation_id: d.organisation_id.to_string(),
        organisation_name: d.organisation_name,
        practitioners: d
            .practitioners
            .into_iter()
            .map(|p| DirectoryPractitioner {
                id: p.id,
                name: p.name,
                specialties: p.specialties,
                location_ids: p.location_ids,
            })
            .collect(),
        locations: d
            .locations
            .into_iter()
            .map(|l| DirectoryLocation {
                id: l.id,
                name: l.name,
                address: l.address,
            })
            .collect(),
    })
}
