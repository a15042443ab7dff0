//! Non-idempotent requests ($hold, $book, creates, PATCH, PUT): sent exactly once. When the
//! answer is lost (timeout, dropped connection, 500/502/504, a 2xx body that cannot be read),
//! the client reads the server's state back and reports what actually happened.

use fhir_model::{Appointment, Resource, Token, split_reference};
use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::org::{OrgClient, local_id};
use crate::outcome::Created;
use crate::transport::{Reply, Req};

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
            Err(
                e @ (ClientError::Timeout(_)
                | ClientError::Unreachable { sent: true, .. }
                | ClientError::Malformed { .. }),
            ) => {
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

    /// `GET [base]/[type]/[id]` parsed as `T`.
    pub(crate) async fn get_resource<T: DeserializeOwned>(
        &self,
        ty: &str,
        id: &str,
    ) -> Result<T, ClientError> {
        let id = local_id(ty, id)?;
        let req = Req::new(Method::GET, self.url(&format!("{ty}/{id}"))?).wire(self.wire().await?);
        self.read(&req, |r| r.decode("read")).await
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
