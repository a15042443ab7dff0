//! The production [`Remote`]: `sched-client`'s `OrgClient` per organisation, authenticated by
//! smart-auth's token cache (discovery on first use), with its errors mapped to [`RemoteError`].

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use fhir_model::datetime::format_instant;
use fhir_model::terminology::CANCEL_REASONS;
use fhir_model::{
    Appointment, BookParams, Coverage, FindParams, HoldParams, Patient, ReferralRequest, Token,
};
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use referral_store::Organisation;
use sched_client::home::{Desk, HomeClient, HomeError};
use sched_client::{ClientError, Dialect, Interaction, OrgClient, Readback};
use smart_auth::{AuthClient, SigningKey};
use tokio::sync::OnceCell;
use url::Url;

mod directory;
mod errors;
mod tokens;

use errors::{auth_remote, map_error};
use tokens::LazyTokens;

use super::{
    AppointmentQuery, Capabilities, Connector, CreatedPatient, DirectoryListing, Held, PatientHit,
    PatientQuery, Remote, RemoteError, RemoteErrorKind, RemoteResult,
};

/// Per-request timeout for every organisation.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Most appointments or patients read by one search.
const SEARCH_LIMIT: usize = 500;

/// Builds [`SchedRemote`]s sharing one smart-auth token cache.
#[derive(Debug, Clone)]
pub struct SchedConnector {
    auth: AuthClient,
}

impl SchedConnector {
    /// A connector with its own token cache.
    pub fn new(auth: AuthClient) -> Self {
        Self { auth }
    }

    /// A connector with a default token cache, as an `Arc<dyn Connector>`.
    pub fn shared() -> Result<Arc<dyn Connector>, crate::error::CoreError> {
        let auth = AuthClient::new().map_err(crate::error::CoreError::Key)?;
        Ok(Arc::new(Self::new(auth)))
    }
}

impl SchedConnector {
    /// The organisation's `OrgClient` (base URL, dialect, lazily bound tokens, timeout): the
    /// same for a receiving organisation and for the home. `token_endpoint` skips discovery
    /// (the home's optional token URL; receiving organisations always discover theirs).
    fn org_client(
        &self,
        org: &Organisation,
        key: Arc<SigningKey>,
        token_endpoint: Option<String>,
    ) -> Result<(OrgClient, Arc<LazyTokens>), RemoteError> {
        let base = Url::parse(&format!("{}/", org.fhir_base_url.trim_end_matches('/')))
            .map_err(|e| {
                tracing::warn!(organisation = %org.id, error = %e, "the organisation's FHIR base URL is unusable");
                RemoteError::new(RemoteErrorKind::Local, "connect")
            })?;
        let tokens = Arc::new(LazyTokens {
            auth: self.auth.clone(),
            base,
            token_endpoint,
            client_id: org.client_id.clone(),
            scopes: org.scopes.clone(),
            key,
            bound: OnceCell::new(),
        });
        // An unknown stored name (from a newer program) falls back to detection.
        let dialect = org
            .dialect
            .as_deref()
            .and_then(|d| d.parse::<Dialect>().ok());
        let client = OrgClient::builder(org.fhir_base_url.clone())
            .name(org.display_name.clone())
            .dialect(dialect)
            .authorizer(tokens.clone())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| map_error(Interaction::ReadCapabilities, "connect", e))?;
        Ok((client, tokens))
    }
}

impl Connector for SchedConnector {
    fn connect(
        &self,
        org: &Organisation,
        key: Arc<SigningKey>,
    ) -> Result<Arc<dyn Remote>, RemoteError> {
        let (client, tokens) = self.org_client(org, key, None)?;
        Ok(Arc::new(SchedRemote {
            client,
            tokens,
            directory: OnceCell::new(),
        }))
    }

    fn connect_home(
        &self,
        org: &Organisation,
        key: Arc<SigningKey>,
        desk: Desk,
    ) -> Result<HomeClient, RemoteError> {
        let (client, _tokens) = self.org_client(org, key, org.token_endpoint.clone())?;
        Ok(HomeClient::new(client, desk))
    }
}

