//! Canonical URLs of the profiles, extensions and code systems the IG and the app use.

/// Base of the Argonaut Scheduling IG canonical URLs.
pub const ARGO_BASE: &str = "http://fhir.org/guides/argonaut-scheduling";
pub const PROFILE_ARGO_APPT: &str =
    "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/argo-appt";
pub const PROFILE_AVAIL_BUNDLE: &str =
    "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/avail-bundle";
pub const PROFILE_ARGO_COVERAGE: &str =
    "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/argo-coverage";
pub const PROFILE_PREFETCH_SLOT: &str =
    "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/prefetch-slot";
pub const PROFILE_SLOT_BUNDLE: &str =
    "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/slot-bundle";
/// Extension carrying the reason for an Appointment's status (STU3 has no cancelationReason).
pub const EXT_STATUS_REASON: &str =
    "http://fhir.org/guides/argonaut-scheduling/StructureDefinition/extension-status-reason";
pub const CS_VISIT_TYPE: &str = "http://fhir.org/guides/argonaut-scheduling/CodeSystem/visit-type";
pub const CS_APPT_TYPE: &str = "http://fhir.org/guides/argonaut-scheduling/CodeSystem/appt-type";
pub const CS_STATUS_REASON: &str =
    "http://fhir.org/guides/argonaut-scheduling/CodeSystem/status-reason";
pub const CS_V2_0276: &str = "http://hl7.org/fhir/v2/0276";
pub const OPDEF_FIND: &str =
    "http://fhir.org/guides/argonaut-scheduling/OperationDefinition/appointment-find";
pub const OPDEF_HOLD: &str =
    "http://fhir.org/guides/argonaut-scheduling/OperationDefinition/appointment-hold";
pub const OPDEF_BOOK: &str =
    "http://fhir.org/guides/argonaut-scheduling/OperationDefinition/appointment-book";
pub const OPDEF_PREFETCH: &str =
    "http://fhir.org/guides/argonaut-scheduling/OperationDefinition/slot-prefetch";
pub const SNOMED: &str = "http://snomed.info/sct";
/// US National Provider Identifier (the connectathon data misspells it, see `NPI_MISSPELT`).
pub const NPI: &str = "http://hl7.org/fhir/sid/us-npi";
pub const NPI_MISSPELT: &str = "http://hl7.org.fhir/sid/us-npi";
/// HL7 v2 table 0203 identifier types (MR = medical record number).
pub const V2_0203: &str = "http://hl7.org/fhir/v2/0203";
/// SMART on FHIR extension in CapabilityStatement.rest.security listing the OAuth endpoints.
pub const EXT_OAUTH_URIS: &str =
    "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
/// Extension on Patient/$match results grading the match.
pub const EXT_MATCH_GRADE: &str = "http://hl7.org/fhir/StructureDefinition/match-grade";
/// Coverage type code system (STU3 ActCode).
pub const ACT_CODE: &str = "http://hl7.org/fhir/v3/ActCode";
/// Policy holder relationship code system (STU3).
pub const POLICYHOLDER_RELATIONSHIP: &str = "http://hl7.org/fhir/policyholder-relationship";

/// FHIR media type for JSON.
pub const MIME_FHIR_JSON: &str = "application/fhir+json";
/// JSON Patch media type.
pub const MIME_JSON_PATCH: &str = "application/json-patch+json";
