//! The directory of one organisation in memory: who and what can be booked, where, for which
//! specialty and visit type. Built once from the stored resources; `$find` and `$prefetch`
//! match their actor parameters against it without touching the database.

use std::collections::HashMap;

use fhir_model::{
    CodeableConcept, HealthcareService, Location, Organization, PractitionerRole, Reference,
    Schedule, split_reference,
};
use rusqlite::Connection;

use crate::error::StoreError;
use crate::store::list_resources;

/// What a schedule books, with every actor resolved.
#[derive(Debug, Clone, Default)]
pub struct ScheduleInfo {
    pub id: String,
    /// `Practitioner/x`, `HealthcareService/x`, `Location/x`, `Organization/x`.
    pub practitioner: Option<String>,
    pub service: Option<String>,
    pub location: Option<String>,
    pub organization: Option<String>,
    /// Participants of an appointment on this schedule (with displays).
    pub actors: Vec<Reference>,
    pub specialty: Vec<CodeableConcept>,
    pub service_type: Vec<CodeableConcept>,
    /// Lowercased address strings of the location and organisation (`location-string`).
    pub address: Vec<String>,
}

/// The directory: schedules resolved, plus names for displays.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub schedules: Vec<ScheduleInfo>,
}

fn load<T: serde::de::DeserializeOwned>(
    c: &Connection,
    org: &str,
    ty: &str,
) -> Result<Vec<T>, StoreError> {
    list_resources(c, org, ty)?
        .into_iter()
        .map(|r| Ok(serde_json::from_str(&r.json)?))
        .collect()
}

/// `Type/id` of a reference, dropping any base URL.
pub fn local_ref(r: &Reference) -> Option<String> {
    r.local().map(|(t, id)| format!("{t}/{id}"))
}

/// `Type/id` of reference text (relative or absolute).
pub fn local_text(text: &str) -> Option<String> {
    split_reference(text).map(|(t, id)| format!("{t}/{id}"))
}

impl Directory {
    /// Reads schedules, roles, services, locations and organisations of `org`.
    pub fn load(c: &Connection, org: &str) -> Result<Self, StoreError> {
        let schedules: Vec<Schedule> = load(c, org, "Schedule")?;
        let roles: Vec<PractitionerRole> = load(c, org, "PractitionerRole")?;
        let services: Vec<HealthcareService> = load(c, org, "HealthcareService")?;
        let locations: Vec<Location> = load(c, org, "Location")?;
        let orgs: Vec<Organization> = load(c, org, "Organization")?;
        let loc_by_id: HashMap<String, &Location> = locations
            .iter()
            .filter_map(|l| Some((format!("Location/{}", l.id.as_deref()?), l)))
            .collect();
        let org_by_id: HashMap<String, &Organization> = orgs
            .iter()
            .filter_map(|o| Some((format!("Organization/{}", o.id.as_deref()?), o)))
            .collect();
        let home_org = orgs
            .iter()
            .find(|o| o.type_.iter().any(|t| t.has_code(None, "prov")))
            .or(orgs.first())
            .and_then(|o| o.id.clone())
            .map(|id| format!("Organization/{id}"));
        let ctx = Ctx {
            roles: &roles,
            services: &services,
            loc_by_id: &loc_by_id,
            org_by_id: &org_by_id,
            home_org,
        };
        Ok(Self {
            schedules: schedules.iter().filter_map(|s| ctx.resolve(s)).collect(),
        })
    }

    /// The schedule with this id.
    pub fn schedule(&self, id: &str) -> Option<&ScheduleInfo> {
        self.schedules.iter().find(|s| s.id == id)
    }
}

struct Ctx<'a> {
    roles: &'a [PractitionerRole],
    services: &'a [HealthcareService],
    loc_by_id: &'a HashMap<String, &'a Location>,
    org_by_id: &'a HashMap<String, &'a Organization>,
    home_org: Option<String>,
}

