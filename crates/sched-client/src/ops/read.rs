//! Reads: the CapabilityStatement, one Appointment, and Appointment searches paged as a stream.

use std::collections::VecDeque;

use fhir_model::{Appointment, Bundle, CapabilityStatement, Resource};
use futures::Stream;
use reqwest::Method;

use crate::capabilities::Interaction;
use crate::error::ClientError;
use crate::org::{OrgClient, local_id};
use crate::transport::{Reply, Req};

/// Which appointments to list: by id, by patient or by practitioner (at least one), optionally
/// by status and a date range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppointmentQuery {
    /// `_id`: these appointments (sent as one comma-separated OR list); empty = not by id.
    pub ids: Vec<String>,
    /// `Patient/id` (or the bare id).
    pub patient: Option<String>,
    /// `Practitioner/id` (or the bare id).
    pub practitioner: Option<String>,
    /// Statuses to include (sent as one comma-separated OR list); empty = any.
    pub status: Vec<String>,
    /// `date=ge...`: appointments on or after (FHIR date or dateTime).
    pub from: Option<String>,
    /// `date=le...`: appointments on or before.
    pub to: Option<String>,
    /// `_count`: page size asked of the server.
    pub page_size: Option<u32>,
}

impl AppointmentQuery {
    fn to_query(&self) -> Result<Vec<(String, String)>, ClientError> {
        if self.ids.is_empty() && self.patient.is_none() && self.practitioner.is_none() {
            return Err(ClientError::InvalidInput(
                "an appointment search needs ids, a patient or a practitioner".to_owned(),
            ));
        }
        let mut q = Vec::new();
        if !self.ids.is_empty() {
            let ids = self
                .ids
                .iter()
                .map(|id| local_id("Appointment", id).map(str::to_owned))
                .collect::<Result<Vec<_>, _>>()?;
            q.push(("_id".to_owned(), ids.join(",")));
        }
        if let Some(p) = &self.patient {
            q.push((
                "patient".to_owned(),
                format!("Patient/{}", local_id("Patient", p)?),
            ));
        }
        if let Some(p) = &self.practitioner {
            let id = local_id("Practitioner", p)?;
            q.push(("practitioner".to_owned(), format!("Practitioner/{id}")));
        }
        if !self.status.is_empty() {
            q.push(("status".to_owned(), self.status.join(",")));
        }
        for (prefix, date) in [("ge", &self.from), ("le", &self.to)] {
            if let Some(d) = date {
                fhir_model::parse_date_range(d)
                    .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
                q.push(("date".to_owned(), format!("{prefix}{d}")));
            }
        }
        if let Some(n) = self.page_size {
            q.push(("_count".to_owned(), n.to_string()));
        }
        Ok(q)
    }
}

/// Parses a 2xx body as a Bundle.
pub(crate) fn bundle(reply: Reply, what: &'static str) -> Result<Bundle, ClientError> {
    match reply.resource(what)? {
        Resource::Bundle(b) => Ok(b),
        other => Err(ClientError::malformed(
            what,
            format!("expected a Bundle, got {}", other.resource_type()),
        )),
    }
}

/// Entries that are search matches (not `include`d resources or outcomes).
pub(crate) fn matches(bundle: Bundle) -> impl Iterator<Item = Resource> {
    bundle.entry.into_iter().filter_map(|e| {
        let mode = e.search.as_ref().and_then(|s| s.mode.as_deref());
        match mode {
            None | Some("match") => e.resource,
            _ => None,
        }
    })
}

impl OrgClient {
    /// `GET [base]/metadata` — the server's CapabilityStatement (uncached; see
    /// [`OrgClient::capabilities`] for the cached digest).
    /// Spec: <https://hl7.org/fhir/STU3/http.html#capabilities>,
    /// <http://fhir.org/guides/argonaut/scheduling/CapabilityStatement-server.html>.
    pub async fn read_capabilities(&self) -> Result<CapabilityStatement, ClientError> {
        let req = Req::new(Method::GET, self.url("metadata")?);
        self.read(&req, capability_statement).await
    }

    /// `GET [base]/Appointment/[id]`. The version comes from `meta.versionId`, or the `ETag`
    /// when the body has none (it is then filled into `meta.versionId`).
    /// Spec: <https://hl7.org/fhir/STU3/http.html#read>, IG server CapabilityStatement
    /// (Appointment read SHALL).
    pub async fn read_appointment(&self, id: &str) -> Result<Appointment, ClientError> {
        // A plain-R4 / Oracle proposal or hold has a synthetic id: its slots say its state.
        if crate::dialect::slots::slot_ids(id).is_some()
            && self.dialect().await?.dialect.builds_from_slots()
        {
            return crate::dialect::r4_hold::read_synthetic(self, id).await;
        }
        self.require(Interaction::ReadAppointment).await?;
        self.get_appointment(id).await
    }

