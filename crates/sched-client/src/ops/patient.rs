//! Registration at the receiving organisation: find the patient (search, `$match`), register
//! them (POST Patient), and their insurance (POST/PUT Coverage).

use fhir_model::{Coverage, Parameter, Parameters, Patient, Resource, Token, urls};
use futures::TryStreamExt;
use reqwest::Method;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::read::bundle;
use crate::ops::write::{Plan, Write};
use crate::org::{OrgClient, local_id};
use crate::outcome::Created;
use crate::transport::Req;

/// A US Core Patient search; every field given is ANDed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientQuery {
    /// `identifier=system|value` (e.g. an MRN).
    pub identifier: Option<Token>,
    pub family: Option<String>,
    pub given: Option<String>,
    /// `birthdate=YYYY-MM-DD`.
    pub birthdate: Option<String>,
    pub gender: Option<String>,
}

impl PatientQuery {
    fn to_query(&self) -> Result<Vec<(String, String)>, ClientError> {
        let mut q: Vec<(String, String)> = Vec::new();
        let fields = [
            ("identifier", self.identifier.as_ref().map(Token::to_string)),
            ("family", self.family.clone()),
            ("given", self.given.clone()),
            ("birthdate", self.birthdate.clone()),
            ("gender", self.gender.clone()),
        ];
        q.extend(fields.into_iter().filter_map(|(k, v)| {
            v.filter(|v| !v.trim().is_empty())
                .map(|v| (k.to_owned(), v))
        }));
        if q.is_empty() {
            return Err(ClientError::InvalidInput(
                "a patient search needs at least one criterion".to_owned(),
            ));
        }
        Ok(q)
    }
}

/// One `$match` candidate.
#[derive(Debug, Clone)]
pub struct PatientMatch {
    pub patient: Patient,
    /// `search.score` (0..1).
    pub score: Option<f64>,
    /// The `match-grade` extension: certain | probable | possible | certainly-not.
    pub grade: Option<String>,
}

impl OrgClient {
    /// `GET [base]/Patient?identifier=|family=&given=&birthdate=&gender=` — at most `limit`
    /// patients (pages followed).
    /// Spec: US Core Patient search, <http://hl7.org/fhir/us/core/STU1/StructureDefinition-us-core-patient.html>;
    /// IG <http://fhir.org/guides/argonaut/scheduling/patient-scheduling.html>.
    pub async fn search_patients(
        &self,
        query: &PatientQuery,
        limit: usize,
    ) -> Result<Vec<Patient>, ClientError> {
        let first = query
            .to_query()
            .and_then(|q| Ok(Req::new(Method::GET, self.url("Patient")?).query(q)));
        self.paged(Interaction::SearchPatients, first, limit, |r| match r {
            Resource::Patient(p) => Some(p),
            _ => None,
        })
        .try_collect()
        .await
    }

    /// `POST [base]/Patient/$match` with Parameters{resource, count?, onlyCertainMatches?} —
    /// candidates with their score and grade, best first as the server ranks them.
    /// Spec: <https://hl7.org/fhir/STU3/patient-operations.html#match>; IG example
    /// patient-match-ex.
    pub async fn match_patient(
        &self,
        patient: &Patient,
        count: Option<u32>,
        only_certain: bool,
    ) -> Result<Vec<PatientMatch>, ClientError> {
        self.require(Interaction::MatchPatient).await?;
        let mut ps = vec![Parameter::resource("resource", patient.clone().into())];
        ps.extend(count.map(|n| Parameter::integer("count", i64::from(n))));
        if only_certain {
            ps.push(Parameter::boolean("onlyCertainMatches", true));
        }
        // $match changes nothing, so it is retried like a read.
        let req = Req::new(Method::POST, self.url("Patient/$match")?)
            .wire(self.wire().await?)
            .json(fhir_model::urls::MIME_FHIR_JSON, &Parameters::new(ps))?;
        let found = self.read(&req, |r| bundle(r, "$match")).await?;
        Ok(found
            .entry
            .into_iter()
            .filter_map(|e| {
                let score = e.search.as_ref().and_then(|s| s.score);
                let grade = e
                    .search
                    .as_ref()
                    .and_then(|s| s.extra.get("extension"))
                    .and_then(|x| {
                        x.as_array()?
                            .iter()
                            .find(|ext| {
                                ext.get("url").and_then(|u| u.as_str())
                                    == Some(urls::EXT_MATCH_GRADE)
                            })
                            .and_then(|ext| ext.get("valueCode")?.as_str().map(str::to_owned))
                    });
                match e.resource {
                    Some(Resource::Patient(patient)) => Some(PatientMatch {
                        patient,
                        score,
                        grade,
                    }),
                    _ => None,
                }
            })
            .collect())
    }

