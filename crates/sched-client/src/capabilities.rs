//! What an organisation offers, read from its CapabilityStatement (`GET [base]/metadata`), so an
//! interaction it lacks is reported as unsupported instead of being attempted.

use std::collections::BTreeSet;

use fhir_model::CapabilityStatement;
use fhir_model::urls::{self, MIME_FHIR_JSON, MIME_JSON_PATCH};

use crate::error::ClientError;

/// The interactions this client performs, named for messages and capability checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interaction {
    SearchPatients,
    MatchPatient,
    CreatePatient,
    CreateCoverage,
    UpdateCoverage,
    FindAppointments,
    HoldAppointment,
    BookAppointment,
    CancelAppointment,
    ReadAppointment,
    SearchAppointments,
    PrefetchSlots,
    ReadCapabilities,
    CreateReferralRequest,
    /// `GET Practitioner?` (the organisation's practitioners, for pick-lists).
    SearchPractitioners,
    /// `GET PractitionerRole?` (who works where, in which specialty).
    SearchPractitionerRoles,
    /// `GET Location?`.
    SearchLocations,
    /// `GET Slot?` (plain R4 and Oracle availability).
    SearchSlots,
    /// `PATCH`/`PUT Slot` (plain R4 and Oracle holds).
    UpdateSlots,
    /// `POST Appointment` (plain R4 and Oracle booking).
    CreateAppointment,
    /// `POST Task` with `If-None-Exist` (claiming a home order).
    ClaimOrder,
    /// `PUT Task/[id]` with `If-Match` (updating a claim on a home order).
    UpdateClaim,
}

impl Interaction {
    /// A phrase that completes "this organisation does not offer ...".
    pub fn describe(self) -> &'static str {
        match self {
            Self::SearchPatients => "patient search",
            Self::MatchPatient => "patient matching ($match)",
            Self::CreatePatient => "patient registration",
            Self::CreateCoverage => "coverage registration",
            Self::UpdateCoverage => "coverage updates",
            Self::FindAppointments => "appointment search ($find)",
            Self::HoldAppointment => "holds ($hold)",
            Self::BookAppointment => "booking ($book)",
            Self::CancelAppointment => "cancelling appointments (PATCH)",
            Self::ReadAppointment => "reading appointments",
            Self::SearchAppointments => "appointment lists",
            Self::PrefetchSlots => "slot prefetch ($prefetch)",
            Self::ReadCapabilities => "a CapabilityStatement",
            Self::CreateReferralRequest => "referral requests (ReferralRequest)",
            Self::SearchPractitioners => "a practitioner directory",
            Self::SearchPractitionerRoles => "practitioner roles",
            Self::SearchLocations => "a location directory",
            Self::SearchSlots => "slot search",
            Self::UpdateSlots => "holding slots (Slot update)",
            Self::CreateAppointment => "booking (Appointment create)",
            Self::ClaimOrder => "claiming orders (Task create)",
            Self::UpdateClaim => "updating claims (Task update)",
        }
    }
}

/// How the server accepts PATCH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchFormat {
    /// RFC 6902, `application/json-patch+json`.
    JsonPatch,
    /// FHIRPath Patch: a Parameters resource sent as `application/fhir+json`.
    FhirPathPatch,
}

/// The parts of a CapabilityStatement the client acts on.
#[derive(Debug, Clone)]
pub struct Capabilities {
    /// `fhirVersion` as declared (e.g. "3.0.1", "4.0.1").
    pub fhir_version: Option<String>,
    /// Declared operations without `$` ("find", "hold", "book", "prefetch", "match", ...).
    pub operations: BTreeSet<String>,
    /// Declared `patchFormat` media types.
    pub patch_formats: Vec<String>,
    /// The statement itself.
    pub statement: CapabilityStatement,
}

/// The operations the IG defines, with their OperationDefinition canonical URLs, so a server
/// that names an operation differently but points at the IG's definition is still recognised.
const KNOWN_OPS: [(&str, &str); 4] = [
    ("find", urls::OPDEF_FIND),
    ("hold", urls::OPDEF_HOLD),
    ("book", urls::OPDEF_BOOK),
    ("prefetch", urls::OPDEF_PREFETCH),
];

impl Capabilities {
    /// Reads what the statement declares.
    pub fn from_statement(statement: CapabilityStatement) -> Self {
        let mut operations = BTreeSet::new();
        if let Some(rest) = statement.server_rest() {
            for op in &rest.operation {
                operations.insert(op.name.trim_start_matches('$').to_owned());
                let def = op.definition.reference.as_deref().unwrap_or("");
                operations.extend(
                    KNOWN_OPS
                        .iter()
                        .filter(|(_, u)| *u == def)
                        .map(|(n, _)| (*n).to_owned()),
                );
            }
            let r4_ops = rest.resource.iter().flat_map(|r| &r.operation);
            for op in r4_ops {
                if let Some(name) = op.get("name").and_then(serde_json::Value::as_str) {
                    operations.insert(name.trim_start_matches('$').to_owned());
                }
                let def = op
                    .get("definition")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("");
                operations.extend(
                    KNOWN_OPS
                        .iter()
                        .filter(|(_, u)| *u == def)
                        .map(|(n, _)| (*n).to_owned()),
                );
            }
        }
        Self {
            fhir_version: statement.fhir_version.clone(),
            operations,
            patch_formats: statement.patch_format.clone(),
            statement,
        }
    }

    /// Whether the server declares operation `name` (without `$`).
    pub fn has_operation(&self, name: &str) -> bool {
        self.operations.contains(name)
    }

