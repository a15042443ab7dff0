//! Non-idempotent requests ($hold, $book, creates, PATCH, PUT): sent exactly once. When the
//! answer is lost (timeout, dropped connection, 500/502/504, a 2xx body that cannot be read),
//! the client reads the server's state back and reports what actually happened.

use fhir_model::{Appointment, Resource, Token, appointment_status as st, split_reference};
use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::ops::read::{AppointmentQuery, bundle, matches};
use crate::org::{OrgClient, local_id};
use crate::outcome::{Created, Readback};
use crate::transport::{Reply, Req};
use futures::TryStreamExt;

/// The time window of an appointment, for searching it back after a lost `$book` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub start: String,
    pub end: String,
}

impl Window {
    /// The appointment's start..end, when it has both.
    pub fn of(appointment: &Appointment) -> Option<Self> {
        Some(Self {
            start: appointment.start.clone()?,
            end: appointment.end.clone()?,
        })
    }
}

/// How to find out what a lost request did.
#[derive(Debug, Clone)]
pub(crate) enum Plan {
    /// Read the appointment: `pending` means the hold was applied.
    Hold { id: String },
    /// Read the appointment, then search the patient's appointments in the window.
    Book {
        id: String,
        patient: Option<String>,
        window: Option<Window>,
    },
    /// Read the appointment: `cancelled` means the cancel was applied.
    Cancel { id: String },
    /// Search by the resource's first identifier.
    Create {
        ty: &'static str,
        identifier: Option<Token>,
    },
    /// Read the resource: applied when every element sent is there unchanged.
    Update {
        ty: &'static str,
        id: String,
        sent: serde_json::Value,
    },
    /// Nothing to read back by.
    Unknown(&'static str),
}

/// A non-idempotent request and how to read it back.
#[derive(Debug)]
pub(crate) struct Write {
    pub interaction: Interaction,
    pub req: Req,
}

impl Write {
    pub fn new(interaction: Interaction, req: Req) -> Self {
        Self { interaction, req }
    }
}

impl OrgClient {
    /// Sends `w` once and parses a 2xx answer with `parse`; see the module doc for read-back.
    pub(crate) async fn write<T>(
        &self,
        w: Write,
        plan: Plan,
        parse: impl FnOnce(Reply) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        let reply = match self.send(&w.req).await {
            Ok(reply) => reply,
            Err(e @ (ClientError::Timeout(_) | ClientError::Unreachable { sent: true, .. })) => {
                return Err(self.ambiguous(w.interaction, e.to_string(), &plan).await);
            }
            // Not sent (connect failure, no token): nothing happened.
            Err(e) => return Err(e),
        };
        let status = reply.status.as_u16();
        if reply.status.is_success() {
            return match parse(reply) {
                Err(e @ ClientError::Malformed { .. }) => {
                    Err(self.ambiguous(w.interaction, e.to_string(), &plan).await)
                }
                other => other,
            };
        }
        if matches!(status, 500 | 502 | 504) {
            let cause = reply.into_error().to_string();
            return Err(self.ambiguous(w.interaction, cause, &plan).await);
        }
        Err(reply.into_error())
    }

    async fn ambiguous(&self, interaction: Interaction, cause: String, plan: &Plan) -> ClientError {
        tracing::warn!(org = %self.inner.name, ?interaction, %cause, "answer lost; reading back");
        let readback = self.readback(plan).await;
        ClientError::Ambiguous {
            interaction,
            cause,
            readback,
        }
    }

    async fn readback(&self, plan: &Plan) -> Readback {
        let unknown = |e: ClientError| Readback::Unknown {
            reason: e.to_string(),
        };
        match plan {
            Plan::Hold { id } => match self.get_appointment(id).await {
                Ok(a) if a.status == st::PENDING => Readback::Confirmed(Box::new(a.into())),
                Ok(a) if a.status == st::PROPOSED || a.status == st::CANCELLED => {
                    Readback::NotApplied
                }
                Ok(a) => Readback::Unknown {
                    reason: format!("the appointment is {}", a.status),
                },
                Err(e) => unknown(e),
            },
            Plan::Book {
                id,
                patient,
                window,
            } => {
                self.readback_book(id, patient.as_deref(), window.as_ref())
                    .await
            }
            Plan::Cancel { id } => match self.get_appointment(id).await {
                Ok(a) if a.status == st::CANCELLED => Readback::Confirmed(Box::new(a.into())),
                Ok(_) => Readback::NotApplied,
                Err(e) => unknown(e),
            },
            Plan::Unknown(reason) => Readback::Unknown {
                reason: (*reason).to_owned(),
            },
            Plan::Create { ty, identifier } => self.readback_create(ty, identifier.as_ref()).await,
            Plan::Update { ty, id, sent } => {
                match self.get_resource::<serde_json::Value>(ty, id).await {
                    Ok(now) if contains(&now, sent) => match Resource::from_json_value(now) {
                        Ok(r) => Readback::Confirmed(Box::new(r)),
                        Err(e) => Readback::Unknown {
                            reason: e.to_string(),
                        },
                    },
                    Ok(_) => Readback::NotApplied,
                    Err(e) => unknown(e),
                }
            }
        }
    }