/// A home queue client's error as a [`RemoteError`] (conflicts are the caller's to handle
/// before this: they carry who holds the claim).
pub(crate) fn home_error(during: Interaction, e: HomeError) -> RemoteError {
    match e {
        HomeError::Client(c) => map_error(during, "the home queue", c),
        other => {
            tracing::warn!(error = %other, "the home organisation's answer was not usable");
            RemoteError::new(RemoteErrorKind::Server, "the home queue")
        }
    }
}

/// One organisation through `sched-client`.
#[derive(Debug)]
pub struct SchedRemote {
    client: OrgClient,
    tokens: Arc<LazyTokens>,
    /// The directory, once read successfully (a failure is asked again next time).
    directory: OnceCell<DirectoryListing>,
}

/// The operations the workflows may ask for: what the statement declares, with `find`, `hold`
/// and `book` standing for the dialect's own mechanisms (a plain-R4 organisation "finds" by Slot
/// search and "holds" by Slot update; Epic never holds).
fn dialect_operations(c: &sched_client::Capabilities, dialect: Dialect) -> Vec<String> {
    let mut ops: std::collections::BTreeSet<String> = c.operations.iter().cloned().collect();
    if dialect != Dialect::Argonaut {
        ops.insert("find".to_owned());
        ops.insert("book".to_owned());
        if dialect.holds() {
            ops.insert("hold".to_owned());
        } else {
            ops.remove("hold");
        }
    }
    ops.into_iter().collect()
}

fn expires(t: Option<std::time::SystemTime>) -> Option<DateTime<Utc>> {
    t.map(DateTime::<Utc>::from)
}

