//! Reads an organisation's directory through `sched-client`: practitioners always, roles and
//! locations when the organisation declares their search.

use sched_client::{Interaction, OrgClient};

use super::errors::map_error;
use crate::remote::{DirectoryListing, RemoteResult};

/// Most directory entries of one kind read from one organisation.
const DIRECTORY_LIMIT: usize = 1000;

/// `GET Practitioner`, then `PractitionerRole` and `Location` when offered.
pub(super) async fn read(client: &OrgClient) -> RemoteResult<DirectoryListing> {
    let practitioners = client
        .search_practitioners(DIRECTORY_LIMIT)
        .await
        .map_err(|e| map_error(Interaction::SearchPractitioners, "search Practitioner", e))?;
    let roles = if offered(client, Interaction::SearchPractitionerRoles).await? {
        client
            .search_practitioner_roles(DIRECTORY_LIMIT)
            .await
            .map_err(|e| {
                map_error(
                    Interaction::SearchPractitionerRoles,
                    "search PractitionerRole",
                    e,
                )
            })?
    } else {
        Vec::new()
    };
    let locations = if offered(client, Interaction::SearchLocations).await? {
        client
            .search_locations(DIRECTORY_LIMIT)
            .await
            .map_err(|e| map_error(Interaction::SearchLocations, "search Location", e))?
    } else {
        Vec::new()
    };
    Ok(DirectoryListing {
        practitioners,
        roles,
        locations,
    })
}

async fn offered(client: &OrgClient, what: Interaction) -> RemoteResult<bool> {
    client
        .offers(what)
        .await
        .map_err(|e| map_error(Interaction::ReadCapabilities, "GET metadata", e))
}