    /// Whether any declared operation's definition canonical contains `fragment` (system and
    /// resource level).
    pub fn has_operation_definition_containing(&self, fragment: &str) -> bool {
        let Some(rest) = self.statement.server_rest() else {
            return false;
        };
        let system = rest
            .operation
            .iter()
            .filter_map(|op| op.definition.reference.as_deref());
        let resource = rest
            .resource
            .iter()
            .flat_map(|r| &r.operation)
            .filter_map(|op| op.get("definition").and_then(serde_json::Value::as_str));
        system.chain(resource).any(|d| d.contains(fragment))
    }

    /// The patch format to use: JSON Patch when declared, else FHIRPath Patch.
    pub fn patch_format(&self) -> Option<PatchFormat> {
        let declared = |mime: &str| {
            self.patch_formats.iter().any(|f| {
                f.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case(mime))
            })
        };
        if declared(MIME_JSON_PATCH) {
            Some(PatchFormat::JsonPatch)
        } else if declared(MIME_FHIR_JSON) || declared("application/fhirpath-patch+fhirpath") {
            // The IG's statement names FHIRPath Patch with a made-up media type; the body is
            // still a Parameters resource in FHIR JSON.
            Some(PatchFormat::FhirPathPatch)
        } else {
            None
        }
    }

    /// Whether the statement declares `interaction` on `resource_type`.
    fn has_interaction(&self, resource_type: &str, interaction: &str) -> bool {
        self.statement
            .supports_interaction(resource_type, interaction)
    }

    /// Whether the organisation offers `what`.
    pub fn offers(&self, what: Interaction) -> bool {
        match what {
            Interaction::SearchPatients => self.has_interaction("Patient", "search-type"),
            Interaction::MatchPatient => self.has_operation("match"),
            Interaction::CreatePatient => self.has_interaction("Patient", "create"),
            Interaction::CreateCoverage => self.has_interaction("Coverage", "create"),
            Interaction::UpdateCoverage => self.has_interaction("Coverage", "update"),
            Interaction::FindAppointments => self.has_operation("find"),
            Interaction::HoldAppointment => self.has_operation("hold"),
            Interaction::BookAppointment => self.has_operation("book"),
            Interaction::CancelAppointment => {
                self.has_interaction("Appointment", "patch") && self.patch_format().is_some()
            }
            Interaction::ReadAppointment => self.has_interaction("Appointment", "read"),
            Interaction::SearchAppointments => self.has_interaction("Appointment", "search-type"),
            Interaction::PrefetchSlots => self.has_operation("prefetch"),
            Interaction::CreateReferralRequest => self.has_interaction("ReferralRequest", "create"),
            Interaction::ReadCapabilities => true,
            Interaction::SearchPractitioners => self.has_interaction("Practitioner", "search-type"),
            Interaction::SearchPractitionerRoles => {
                self.has_interaction("PractitionerRole", "search-type")
            }
            Interaction::SearchLocations => self.has_interaction("Location", "search-type"),
            Interaction::SearchSlots => self.has_interaction("Slot", "search-type"),
            Interaction::UpdateSlots => {
                self.has_interaction("Slot", "patch") || self.has_interaction("Slot", "update")
            }
            Interaction::CreateAppointment => self.has_interaction("Appointment", "create"),
            Interaction::ClaimOrder => self.has_interaction("Task", "create"),
            Interaction::UpdateClaim => self.has_interaction("Task", "update"),
        }
    }

    /// `Ok` when offered, else [`ClientError::Unsupported`].
    pub fn require(&self, what: Interaction) -> Result<(), ClientError> {
        if self.offers(what) {
            Ok(())
        } else {
            Err(ClientError::Unsupported { interaction: what })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(json: serde_json::Value) -> Capabilities {
        Capabilities::from_statement(serde_json::from_value(json).unwrap())
    }

    #[test]
    fn operations_are_found_by_name_by_definition_url_and_per_resource() {
        let c = caps(serde_json::json!({
            "resourceType": "CapabilityStatement", "fhirVersion": "3.0.1",
            "patchFormat": ["application/xml-patch+xml", "application/fhirpath-patch+fhirpath"],
            "rest": [{"mode": "server",
                "resource": [{"type": "Appointment", "interaction": [{"code": "patch"}],
                    "operation": [{"name": "$book", "definition": "http://x/OperationDefinition/b"}]}],
                "operation": [{"name": "appointment-availability", "definition": {"reference": urls::OPDEF_FIND}}]}]
        }));
        assert!(
            c.offers(Interaction::FindAppointments),
            "recognised by the IG's definition URL"
        );
        assert!(
            c.offers(Interaction::BookAppointment),
            "R4-style per-resource operation"
        );
        assert!(!c.offers(Interaction::HoldAppointment));
        assert_eq!(
            c.patch_format(),
            Some(PatchFormat::FhirPathPatch),
            "the IG's made-up FHIRPath media type"
        );
        assert!(c.offers(Interaction::CancelAppointment));
        assert!(
            !c.offers(Interaction::CreatePatient),
            "Patient is not declared at all"
        );
    }

    #[test]
    fn json_patch_is_preferred_and_no_patch_format_means_no_cancel() {
        let mut c = caps(serde_json::json!({"resourceType": "CapabilityStatement",
            "patchFormat": ["application/fhir+json", "application/json-patch+json; charset=utf-8"],
            "rest": [{"mode": "server", "resource": [{"type": "Appointment", "interaction": [{"code": "patch"}]}]}]}));
        assert_eq!(c.patch_format(), Some(PatchFormat::JsonPatch));
        c.patch_formats.clear();
        assert_eq!(c.patch_format(), None);
        assert!(c.require(Interaction::CancelAppointment).is_err());
    }
}
