//! Reading the server's state back after a non-idempotent request's answer was lost, to say
//! whether it was applied.

use fhir_model::{Appointment, Resource, Token, appointment_status as st};
use futures::TryStreamExt;
use reqwest::Method;

use crate::error::ClientError;
use crate::ops::read::{AppointmentQuery, bundle, matches};
use crate::ops::write::{Plan, Window};
use crate::org::OrgClient;
use crate::outcome::Readback;
use crate::transport::Req;

impl OrgClient {
    pub(crate) async fn readback(&self, plan: &Plan) -> Readback {
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
        let url = match self.wire().await {
            Ok(wire) => self.url(ty).map(|url| (url, wire)),
            Err(e) => Err(e),
        };
        let req = match url {
            Ok((url, wire)) => Req::new(Method::GET, url)
                .wire(wire)
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