    /// The read without the capability check (used by read-backs too).
    pub(crate) async fn get_appointment(&self, id: &str) -> Result<Appointment, ClientError> {
        let id = local_id("Appointment", id)?;
        let req =
            Req::new(Method::GET, self.url(&format!("Appointment/{id}"))?).wire(self.wire().await?);
        self.read(&req, |reply| {
            let etag = reply.etag_version();
            match reply.resource("read appointment")? {
                Resource::Appointment(mut a) => {
                    if a.version_id().is_none()
                        && let Some(v) = etag
                    {
                        a.meta.get_or_insert_with(Default::default).version_id = Some(v);
                    }
                    Ok(a)
                }
                other => Err(ClientError::malformed(
                    "read appointment",
                    format!("expected an Appointment, got {}", other.resource_type()),
                )),
            }
        })
        .await
    }

    /// `GET [base]/Appointment?_id=a,b|patient=|practitioner=&status=&date=ge..&date=le..` — the
    /// appointments, page after page (following `next` links that stay on this server), at
    /// most `limit` of them. Each page is a retried read.
    /// Spec: <http://fhir.org/guides/argonaut/scheduling/patient-scheduling.html#appointment-retrieval>.
    pub fn search_appointments(
        &self,
        query: &AppointmentQuery,
        limit: usize,
    ) -> impl Stream<Item = Result<Appointment, ClientError>> + Send + 'static {
        let first = query
            .to_query()
            .and_then(|q| Ok(Req::new(Method::GET, self.url("Appointment")?).query(q)));
        self.paged(Interaction::SearchAppointments, first, limit, |r| match r {
            Resource::Appointment(a) => Some(a),
            _ => None,
        })
    }

    /// Pages through a search, yielding matches of one type up to `limit`; an error ends it.
    pub(crate) fn paged<T: Send + 'static>(
        &self,
        what: Interaction,
        first: Result<Req, ClientError>,
        limit: usize,
        pick: fn(Resource) -> Option<T>,
    ) -> impl Stream<Item = Result<T, ClientError>> + Send + 'static {
        struct State<T> {
            client: OrgClient,
            next: Option<Result<Req, ClientError>>,
            buffer: VecDeque<T>,
            yielded: usize,
            checked: bool,
        }
        let state = State {
            client: self.clone(),
            next: Some(first),
            buffer: VecDeque::new(),
            yielded: 0,
            checked: false,
        };
        futures::stream::unfold(state, move |mut s| async move {
            loop {
                if s.yielded >= limit {
                    return None;
                }
                if let Some(item) = s.buffer.pop_front() {
                    s.yielded += 1;
                    return Some((Ok(item), s));
                }
                let mut req = match s.next.take()? {
                    Ok(req) => req,
                    Err(e) => return Some((Err(e), s)),
                };
                if !s.checked {
                    s.checked = true;
                    if let Err(e) = s.client.require(what).await {
                        return Some((Err(e), s));
                    }
                }
                match s.client.wire().await {
                    Ok(wire) => req.wire = wire,
                    Err(e) => return Some((Err(e), s)),
                }
                let page = match s.client.read(&req, |r| bundle(r, "search")).await {
                    Ok(page) => page,
                    Err(e) => return Some((Err(e), s)),
                };
                s.next = page.next_link().map(|link| {
                    s.client
                        .same_base(link)
                        .map(|url| Req::new(Method::GET, url))
                });
                s.buffer.extend(matches(page).filter_map(pick));
            }
        })
    }
}

/// Reads a `metadata` answer as a CapabilityStatement (an R4 one too).
pub(crate) fn capability_statement(reply: Reply) -> Result<CapabilityStatement, ClientError> {
    let mut value: serde_json::Value = serde_json::from_slice(&reply.body)
        .map_err(|e| ClientError::malformed("metadata", format!("body is not JSON: {e}")))?;
    if let Some(statement) = crate::dialect::version::r4_statement(&value) {
        return Ok(statement);
    }
    r4_definitions_as_references(&mut value);
    match Resource::from_json_value(value)
        .map_err(|e| ClientError::malformed("metadata", e.to_string()))?
    {
        Resource::CapabilityStatement(c) => Ok(c),
        other => Err(ClientError::malformed(
            "metadata",
            format!(
                "expected a CapabilityStatement, got {}",
                other.resource_type()
            ),
        )),
    }
}

/// R4 declares `rest.operation.definition` as a canonical string where STU3 has a Reference; a
/// statement that is not R4-shaped enough for `fhir_model::r4` (or does not say it is R4) is read
/// by wrapping the string, so its operations are still detected.
fn r4_definitions_as_references(statement: &mut serde_json::Value) {
    let rests = statement
        .get_mut("rest")
        .and_then(serde_json::Value::as_array_mut);
    for rest in rests.into_iter().flatten() {
        let ops = rest
            .get_mut("operation")
            .and_then(serde_json::Value::as_array_mut);
        for op in ops.into_iter().flatten() {
            if let Some(def) = op.get_mut("definition")
                && let Some(canonical) = def.as_str().map(str::to_owned)
            {
                *def = serde_json::json!({ "reference": canonical });
            }
        }
    }
}
