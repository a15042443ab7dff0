#![allow(clippy::unwrap_used, reason = "tests")]
use super::*;
use crate::config::SandboxConfig;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-18T15:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn the_same_seed_gives_the_same_data_and_another_seed_differs() {
    let config = SandboxConfig::default();
    let derm = &config.organisations[0];
    assert_eq!(generate(derm, now()), generate(derm, now()));
    let mut other = derm.clone();
    other.seed.seed = 99;
    assert_ne!(
        generate(derm, now()).practitioners,
        generate(&other, now()).practitioners
    );
}

#[test]
fn slots_start_in_the_current_week_and_cover_the_horizon() {
    let config = SandboxConfig::default();
    let seed = generate(&config.organisations[0], now());
    let first = seed.slots.iter().map(|s| s.start.clone()).min().unwrap();
    let last = seed.slots.iter().map(|s| s.start.clone()).max().unwrap();
    // 2026-11-18 is a Wednesday: the week starts Monday the 16th (local time, -05:00).
    assert!(first.starts_with("2026-11-16"), "{first}");
    assert!(last.as_str() < "2027-01-11", "{last}");
    assert!(last.as_str() > "2027-01-04", "{last}");
    let busy = seed.slots.iter().filter(|s| s.status == "busy").count();
    assert!(
        busy > 0 && busy < seed.slots.len() / 2,
        "some but not most slots busy: {busy}"
    );
}

#[test]
fn practitioners_have_valid_npis_and_imaging_has_the_four_services() {
    assert_eq!(
        npi_check_digit("123456789"),
        3,
        "CMS's worked example 1234567893"
    );
    let config = SandboxConfig::default();
    let derm = generate(&config.organisations[0], now());
    for p in &derm.practitioners {
        let npi = p.identifier[0].value.as_deref().unwrap();
        assert_eq!(npi.len(), 10);
        assert_eq!(npi_check_digit(&npi[..9]).to_string(), npi[9..]);
    }
    let imaging = generate(&config.organisations[2], now());
    let types: Vec<&str> = imaging
        .services
        .iter()
        .filter_map(|s| s.type_[0].coding[0].code.as_deref())
        .collect();
    assert_eq!(types, ["mri", "ct", "x-ray", "ultrasound"]);
    assert!(imaging.patients.len() == imaging.coverages.len() && !imaging.patients.is_empty());
}
