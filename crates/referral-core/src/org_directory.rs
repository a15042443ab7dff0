//! What an organisation's own directory says, shaped for the desk's pick-lists: its
//! practitioners (with specialties and where they work) and its locations. Read once per
//! connection to the organisation (the connection is kept for the session).

use fhir_model::{Location, Practitioner, PractitionerRole, Reference};
use referral_store::OrganisationId;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::remote::DirectoryListing;

/// One practitioner at an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPractitioner {
    /// The id at the organisation (what `$find`'s `practitioner` takes as `Practitioner/<id>`).
    pub id: String,
    /// Name as the organisation writes it.
    pub name: String,
    /// Specialties from their roles, without repeats.
    pub specialties: Vec<String>,
    /// `Location/<id>` of the places their roles name.
    pub location_ids: Vec<String>,
}

/// One location of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryLocation {
    /// `Location/<id>` (what `$find`'s `location-reference` takes).
    pub id: String,
    /// Name, or the address when it has none.
    pub name: String,
    /// The address on one line.
    pub address: Option<String>,
}

/// An organisation's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgDirectory {
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its display name.
    pub organisation_name: String,
    /// Practitioners by name.
    pub practitioners: Vec<DirectoryPractitioner>,
    /// Locations by name.
    pub locations: Vec<DirectoryLocation>,
}

impl App {
    /// The practitioners and locations `organisation` lists in its own directory.
    pub async fn organisation_directory(
        &self,
        organisation: &OrganisationId,
    ) -> CoreResult<OrgDirectory> {
        let (org, remote) = self.remote(organisation).await?;
        let listing = remote
            .directory()
            .await
            .map_err(|e| CoreError::remote(&org.display_name, e))?;
        Ok(shape(organisation.clone(), org.display_name, &listing))
    }
}

fn shape(id: OrganisationId, name: String, listing: &DirectoryListing) -> OrgDirectory {
    let mut practitioners: Vec<DirectoryPractitioner> = listing
        .practitioners
        .iter()
        .filter(|p| p.active != Some(false))
        .filter_map(|p| practitioner(p, &listing.roles))
        .collect();
    practitioners.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let mut locations: Vec<DirectoryLocation> =
        listing.locations.iter().filter_map(location).collect();
    locations.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    OrgDirectory {
        organisation_id: id,
        organisation_name: name,
        practitioners,
        locations,
    }
}

fn practitioner(p: &Practitioner, roles: &[PractitionerRole]) -> Option<DirectoryPractitioner> {
    let id = p.id.clone()?;
    let reference = format!("Practitioner/{id}");
    let name = p
        .name
        .first()
        .map(fhir_model::HumanName::display)
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| reference.clone());
    let mut specialties = Vec::new();
    let mut location_ids = Vec::new();
    let theirs = roles.iter().filter(|r| {
        r.active != Some(false)
            && r.practitioner
                .as_ref()
                .is_some_and(|x| names(x, &reference))
    });
    for role in theirs {
        for label in role.specialty.iter().filter_map(|c| c.label()) {
            if !specialties.iter().any(|s| s == label) {
                specialties.push(label.to_owned());
            }
        }
        for loc in role.location.iter().filter_map(local_reference) {
            if !location_ids.contains(&loc) {
                location_ids.push(loc);
            }
        }
    }
    Some(DirectoryPractitioner {
        id,
        name,
        specialties,
        location_ids,
    })
}

/// Whether `r` points at `local` (`Type/id`), written relative or absolute.
fn names(r: &Reference, local: &str) -> bool {
    local_reference(r).as_deref() == Some(local)
}

/// The last two segments of a reference (`Location/loc-1` from `https://x/fhir/Location/loc-1`).
fn local_reference(r: &Reference) -> Option<String> {
    let text = r.reference.as_deref()?;
    let mut parts = text.trim_end_matches('/').rsplit('/');
    let id = parts.next()?;
    let ty = parts.next()?;
    Some(format!("{ty}/{id}"))
}

fn location(l: &Location) -> Option<DirectoryLocation> {
    let id = format!("Location/{}", l.id.as_deref()?);
    let address = l.address.as_ref().and_then(|a| {
        a.text.clone().or_else(|| {
            let parts: Vec<&str> = a
                .line
                .iter()
                .map(String::as_str)
                .chain(a.city.as_deref())
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        })
    });
    let name = l
        .name
        .clone()
        .or_else(|| address.clone())
        .unwrap_or_else(|| id.clone());
    Some(DirectoryLocation { id, name, address })
}
