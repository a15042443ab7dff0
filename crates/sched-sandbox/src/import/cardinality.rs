//! Which FHIR STU3 elements repeat (0..*), for turning XML (which does not say) into JSON
//! arrays. Covers the resources seed bundles carry; an element seen twice under one parent is an
//! array anyway.

/// Whether element `name` under `parent` (a resource type or the parent element's name) has
/// cardinality 0..* in STU3, for the resources seed bundles carry.
pub(crate) fn repeats(parent: &str, name: &str) -> bool {
    const ALWAYS: [&str; 42] = [
        "extension",
        "modifierExtension",
        "contained",
        "coding",
        "given",
        "prefix",
        "suffix",
        "line",
        "telecom",
        "profile",
        "tag",
        "security",
        "specialty",
        "serviceType",
        "participant",
        "entry",
        "link",
        "issue",
        "expression",
        "parameter",
        "part",
        "payor",
        "contract",
        "alias",
        "endpoint",
        "healthcareService",
        "availableTime",
        "notAvailable",
        "daysOfWeek",
        "qualification",
        "communication",
        "photo",
        "generalPractitioner",
        "reason",
        "indication",
        "supportingInformation",
        "slot",
        "incomingReferral",
        "requestedPeriod",
        "coverageArea",
        "characteristic",
        "referralMethod",
    ];
    if ALWAYS.contains(&name) {
        return true;
    }
    let people = ["Practitioner", "Patient", "RelatedPerson", "Person"];
    match name {
        // Resource identifiers repeat; Reference.identifier does not.
        "identifier" => parent
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase()),
        "name" => people.contains(&parent),
        "address" => people.contains(&parent) || parent == "Organization",
        "type" => matches!(parent, "Organization" | "HealthcareService" | "participant"),
        "code" => parent == "PractitionerRole",
        "location" => matches!(parent, "PractitionerRole" | "HealthcareService" | "issue"),
        "actor" => parent == "Schedule",
        "contact" => matches!(parent, "Organization" | "Patient" | "HealthcareService"),
        "serviceProvisionCode" | "programName" => parent == "HealthcareService",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::repeats;

    #[test]
    fn context_decides_for_shared_names() {
        assert!(repeats("Practitioner", "name") && !repeats("Organization", "name"));
        assert!(repeats("Organization", "type") && !repeats("Location", "type"));
        assert!(repeats("Schedule", "actor") && !repeats("participant", "actor"));
        assert!(repeats("Slot", "identifier") && !repeats("actor", "identifier"));
        assert!(repeats("PractitionerRole", "code") && !repeats("coding", "code"));
        assert!(repeats("whatever", "coding") && repeats("name", "given"));
    }
}
