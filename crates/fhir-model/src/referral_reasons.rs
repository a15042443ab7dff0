//! Common reasons for referral offered in the desk's pick-list: SNOMED CT findings and disorders
//! and a few ICD-10-CM codes, each with the specialty (SNOMED CT, as in
//! [`crate::terminology::SPECIALTIES`]) that usually sees it. The sandbox ranks `$find` answers by
//! that specialty; the desk only sends the code.

/// ICD-10-CM, the US clinical modification of ICD-10.
pub const ICD10_CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";

/// One reason for referral: its coding and the specialty that usually sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferralReason {
    pub system: &'static str,
    pub code: &'static str,
    pub display: &'static str,
    /// SNOMED CT specialty code (descendant of 394658006).
    pub specialty: &'static str,
}

const fn snomed(
    code: &'static str,
    display: &'static str,
    specialty: &'static str,
) -> ReferralReason {
    ReferralReason {
        system: crate::urls::SNOMED,
        code,
        display,
        specialty,
    }
}

const fn icd10(
    code: &'static str,
    display: &'static str,
    specialty: &'static str,
) -> ReferralReason {
    ReferralReason {
        system: ICD10_CM,
        code,
        display,
        specialty,
    }
}

const DERMATOLOGY: &str = "394582007";
const CARDIOLOGY: &str = "394579002";
const ENDOCRINOLOGY: &str = "394583002";
const GASTROENTEROLOGY: &str = "394584008";
const NEPHROLOGY: &str = "394589003";
const NEUROLOGY: &str = "394591006";
const RHEUMATOLOGY: &str = "394810000";
const PSYCHIATRY: &str = "394587001";
const THORACIC: &str = "394590007";
const ORTHOPEDICS: &str = "394801008";
const GENERAL_PRACTICE: &str = "394814009";

/// The pick-list, in display order (SNOMED CT first, then ICD-10-CM).
pub const REFERRAL_REASONS: [ReferralReason; 24] = [
    snomed("271807003", "Eruption of skin", DERMATOLOGY),
    snomed("9014002", "Psoriasis", DERMATOLOGY),
    snomed("24079001", "Atopic dermatitis", DERMATOLOGY),
    snomed("372130007", "Malignant neoplasm of skin", DERMATOLOGY),
    snomed("29857009", "Chest pain", CARDIOLOGY),
    snomed("49436004", "Atrial fibrillation", CARDIOLOGY),
    snomed("84114007", "Heart failure", CARDIOLOGY),
    snomed("38341003", "Hypertensive disorder", CARDIOLOGY),
    snomed("44054006", "Diabetes mellitus type 2", ENDOCRINOLOGY),
    snomed("40930008", "Hypothyroidism", ENDOCRINOLOGY),
    snomed("21522001", "Abdominal pain", GASTROENTEROLOGY),
    snomed(
        "235595009",
        "Gastroesophageal reflux disease",
        GASTROENTEROLOGY,
    ),
    snomed("709044004", "Chronic kidney disease", NEPHROLOGY),
    snomed("25064002", "Headache", NEUROLOGY),
    snomed("230690007", "Cerebrovascular accident", NEUROLOGY),
    snomed("69896004", "Rheumatoid arthritis", RHEUMATOLOGY),
    snomed("35489007", "Depressive disorder", PSYCHIATRY),
    snomed("13645005", "Chronic obstructive lung disease", THORACIC),
    snomed("396275006", "Osteoarthritis", ORTHOPEDICS),
    snomed("161891005", "Backache", ORTHOPEDICS),
    icd10("R07.9", "Chest pain, unspecified", CARDIOLOGY),
    icd10("I10", "Essential (primary) hypertension", CARDIOLOGY),
    icd10("L40.0", "Psoriasis vulgaris", DERMATOLOGY),
    icd10(
        "Z09",
        "Encounter for follow-up examination after completed treatment for conditions other than malignant neoplasm",
        GENERAL_PRACTICE,
    ),
];

/// The reason with this `system` and `code`, if the pick-list has it.
pub fn referral_reason(system: &str, code: &str) -> Option<&'static ReferralReason> {
    REFERRAL_REASONS
        .iter()
        .find(|r| r.system == system && r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminology::SPECIALTIES;

    #[test]
    fn every_reason_is_unique_and_points_at_an_offered_specialty() {
        let mut keys: Vec<_> = REFERRAL_REASONS
            .iter()
            .map(|r| (r.system, r.code))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(
            keys.len(),
            REFERRAL_REASONS.len(),
            "a reason is listed twice"
        );
        for r in &REFERRAL_REASONS {
            assert!(
                SPECIALTIES.find(r.specialty).is_some(),
                "{} points at specialty {} that the desk does not offer",
                r.code,
                r.specialty
            );
        }
        assert_eq!(
            referral_reason(crate::urls::SNOMED, "9014002").map(|r| r.display),
            Some("Psoriasis")
        );
        assert!(
            referral_reason(ICD10_CM, "9014002").is_none(),
            "codes are per system"
        );
    }
}