impl Ctx<'_> {
    /// The actor reference, with the Location's name as display when the schedule gave none
    /// (clients show the display; a bare `Location/loc-1` means nothing to a clinician).
    fn with_location_name(&self, actor: &Reference) -> Reference {
        let name = local_ref(actor)
            .and_then(|r| self.loc_by_id.get(&r))
            .and_then(|l| l.name.clone());
        match (&actor.display, name) {
            (None, Some(name)) => Reference {
                display: Some(name),
                ..actor.clone()
            },
            _ => actor.clone(),
        }
    }

    fn resolve(&self, s: &Schedule) -> Option<ScheduleInfo> {
        let mut info = ScheduleInfo {
            id: s.id.clone()?,
            actors: s.actor.iter().map(|a| self.with_location_name(a)).collect(),
            specialty: s.specialty.clone(),
            service_type: s.service_type.clone(),
            ..ScheduleInfo::default()
        };
        for a in &s.actor {
            let Some(r) = local_ref(a) else { continue };
            match r.split('/').next() {
                Some("Practitioner") => info.practitioner = Some(r),
                Some("HealthcareService") => info.service = Some(r),
                Some("Location") => info.location = Some(r),
                Some("PractitionerRole") => self.apply_role(&r, &mut info),
                _ => {}
            }
        }
        self.fill_from_roles(&mut info);
        self.fill_from_service(&mut info);
        let loc = info.location.as_ref().and_then(|l| self.loc_by_id.get(l));
        if info.organization.is_none() {
            info.organization = loc
                .and_then(|l| l.managing_organization.as_ref())
                .and_then(local_ref)
                .or_else(|| self.home_org.clone());
        }
        if let Some(l) = loc {
            info.address.extend(
                l.address
                    .iter()
                    .flat_map(|a| a.strings())
                    .map(str::to_lowercase),
            );
        }
        if let Some(o) = info
            .organization
            .as_ref()
            .and_then(|o| self.org_by_id.get(o))
        {
            info.address.extend(
                o.address
                    .iter()
                    .flat_map(|a| a.strings())
                    .map(str::to_lowercase),
            );
        }
        Some(info)
    }

    fn apply_role(&self, role_ref: &str, info: &mut ScheduleInfo) {
        let id = role_ref.trim_start_matches("PractitionerRole/");
        if let Some(role) = self.roles.iter().find(|r| r.id.as_deref() == Some(id)) {
            info.practitioner = role.practitioner.as_ref().and_then(local_ref);
            info.location = info
                .location
                .take()
                .or_else(|| role.location.first().and_then(local_ref));
        }
    }

    /// Specialties and organisation from the practitioner's roles.
    fn fill_from_roles(&self, info: &mut ScheduleInfo) {
        let Some(p) = info.practitioner.clone() else {
            return;
        };
        for role in self
            .roles
            .iter()
            .filter(|r| r.practitioner.as_ref().and_then(local_ref).as_deref() == Some(p.as_str()))
        {
            for sp in &role.specialty {
                if !info.specialty.contains(sp) {
                    info.specialty.push(sp.clone());
                }
            }
            if info.organization.is_none() {
                info.organization = role.organization.as_ref().and_then(local_ref);
            }
            if info.location.is_none() {
                info.location = role.location.first().and_then(local_ref);
            }
        }
    }

    fn fill_from_service(&self, info: &mut ScheduleInfo) {
        let Some(svc) = info.service.clone() else {
            return;
        };
        let id = svc.trim_start_matches("HealthcareService/");
        if let Some(s) = self.services.iter().find(|s| s.id.as_deref() == Some(id)) {
            info.organization = info
                .organization
                .take()
                .or_else(|| s.provided_by.as_ref().and_then(local_ref));
            info.location = info
                .location
                .take()
                .or_else(|| s.location.first().and_then(local_ref));
            for t in &s.type_ {
                if !info.service_type.contains(t) {
                    info.service_type.push(t.clone());
                }
            }
        }
    }
}

pub use fhir_model::terminology::visit_minutes;