    /// `POST [base]/Patient` — registers the patient. Never sends `If-None-Exist` (the IG
    /// forbids it); the server may answer 200 with the patient it already has, or 201 with a
    /// new one: either way use the returned id.
    /// Spec: <http://fhir.org/guides/argonaut/scheduling/patient-scheduling.html#register-patient>.
    pub async fn create_patient(&self, patient: &Patient) -> Result<Created<Patient>, ClientError> {
        self.require(Interaction::CreatePatient).await?;
        let mut body = patient.clone();
        body.id = None;
        let req = Req::new(Method::POST, self.url("Patient")?)
            .wire(self.wire().await?)
            .header("prefer", "return=representation".to_owned())
            .json(fhir_model::urls::MIME_FHIR_JSON, &body)?;
        let readback = identifier_token(&body.identifier);
        self.create(
            Write::new(Interaction::CreatePatient, req),
            "Patient",
            readback,
            |r| match r {
                Resource::Patient(p) => Some(p),
                _ => None,
            },
        )
        .await
    }

    /// `POST [base]/Coverage` (argo-coverage) — the patient's insurance, after the patient id is
    /// known.
    /// Spec: <http://fhir.org/guides/argonaut/scheduling/StructureDefinition-argo-coverage.html>,
    /// IG example create-coverage-ex.
    pub async fn create_coverage(
        &self,
        coverage: &Coverage,
    ) -> Result<Created<Coverage>, ClientError> {
        self.require(Interaction::CreateCoverage).await?;
        let mut body = coverage.clone();
        body.id = None;
        let req = Req::new(Method::POST, self.url("Coverage")?)
            .wire(self.wire().await?)
            .header("prefer", "return=representation".to_owned())
            .json(fhir_model::urls::MIME_FHIR_JSON, &body)?;
        let readback = identifier_token(&body.identifier);
        self.create(
            Write::new(Interaction::CreateCoverage, req),
            "Coverage",
            readback,
            |r| match r {
                Resource::Coverage(c) => Some(c),
                _ => None,
            },
        )
        .await
    }

    /// `PUT [base]/Coverage/[id]` — replaces the coverage (`If-Match` when `meta.versionId` is
    /// known). The server may refuse some changes (e.g. `type`) with an OperationOutcome.
    /// Spec: <https://hl7.org/fhir/STU3/http.html#update>, IG example create-coverage-ex.
    pub async fn update_coverage(&self, coverage: &Coverage) -> Result<Coverage, ClientError> {
        self.require(Interaction::UpdateCoverage).await?;
        let id = coverage.id.as_deref().ok_or_else(|| {
            ClientError::InvalidInput("the coverage to update has no id".to_owned())
        })?;
        let id = local_id("Coverage", id)?.to_owned();
        let mut req = Req::new(Method::PUT, self.url(&format!("Coverage/{id}"))?)
            .wire(self.wire().await?)
            .header("prefer", "return=representation".to_owned())
            .json(fhir_model::urls::MIME_FHIR_JSON, coverage)?;
        if let Some(v) = coverage.meta.as_ref().and_then(|m| m.version_id.as_deref()) {
            req = req.header("if-match", format!("W/\"{v}\""));
        }
        let sent = serde_json::to_value(coverage).map_err(|e| {
            ClientError::InvalidInput(format!("coverage could not be encoded: {e}"))
        })?;
        let plan = Plan::Update {
            ty: "Coverage",
            id: id.clone(),
            sent,
        };
        let body = self
            .write(
                Write::new(Interaction::UpdateCoverage, req),
                plan,
                |reply| {
                    if reply.body.iter().all(u8::is_ascii_whitespace) {
                        return Ok(None);
                    }
                    match reply.resource("update coverage")? {
                        Resource::Coverage(c) => Ok(Some(c)),
                        other => Err(ClientError::malformed(
                            "update coverage",
                            format!("expected a Coverage, got {}", other.resource_type()),
                        )),
                    }
                },
            )
            .await?;
        match body {
            Some(c) => Ok(c),
            // Prefer: return=representation is only a preference; read it when it was ignored.
            None => self.get_resource::<Coverage>("Coverage", &id).await,
        }
    }
}

/// The search token of the first identifier, used to read back a create whose answer was lost.
fn identifier_token(identifiers: &[fhir_model::Identifier]) -> Option<Token> {
    let first = identifiers.first()?;
    Some(Token::new(
        first.system.as_deref()?,
        first.value.as_deref()?,
    ))
}
