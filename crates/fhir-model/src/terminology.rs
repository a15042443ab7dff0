//! Code tables Referral Desk offers in pick-lists and the sandbox uses in its seed: visit types,
//! specialties, cancel (status) reasons and appointment types. The codes are the IG's (and
//! SNOMED CT's); the display labels are ours, written for the people who pick them.

use crate::{CodeableConcept, Token, urls};

/// One code of a table with the label we show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub display: &'static str,
}

impl Code {
    const fn new(code: &'static str, display: &'static str) -> Self {
        Self { code, display }
    }
}

/// A code table: its code system and codes.
#[derive(Debug, Clone, Copy)]
pub struct CodeTable {
    pub system: &'static str,
    pub codes: &'static [Code],
}

impl CodeTable {
    /// The entry for `code`, if the table has it.
    pub fn find(&self, code: &str) -> Option<&'static Code> {
        self.codes.iter().find(|c| c.code == code)
    }

    /// A CodeableConcept for `code` with our display (or the bare code when unknown).
    pub fn concept(&self, code: &str) -> CodeableConcept {
        let display = self.find(code).map_or("", |c| c.display);
        CodeableConcept::coded(self.system, code, display)
    }

    /// The search token `system|code`.
    pub fn token(&self, code: &str) -> Token {
        Token::new(self.system, code)
    }
}

/// Argonaut visit types (Appointment.serviceType, `$find` visit-type).
pub const VISIT_TYPES: CodeTable = CodeTable {
    system: urls::CS_VISIT_TYPE,
    codes: &VISIT_TYPE_CODES,
};
/// Clinical specialties (SNOMED CT descendants of 394658006) offered for referrals.
pub const SPECIALTIES: CodeTable = CodeTable {
    system: urls::SNOMED,
    codes: &SPECIALTY_CODES,
};
/// Argonaut status reasons, used as cancel reasons.
pub const CANCEL_REASONS: CodeTable = CodeTable {
    system: urls::CS_STATUS_REASON,
    codes: &STATUS_REASON_CODES,
};
/// Argonaut appointment types.
pub const APPOINTMENT_TYPES: CodeTable = CodeTable {
    system: urls::CS_APPT_TYPE,
    codes: &APPT_TYPE_CODES,
};
/// HL7 v2 table 0276 appointment types (also allowed by the IG's appt-type value set).
pub const V2_APPOINTMENT_TYPES: CodeTable = CodeTable {
    system: urls::CS_V2_0276,
    codes: &V2_APPT_TYPE_CODES,
};

/// Minutes a visit of this Argonaut visit type takes: how many consecutive slots a desk needs
/// when it builds proposals from Slots (plain R4, Oracle), and how long the sandbox's visits are.
pub fn visit_minutes(code: Option<&str>) -> i64 {
    match code {
        Some("mri") => 60,
        Some("ct" | "ultrasound" | "new-patient" | "consult" | "physical" | "procedure") => 30,
        _ => 15,
    }
}

/// The 41 codes of the Argonaut visit-type code system.
pub const VISIT_TYPE_CODES: [Code; 41] = [
    Code::new("breast-imaging", "Breast imaging"),
    Code::new("consult", "Consultation"),
    Code::new("ct", "CT scan"),
    Code::new("dental", "Dental"),
    Code::new("dxa", "DXA (bone density) scan"),
    Code::new("echo", "Echocardiography"),
    Code::new("echo-stresstest", "Echocardiography stress test"),
    Code::new("ed-followup", "Education follow-up"),
    Code::new("eeg", "EEG"),
    Code::new("egd", "EGD (upper endoscopy)"),
    Code::new("ekg", "EKG"),
    Code::new("evaluation", "Evaluation"),
    Code::new("flu-shot-clinic", "Influenza vaccination clinic"),
    Code::new("fluoroscopy", "Fluoroscopy"),
    Code::new("follow-up", "Follow-up"),
    Code::new("home-health", "Home health visit"),
    Code::new("injection", "Injection"),
    Code::new("inter-rad", "Interventional radiology"),
    Code::new("lab", "Laboratory tests"),
    Code::new("minor-surgery", "Minor surgery"),
    Code::new("mri", "MRI"),
    Code::new("new-patient", "New patient"),
    Code::new("nuc-med", "Nuclear medicine"),
    Code::new("occup-therapy", "Occupational therapy"),
    Code::new("office-visit", "Office visit"),
    Code::new("physical", "Physical"),
    Code::new("post-op", "Post-operative"),
    Code::new("pre-admit-testing", "Pre-admission testing"),
    Code::new("pre-op", "Pre-operative"),
    Code::new("procedure", "Procedure"),
    Code::new("same-day", "Same day"),
    Code::new("stress-test", "Stress test"),
    Code::new("surgery", "Surgery"),
    Code::new("treatment", "Treatment"),
    Code::new("ultrasound", "Ultrasound"),
    Code::new("urgent", "Urgent"),
    Code::new("vaccine", "Vaccination"),
    Code::new("vision", "Vision"),
    Code::new("walk-in", "Walk-in"),
    Code::new("well-child", "Well child"),
    Code::new("x-ray", "X-ray"),
];