    async fn readback_book(
        &self,
        id: &str,
        patient: Option<&str>,
        window: Option<&Window>,
    ) -> Readback {
        let by_id = self.get_appointment(id).await;
        if let Ok(a) = &by_id
            && a.status == st::BOOKED
        {
            return Readback::Confirmed(Box::new(a.clone().into()));
        }
        // The server may have booked under a new id: look for a booked appointment of this
        // patient starting at the same time.
        if let (Some(patient), Some(window)) = (patient, window) {
            let query = AppointmentQuery {
                patient: Some(patient.to_owned()),
                status: vec![st::BOOKED.to_owned()],
                from: Some(window.start.clone()),
                to: Some(window.end.clone()),
                ..AppointmentQuery::default()
            };
            let found: Result<Vec<Appointment>, _> =
                self.search_appointments(&query, 50).try_collect().await;
            match found {
                Ok(list) => {
                    if let Some(a) = list
                        .into_iter()
                        .find(|a| a.start.as_deref() == Some(window.start.as_str()))
                    {
                        return Readback::Confirmed(Box::new(a.into()));
                    }
                }
                Err(e) => {
                    return Readback::Unknown {
                        reason: e.to_string(),
                    };
                }
            }
        }
        match by_id {
            Ok(a) if [st::PROPOSED, st::PENDING, st::CANCELLED].contains(&a.status.as_str()) => {
                Readback::NotApplied
            }
            Ok(a) => Readback::Unknown {
                reason: format!("the appointment is {}", a.status),
            },
            Err(e) => Readback::Unknown {
                reason: e.to_string(),
            },
        }
    }

    async fn readback_create(&self, ty: &str, identifier: Option<&Token>) -> Readback {
        let Some(identifier) = identifier else {
            return Readback::Unknown {
                reason: "no identifier to search the new resource by".to_owned(),
            };
        };
        let req = match self.url(ty) {
            Ok(url) => Req::new(Method::GET, url)
                .query(vec![("identifier".to_owned(), identifier.to_string())]),
            Err(e) => {
                return Readback::Unknown {
                    reason: e.to_string(),
                };
            }
        };
        match self.read(&req, |r| bundle(r, "read-back search")).await {
            Ok(b) => {
                let mut found: Vec<Resource> = matches(b).collect();
                match (found.pop(), found.len()) {
                    (None, _) => Readback::NotApplied,
                    (Some(r), 0) => Readback::Confirmed(Box::new(r)),
                    (Some(_), n) => Readback::Unknown {
                        reason: format!("{} resources carry that identifier", n + 1),
                    },
                }
            }
            Err(e) => Readback::Unknown {
                reason: e.to_string(),
            },
        }
    }

    /// `GET [base]/[type]/[id]` parsed as `T`.
    pub(crate) async fn get_resource<T: DeserializeOwned>(
        &self,
        ty: &str,
        id: &str,
    ) -> Result<T, ClientError> {
        let id = local_id(ty, id)?;
        let req = Req::new(Method::GET, self.url(&format!("{ty}/{id}"))?);
        self.read(&req, |r| {
            serde_json::from_slice(&r.body)
                .map_err(|e| ClientError::malformed("read", e.to_string()))
        })
        .await
    }

    /// POST of a new resource: 201 created, or 200 with the existing one; the id comes from the
    /// body, else from `Location`.
    pub(crate) async fn create<T>(
        &self,
        w: Write,
        ty: &'static str,
        identifier: Option<Token>,
        pick: fn(Resource) -> Option<T>,
    ) -> Result<Created<T>, ClientError> {
        self.write(w, Plan::Create { ty, identifier }, |reply| {
            let existing = reply.status.as_u16() == 200;
            let location = reply.header("location").map(str::to_owned);
            let etag = reply.etag_version();
            let resource = if reply.body.iter().all(u8::is_ascii_whitespace) {
                None
            } else {
                let r = reply.resource("create")?;
                Some(r)
            };
            let id = resource
                .as_ref()
                .and_then(|r| r.id().map(str::to_owned))
                .or_else(|| {
                    let loc = location.as_deref()?;
                    split_reference(loc)
                        .filter(|(t, _)| *t == ty)
                        .map(|(_, id)| id.to_owned())
                });
            let id = id.ok_or_else(|| {
                ClientError::malformed("create", "no id in the body or Location header")
            })?;
            let version = etag.or_else(|| {
                let loc = location.as_deref()?;
                loc.split("/_history/")
                    .nth(1)
                    .map(|v| v.trim_matches('/').to_owned())
            });
            let resource =
                match resource {
                    Some(r) => Some(pick(r).ok_or_else(|| {
                        ClientError::malformed("create", format!("expected a {ty}"))
                    })?),
                    None => None,
                };
            Ok(Created {
                id,
                version,
                existing,
                resource,
            })
        })
        .await
    }
}

/// Whether every element of `sent` (except id/meta/text) is in `now` unchanged.
fn contains(now: &serde_json::Value, sent: &serde_json::Value) -> bool {
    match (now, sent) {
        (serde_json::Value::Object(now), serde_json::Value::Object(sent)) => sent
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "id" | "meta" | "text"))
            .all(|(k, v)| now.get(k) == Some(v)),
        _ => false,
    }
}
