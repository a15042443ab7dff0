//! Patients and Coverage: registration with server-side de-duplication (the IG forbids clients
//! from sending If-None-Exist, so the server returns the patient it already has), `$match`
//! grading, and Coverage create/update where a change of `type` is refused.

use fhir_model::{Coverage, Patient, parse_date_range, urls};
use http::StatusCode;

use super::Organisation;
use crate::error::FhirError;
use crate::store::{Store, get_resource, list_resources, put_resource};

/// How sure a `$match` candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    Certain,
    Probable,
    Possible,
}

impl Grade {
    pub fn code(self) -> &'static str {
        match self {
            Self::Certain => "certain",
            Self::Probable => "probable",
            Self::Possible => "possible",
        }
    }

    pub fn score(self) -> f64 {
        match self {
            Self::Certain => 1.0,
            Self::Probable => 0.8,
            Self::Possible => 0.5,
        }
    }
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(x), Some(y)) if x.trim().eq_ignore_ascii_case(y.trim()))
}

fn same_identifier(a: &Patient, b: &Patient) -> bool {
    a.identifier.iter().any(|x| {
        x.value.is_some()
            && b.identifier
                .iter()
                .any(|y| x.system.is_some() && x.system == y.system && x.value == y.value)
    })
}

/// How well `candidate` matches `probe`, if at all.
pub fn grade(probe: &Patient, candidate: &Patient) -> Option<Grade> {
    if same_identifier(probe, candidate) {
        return Some(Grade::Certain);
    }
    let family = same(probe.family(), candidate.family());
    let given = same(probe.given(), candidate.given());
    let born = same(probe.birth_date.as_deref(), candidate.birth_date.as_deref());
    let gender_ok =
        probe.gender.is_none() || same(probe.gender.as_deref(), candidate.gender.as_deref());
    match (family, given, born) {
        (true, true, true) if gender_ok => Some(Grade::Probable),
        (true, _, true) | (true, true, _) => Some(Grade::Possible),
        _ => None,
    }
}

/// The same person for registration: an identifier, or name + birth date + gender.
fn is_registered_as(probe: &Patient, existing: &Patient) -> bool {
    same_identifier(probe, existing)
        || (same(probe.family(), existing.family())
            && same(probe.given(), existing.given())
            && same(probe.birth_date.as_deref(), existing.birth_date.as_deref())
            && same(probe.gender.as_deref(), existing.gender.as_deref()))
}

/// Checks what US Core needs for a usable registration.
pub fn validate_patient(p: &Patient) -> Result<(), FhirError> {
    let filled = |s: &str| !s.trim().is_empty();
    if !p.name.iter().any(|n| {
        n.family.as_deref().is_some_and(filled)
            || n.given.iter().any(|g| filled(g))
            || n.text.as_deref().is_some_and(filled)
    }) {
        return Err(FhirError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "required",
            "Patient.name is required: a family or given name",
        ));
    }
    if let Some(g) = &p.gender
        && !["male", "female", "other", "unknown"].contains(&g.as_str())
    {
        return Err(FhirError::bad_request(format!(
            "Patient.gender '{g}' is not male, female, other or unknown"
        )));
    }
    if let Some(b) = &p.birth_date
        && (b.contains('T') || parse_date_range(b).is_err())
    {
        return Err(FhirError::bad_request(format!(
            "Patient.birthDate '{b}' is not a FHIR date"
        )));
    }
    Ok(())
}

impl Organisation {
    /// Every patient, parsed.
    pub fn patients(&self) -> Result<Vec<(Patient, i64)>, FhirError> {
        let rows = self
            .store
            .read(|c| list_resources(c, &self.name, "Patient"))?;
        rows.into_iter()
            .map(|r| {
                Ok((
                    serde_json::from_str(&r.json).map_err(crate::error::StoreError::from)?,
                    r.version,
                ))
            })
            .collect()
    }

    /// Registers a patient, or returns the one already registered (`false` = existing).
    pub fn create_patient(&self, mut p: Patient) -> Result<(Patient, i64, bool), FhirError> {
        validate_patient(&p)?;
        self.store.write(|tx| {
            for r in list_resources(tx, &self.name, "Patient")? {
                let existing: Patient =
                    serde_json::from_str(&r.json).map_err(crate::error::StoreError::from)?;
                if is_registered_as(&p, &existing) {
                    return Ok((existing, r.version, false));
                }
            }
            let id = format!("reg-{}", Store::next_id(tx, &self.name, "patient")?);
            p.id = Some(id.clone());
            stamp(&mut p.meta, 1, self.now());
            put_resource(
                tx,
                &self.name,
                "Patient",
                &id,
                1,
                &serde_json::to_string(&p).map_err(crate::error::StoreError::from)?,
            )?;
            Ok((p, 1, true))
        })
    }

    /// Creates a Coverage (argo-coverage needs status and payor).
    pub fn create_coverage(&self, c: Coverage) -> Result<(Coverage, i64), FhirError> {
        validate_coverage(&c)?;
        self.store.write(|tx| {
            let id = format!("cov-r{}", Store::next_id(tx, &self.name, "coverage")?);
            save_coverage(self, tx, c, &id, 1)
        })
    }