impl Remote for SchedRemote {
    fn capabilities(&self) -> BoxFuture<'_, RemoteResult<Capabilities>> {
        async move {
            let c = self
                .client
                .capabilities()
                .await
                .map_err(|e| map_error(Interaction::ReadCapabilities, "GET metadata", e))?;
            let choice = self
                .client
                .dialect()
                .await
                .map_err(|e| map_error(Interaction::ReadCapabilities, "GET metadata", e))?;
            Ok(Capabilities {
                fhir_version: c.fhir_version.clone(),
                operations: dialect_operations(&c, choice.dialect),
                patch_formats: c.patch_formats.clone(),
                referral_requests: c.offers(Interaction::CreateReferralRequest),
                dialect: Some(choice.dialect.as_str().to_owned()),
                dialect_reason: Some(choice.reason),
            })
        }
        .boxed()
    }

    fn discover(&self) -> BoxFuture<'_, RemoteResult<String>> {
        async move {
            let tokens = self
                .tokens
                .tokens()
                .await
                .map_err(|e| auth_remote("discovery", e))?;
            Ok(tokens.registration().token_endpoint().to_string())
        }
        .boxed()
    }

    fn authenticate(&self) -> BoxFuture<'_, RemoteResult<()>> {
        async move {
            let tokens = self
                .tokens
                .tokens()
                .await
                .map_err(|e| auth_remote("discovery", e))?;
            tokens
                .token(true)
                .await
                .map_err(|e| auth_remote("token request", e))?;
            Ok(())
        }
        .boxed()
    }

    fn find(&self, params: FindParams) -> BoxFuture<'_, RemoteResult<Vec<Appointment>>> {
        async move {
            let a = self
                .client
                .find_appointments(&params)
                .await
                .map_err(|e| map_error(Interaction::FindAppointments, "$find", e))?;
            a.proposals
                .iter()
                .map(|p| {
                    p.appointment()
                        .map_err(|e| map_error(Interaction::FindAppointments, "$find", e))
                })
                .collect()
        }
        .boxed()
    }

    fn hold(&self, appointment_id: String) -> BoxFuture<'_, RemoteResult<Held>> {
        async move {
            let what = format!("$hold Appointment/{appointment_id}");
            let params = HoldParams {
                appt_id: Some(format!("Appointment/{appointment_id}")),
                ..HoldParams::default()
            };
            match self.client.hold_appointment(&params).await {
                Ok(h) => Ok(Held {
                    appointment: h.state.appointment,
                    expires: expires(h.expires),
                }),
                Err(ClientError::Ambiguous {
                    readback: Readback::Confirmed(r),
                    ..
                }) if r.as_appointment().is_some() => {
                    let appointment = r.as_appointment().cloned().unwrap_or_default();
                    Ok(Held {
                        appointment,
                        expires: None,
                    })
                }
                Err(e) => Err(map_error(Interaction::HoldAppointment, &what, e)),
            }
        }
        .boxed()
    }

    fn book(&self, params: BookParams) -> BoxFuture<'_, RemoteResult<Appointment>> {
        async move {
            let what = format!(
                "$book {}",
                params.appt_id.as_deref().unwrap_or("Appointment")
            );
            match self.client.book_appointment(&params, None).await {
                Ok(b) => Ok(b.state.appointment),
                Err(ClientError::Ambiguous {
                    readback: Readback::Confirmed(r),
                    ..
                }) if r.as_appointment().is_some() => {
                    Ok(r.as_appointment().cloned().unwrap_or_default())
                }
                Err(e) => Err(map_error(Interaction::BookAppointment, &what, e)),
            }
        }
        .boxed()
    }

    fn read_appointment(&self, id: String) -> BoxFuture<'_, RemoteResult<Appointment>> {
        async move {
            self.client.read_appointment(&id).await.map_err(|e| {
                map_error(
                    Interaction::ReadAppointment,
                    &format!("GET Appointment/{id}"),
                    e,
                )
            })
        }
        .boxed()
    }

    fn cancel(
        &self,
        id: String,
        reason_code: Option<String>,
        version: Option<String>,
    ) -> BoxFuture<'_, RemoteResult<Appointment>> {
        async move {
            let what = format!("PATCH Appointment/{id}");
            let mut current = self
                .client
                .read_appointment(&id)
                .await
                .map_err(|e| map_error(Interaction::ReadAppointment, &what, e))?;
            // The client sends meta.versionId as If-Match: the version the caller last saw, so a
            // change at the organisation since then is refused (412) rather than overwritten.
            if let Some(v) = version {
                current.meta.get_or_insert_with(Default::default).version_id = Some(v);
            }
            let reason = reason_code.map(|c| CANCEL_REASONS.concept(&c));
            let state = self
                .client
                .cancel_appointment(&current, reason.as_ref())
                .await
                .map_err(|e| map_error(Interaction::CancelAppointment, &what, e))?;
            Ok(state.appointment)
        }
        .boxed()
    }

    fn search_appointments(
        &self,
        query: AppointmentQuery,
    ) -> BoxFuture<'_, RemoteResult<Vec<Appointment>>> {
        async move {
            // Holds built from Slots (plain R4, Oracle) are read from their slots; only real
            // Appointment ids go into the `_id` search.
            let (built, ids): (Vec<String>, Vec<String>) = query
                .ids
                .iter()
                .cloned()
                .partition(|id| sched_client::is_slot_proposal_id(id));
            let mut from_slots = Vec::new();
            for id in built {
                match self.client.read_appointment(&id).await {
                    Ok(a) => from_slots.push(a),
                    Err(e) if e.status() == Some(404) => {}
                    Err(e) => {
                        return Err(map_error(Interaction::ReadAppointment, "read a hold", e));
                    }
                }
            }
            if ids.is_empty() && !query.ids.is_empty() {
                return Ok(from_slots);
            }
            let query = AppointmentQuery { ids, ..query };
            let limit = if query.ids.is_empty() {
                SEARCH_LIMIT
            } else {
                query.ids.len()
            };
            let q = sched_client::AppointmentQuery {
                ids: query.ids,
                patient: query.patient,
                practitioner: query.practitioner,
                status: query.status,
                from: query.from.map(|t| format_instant(&t)),
                to: query.to.map(|t| format_instant(&t)),
                page_size: Some(query.page_size.unwrap_or(100)),
            };
            let found: Vec<_> = self.client.search_appointments(&q, limit).collect().await;
            let mut found = found
                .into_iter()
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| map_error(Interaction::SearchAppointments, "search Appointment", e))?;
            found.extend(from_slots);
            Ok(found)
        }
        .boxed()
    }

    fn search_patients(&self, query: PatientQuery) -> BoxFuture<'_, RemoteResult<Vec<PatientHit>>> {
        async move {
            let identifier = match query.identifier.as_deref() {
                Some(text) if text.contains('|') => Some(Token::parse(text).map_err(|_| {
                    RemoteError::new(RemoteErrorKind::Local, "search Patient: identifier")
                })?),
                Some(text) => Some(Token {
                    system: None,
                    code: text.to_owned(),
                }),
                None => None,
            };
            let q = sched_client::PatientQuery {
                identifier,
                family: query.family,
                given: query.given,
                birthdate: query.birth_date.map(|d| d.to_string()),
                gender: None,
            };
            let found = self
                .client
                .search_patients(&q, SEARCH_LIMIT)
                .await
                .map_err(|e| map_error(Interaction::SearchPatients, "search Patient", e))?;
            Ok(found
                .into_iter()
                .map(|patient| PatientHit {
                    patient,
                    score: None,
                    grade: None,
                })
                .collect())
        }
        .boxed()
    }

    fn match_patient(&self, patient: Patient) -> BoxFuture<'_, RemoteResult<Vec<PatientHit>>> {
        async move {
            let found = self
                .client
                .match_patient(&patient, Some(10), false)
                .await
                .map_err(|e| map_error(Interaction::MatchPatient, "$match", e))?;
            Ok(found
                .into_iter()
                .map(|m| PatientHit {
                    patient: m.patient,
                    score: m.score,
                    grade: m.grade,
                })
                .collect())
        }
        .boxed()
    }

    fn create_patient(&self, patient: Patient) -> BoxFuture<'_, RemoteResult<CreatedPatient>> {
        async move {
            let created = self
                .client
                .create_patient(&patient)
                .await
                .map_err(|e| map_error(Interaction::CreatePatient, "POST Patient", e))?;
            let mut p = created.resource.unwrap_or(patient);
            p.id = Some(created.id);
            Ok(CreatedPatient {
                patient: p,
                existing: created.existing,
            })
        }
        .boxed()
    }

    fn create_coverage(&self, coverage: Coverage) -> BoxFuture<'_, RemoteResult<Coverage>> {
        async move {
            let created = self
                .client
                .create_coverage(&coverage)
                .await
                .map_err(|e| map_error(Interaction::CreateCoverage, "POST Coverage", e))?;
            let mut c = created.resource.unwrap_or(coverage);
            c.id = Some(created.id);
            Ok(c)
        }
        .boxed()
    }

    fn create_referral_request(
        &self,
        request: ReferralRequest,
    ) -> BoxFuture<'_, RemoteResult<ReferralRequest>> {
        async move {
            let created = self
                .client
                .create_referral_request(&request)
                .await
                .map_err(|e| {
                    map_error(
                        Interaction::CreateReferralRequest,
                        "POST ReferralRequest",
                        e,
                    )
                })?;
            let mut r = created.resource.unwrap_or(request);
            r.id = Some(created.id);
            Ok(r)
        }
        .boxed()
    }

    fn update_coverage(&self, coverage: Coverage) -> BoxFuture<'_, RemoteResult<Coverage>> {
        async move {
            self.client
                .update_coverage(&coverage)
                .await
                .map_err(|e| map_error(Interaction::UpdateCoverage, "PUT Coverage", e))
        }
        .boxed()
    }

    fn directory(&self) -> BoxFuture<'_, RemoteResult<DirectoryListing>> {
        async move {
            self.directory
                .get_or_try_init(|| directory::read(&self.client))
                .await
                .cloned()
        }
        .boxed()
    }
}
