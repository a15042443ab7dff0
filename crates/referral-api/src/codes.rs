//! Code tables offered in pick-lists (specialties, visit types, cancel reasons, priorities).
//! The codes live in fhir-model's `terminology`; [`code_tables`] carries them to the UI, so the
//! shell's `code_tables` command is one line.

use fhir_model::terminology::{self, CodeTable};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// FHIR `request-priority`, the referral's priority (not an Argonaut table).
pub const PRIORITY_SYSTEM: &str = "http://hl7.org/fhir/request-priority";
const PRIORITIES: [(&str, &str); 4] = [
    ("routine", "Routine"),
    ("urgent", "Urgent"),
    ("asap", "As soon as possible"),
    ("stat", "Immediately (stat)"),
];

/// One coded choice: what is sent (`system|code`) and what is shown (`display`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CodeOption {
    pub system: String,
    pub code: String,
    pub display: String,
}

/// `code_tables` request: no parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CodeTablesRequest {}

/// Every pick-list the UI shows, each in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CodeTables {
    /// Argonaut `ValueSet/specialty` (SNOMED CT clinical specialties).
    pub specialties: Vec<CodeOption>,
    /// Argonaut `CodeSystem/visit-type`.
    pub visit_types: Vec<CodeOption>,
    /// Argonaut `CodeSystem/status-reason`, used as the cancel reason.
    pub cancel_reasons: Vec<CodeOption>,
    /// Referral priorities (routine, urgent, asap, stat).
    pub priorities: Vec<CodeOption>,
    /// Common reasons for referral (SNOMED CT and ICD-10-CM).
    pub referral_reasons: Vec<CodeOption>,
}

fn options(table: &CodeTable) -> Vec<CodeOption> {
    table
        .codes
        .iter()
        .map(|c| CodeOption {
            system: table.system.to_owned(),
            code: c.code.to_owned(),
            display: c.display.to_owned(),
        })
        .collect()
}

/// The referral-reason pick-list (fhir-model's `referral_reasons`).
pub fn referral_reasons() -> Vec<CodeOption> {
    fhir_model::referral_reasons::REFERRAL_REASONS
        .iter()
        .map(|r| CodeOption {
            system: r.system.to_owned(),
            code: r.code.to_owned(),
            display: r.display.to_owned(),
        })
        .collect()
}

/// Every pick-list, from our own tables.
pub fn code_tables() -> CodeTables {
    CodeTables {
        specialties: options(&terminology::SPECIALTIES),
        visit_types: options(&terminology::VISIT_TYPES),
        cancel_reasons: options(&terminology::CANCEL_REASONS),
        priorities: PRIORITIES
            .iter()
            .map(|(code, display)| CodeOption {
                system: PRIORITY_SYSTEM.to_owned(),
                code: (*code).to_owned(),
                display: (*display).to_owned(),
            })
            .collect(),
        referral_reasons: referral_reasons(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_carry_the_ig_codes_with_their_systems() {
        let t = code_tables();
        assert_eq!(
            t.visit_types.len(),
            41,
            "the IG's visit-type code system has 41 codes"
        );
        assert_eq!(
            t.cancel_reasons.len(),
            32,
            "the IG's status-reason code system has 32 codes"
        );
        let mri = t.visit_types.iter().find(|c| c.code == "mri");
        assert!(mri.is_some_and(|c| c.system.ends_with("CodeSystem/visit-type")));
        assert!(
            t.specialties.iter().any(|c| c.code == "394582007"),
            "dermatology"
        );
        assert_eq!(
            t.priorities.first().map(|c| c.code.as_str()),
            Some("routine")
        );
        assert!(t.specialties.iter().all(|c| !c.display.is_empty()));
        assert!(
            t.referral_reasons.len() >= 20,
            "about twenty common reasons"
        );
        assert!(
            t.referral_reasons
                .iter()
                .any(|c| c.system == "http://hl7.org/fhir/sid/icd-10-cm" && c.code == "I10")
        );
    }
}