    /// PUT Coverage/id: update (refusing a change of type, and a stale `If-Match` with 412) or
    /// create with that id.
    pub fn update_coverage(
        &self,
        id: &str,
        c: Coverage,
        if_match: Option<&str>,
    ) -> Result<(Coverage, i64, bool), FhirError> {
        if c.id.as_deref().is_some_and(|body| body != id) {
            return Err(FhirError::bad_request(
                "the Coverage id in the body differs from the URL",
            ));
        }
        validate_coverage(&c)?;
        self.store.write(|tx| {
            let old = get_resource(tx, &self.name, "Coverage", id)?;
            if let Some(tag) = if_match {
                check_if_match(tag, old.as_ref().map(|o| o.version))?;
            }
            let Some(old) = old else {
                return save_coverage(self, tx, c, id, 1).map(|(c, v)| (c, v, true));
            };
            let before: Coverage = serde_json::from_str(&old.json).map_err(crate::error::StoreError::from)?;
            if codes(&before) != codes(&c) {
                return Err(FhirError::unprocessable("Coverage.type cannot change; create a new Coverage for a different kind of cover"));
            }
            save_coverage(self, tx, c, id, old.version + 1).map(|(c, v)| (c, v, false))
        })
    }
}

fn codes(c: &Coverage) -> Vec<(Option<String>, Option<String>)> {
    let mut v: Vec<_> = c
        .type_
        .iter()
        .flat_map(|t| &t.coding)
        .map(|x| (x.system.clone(), x.code.clone()))
        .collect();
    v.sort();
    v
}

/// argo-coverage: a status, and a payor that names someone (a reference, an identifier or a
/// display; an empty Reference names no one). Refused with 422 and IssueType `required`.
fn validate_coverage(c: &Coverage) -> Result<(), FhirError> {
    let required = |text: &str| FhirError::new(StatusCode::UNPROCESSABLE_ENTITY, "required", text);
    if c.status.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(required("Coverage.status is required (argo-coverage)"));
    }
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    let names_payor = |r: &fhir_model::Reference| {
        !blank(&r.reference)
            || !blank(&r.display)
            || r.identifier.as_ref().is_some_and(|i| !blank(&i.value))
    };
    if !c.payor.iter().any(names_payor) {
        return Err(required(
            "Coverage.payor is required (argo-coverage): name the insurer",
        ));
    }
    Ok(())
}

fn save_coverage(
    org: &Organisation,
    tx: &rusqlite::Connection,
    mut c: Coverage,
    id: &str,
    version: i64,
) -> Result<(Coverage, i64), FhirError> {
    c.id = Some(id.to_owned());
    stamp(&mut c.meta, version, org.now());
    if let Some(m) = c.meta.as_mut()
        && !m.profile.iter().any(|p| p == urls::PROFILE_ARGO_COVERAGE)
    {
        m.profile.push(urls::PROFILE_ARGO_COVERAGE.to_owned());
    }
    let json = serde_json::to_string(&c).map_err(crate::error::StoreError::from)?;
    put_resource(tx, &org.name, "Coverage", id, version, &json)?;
    Ok((c, version))
}

/// `If-Match: W/"n"` against the stored version (`None`: nothing stored, so no version matches).
fn check_if_match(tag: &str, current: Option<i64>) -> Result<(), FhirError> {
    let wanted = crate::org::update::parse_etag(tag).ok_or_else(|| {
        FhirError::bad_request(format!("If-Match '{tag}' is not an ETag like W/\"1\""))
    })?;
    match current {
        Some(v) if v == wanted => Ok(()),
        now => Err(FhirError::new(
            StatusCode::PRECONDITION_FAILED,
            "conflict",
            match now {
                Some(v) => format!("version {wanted} is not current (now {v})"),
                None => format!("version {wanted} does not exist"),
            },
        )),
    }
}

/// Sets `meta.versionId` and `lastUpdated`.
pub fn stamp(
    meta: &mut Option<fhir_model::Meta>,
    version: i64,
    now: chrono::DateTime<chrono::Utc>,
) {
    let m = meta.get_or_insert_with(fhir_model::Meta::default);
    m.version_id = Some(version.to_string());
    m.last_updated = Some(fhir_model::datetime::format_instant(&now));
}

#[cfg(test)]
mod tests {
    use super::*;
    use fhir_model::{HumanName, Identifier};

    fn pat(family: &str, given: &str, born: &str, gender: &str) -> Patient {
        Patient {
            name: vec![HumanName::new(family, &[given])],
            birth_date: Some(born.to_owned()),
            gender: Some(gender.to_owned()),
            ..Patient::default()
        }
    }

    #[test]
    fn grades_follow_identifier_then_demographics() {
        let mut a = pat("Chalmers", "Peter", "1974-12-25", "male");
        let b = pat("chalmers", "peter", "1974-12-25", "male");
        assert_eq!(grade(&a, &b), Some(Grade::Probable));
        assert_eq!(
            grade(&a, &pat("Chalmers", "Jim", "1974-12-25", "male")),
            Some(Grade::Possible)
        );
        assert_eq!(
            grade(&a, &pat("Smith", "Peter", "1974-12-25", "male")),
            None
        );
        a.identifier.push(Identifier::new("urn:mrn", "1"));
        let mut c = pat("Other", "Name", "2000-01-01", "female");
        c.identifier.push(Identifier::new("urn:mrn", "1"));
        assert_eq!(grade(&a, &c), Some(Grade::Certain));
        assert!(is_registered_as(&a, &c) && is_registered_as(&a, &b));
        assert!(!is_registered_as(
            &a,
            &pat("Chalmers", "Peter", "1974-12-25", "female")
        ));
    }
}