/// Specialties most referrals go to.
pub const SPECIALTY_CODES: [Code; 25] = [
    Code::new("419772000", "Family practice"),
    Code::new("394814009", "General practice"),
    Code::new("394802001", "General medicine"),
    Code::new("394537008", "Pediatrics"),
    Code::new("394582007", "Dermatology"),
    Code::new("394579002", "Cardiology"),
    Code::new("394583002", "Endocrinology"),
    Code::new("394584008", "Gastroenterology"),
    Code::new("394589003", "Nephrology"),
    Code::new("394591006", "Neurology"),
    Code::new("394593009", "Medical oncology"),
    Code::new("394585009", "Obstetrics and gynecology"),
    Code::new("394594003", "Ophthalmology"),
    Code::new("394604002", "Ear, nose and throat surgery"),
    Code::new("394801008", "Trauma and orthopedics"),
    Code::new("394609007", "General surgery"),
    Code::new("394612005", "Urology"),
    Code::new("394810000", "Rheumatology"),
    Code::new("394587001", "Psychiatry"),
    Code::new("394590007", "Thoracic medicine"),
    Code::new("394602003", "Rehabilitation"),
    Code::new("394734003", "Radiological specialties"),
    Code::new("394649004", "Nuclear medicine"),
    Code::new("394811001", "Geriatric medicine"),
    Code::new("394576009", "Accident and emergency"),
];

/// The 32 codes of the Argonaut status-reason code system (`room-unavial` is the IG's spelling).
pub const STATUS_REASON_CODES: [Code; 32] = [
    Code::new("abnormal-results", "Test results out of range"),
    Code::new("cms-auth", "Therapy cap: service not authorised"),
    Code::new("deceased", "Patient deceased"),
    Code::new("discharged", "Patient discharged"),
    Code::new("disgruntled", "Patient unhappy"),
    Code::new("equip-unavail", "Equipment not available"),
    Code::new("financial", "Financial reasons"),
    Code::new("hospitalized", "Patient hospitalised"),
    Code::new("improper-iv", "Improper IV access"),
    Code::new("improved", "Patient feeling better"),
    Code::new("interpreter-unavail", "Interpreter not available"),
    Code::new("meeting", "Provider in education or meeting"),
    Code::new("moved", "Patient moved"),
    Code::new("needs-tests", "Patient needs tests first"),
    Code::new("new-provider", "Patient changed provider"),
    Code::new("no-show", "Patient did not attend"),
    Code::new("other", "Other"),
    Code::new("patient-cancel", "Cancelled by the patient"),
    Code::new("personal", "Provider personal reason"),
    Code::new("plan-changes", "Treatment plan changed"),
    Code::new("pregnant", "Patient pregnant"),
    Code::new("prep-incomplete", "Preparation or medication incomplete"),
    Code::new(
        "prep-unavail",
        "Preparation, medication or results unavailable",
    ),
    Code::new("refused", "Patient refused procedure"),
    Code::new("room-unavial", "Room or location not available"),
    Code::new("scheduling-error", "Scheduling error"),
    Code::new("staff-cancel", "Cancelled by staff"),
    Code::new("terminated", "Patient membership terminated"),
    Code::new("transportation", "Patient lacked transport"),
    Code::new("wait-list", "Scheduled from the wait list"),
    Code::new("walk-in-error", "Walk-in error"),
    Code::new("weather", "Weather"),
];

/// The Argonaut appt-type code system.
pub const APPT_TYPE_CODES: [Code; 5] = [
    Code::new("new-patient", "New patient"),
    Code::new("post-op", "Post-op"),
    Code::new("pre-op", "Pre-op"),
    Code::new("same-day", "Same day"),
    Code::new("urgent", "Urgent"),
];

/// Common HL7 v2 table 0276 codes.
pub const V2_APPT_TYPE_CODES: [Code; 5] = [
    Code::new("ROUTINE", "Routine"),
    Code::new("WALKIN", "Walk-in"),
    Code::new("CHECKUP", "Check-up"),
    Code::new("FOLLOWUP", "Follow-up"),
    Code::new("EMERGENCY", "Emergency"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_the_ig_sizes_and_unique_codes() {
        assert_eq!(VISIT_TYPES.codes.len(), 41);
        assert_eq!(CANCEL_REASONS.codes.len(), 32);
        for table in [VISIT_TYPES, SPECIALTIES, CANCEL_REASONS, APPOINTMENT_TYPES] {
            let mut codes: Vec<&str> = table.codes.iter().map(|c| c.code).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(
                codes.len(),
                table.codes.len(),
                "duplicate code in {}",
                table.system
            );
        }
    }

    #[test]
    fn concepts_carry_system_code_and_label() {
        let mri = VISIT_TYPES.concept("mri");
        assert!(mri.has_code(Some(urls::CS_VISIT_TYPE), "mri"));
        assert_eq!(mri.label(), Some("MRI"));
        assert_eq!(
            SPECIALTIES.token("394582007").to_string(),
            "http://snomed.info/sct|394582007"
        );
    }
}
