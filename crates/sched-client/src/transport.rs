//! Sending one request: bearer token (refreshed and retried once on 401), per-request timeout,
//! error mapping, and the retry loop that only reads may use.

use std::time::SystemTime;

use fhir_model::urls::MIME_FHIR_JSON;
use fhir_model::{OperationOutcome, Resource};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::dialect::version::{self, Wire};
use crate::error::ClientError;
use crate::org::OrgClient;
use crate::retry::parse_retry_after;

/// The largest answer body accepted (a 1,000-entry avail-bundle is about 1 MiB).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// One request, kept so it can be sent again (after a 401, or as a retried read).
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub method: Method,
    pub url: Url,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<(&'static str, Vec<u8>)>,
    /// The FHIR version the body and answer travel in (see `dialect::version`).
    pub wire: Wire,
}

impl Req {
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            wire: Wire::Stu3,
        }
    }

    /// Sends the (STU3) body and reads the answer in `wire`'s FHIR version.
    pub fn wire(mut self, wire: Wire) -> Self {
        self.wire = wire;
        self
    }

    pub fn query(mut self, pairs: Vec<(String, String)>) -> Self {
        self.query = pairs;
        self
    }

    pub fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// A JSON body of the given media type.
    pub fn json<T: serde::Serialize>(
        mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<Self, ClientError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ClientError::InvalidInput(format!("body could not be encoded: {e}")))?;
        self.body = Some((content_type, bytes));
        Ok(self)
    }
}

/// An answer, any status.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The wire of the request this answers.
    pub wire: Wire,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as a resource; `what` names the interaction for the error.
    /// On the R4 wire the R4 answer is converted to STU3.
    pub fn resource(&self, what: &'static str) -> Result<Resource, ClientError> {
        version::incoming(self.wire, &self.body, what)
    }

    /// The body as `T` (converted from R4 on the R4 wire).
    pub fn decode<T: serde::de::DeserializeOwned>(
        &self,
        what: &'static str,
    ) -> Result<T, ClientError> {
        version::incoming_as(self.wire, &self.body, what)
    }

    /// The version from an `ETag: W/"3"` header.
    pub fn etag_version(&self) -> Option<String> {
        let etag = self.header("etag")?.trim();
        let etag = etag.strip_prefix("W/").unwrap_or(etag);
        Some(etag.trim_matches('"').to_owned()).filter(|v| !v.is_empty())
    }

    /// The error a non-2xx answer stands for.
    pub fn into_error(self) -> ClientError {
        let outcome = serde_json::from_slice::<OperationOutcome>(&self.body)
            .ok()
            .map(Box::new);
        let retry_after = self
            .header(RETRY_AFTER.as_str())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        ClientError::Status {
            status: self.status.as_u16(),
            outcome,
            retry_after,
        }
    }
}

impl OrgClient {
    /// Sends once, and once more with a fresh token if the server answers 401 (it did not
    /// process the request, so this is safe for every method). Any status is returned as a
    /// `Reply`; only transport failures are errors.
    pub(crate) async fn send(&self, req: &Req) -> Result<Reply, ClientError> {
        let reply = self.send_with_token(req, false).await?;
        if reply.status == StatusCode::UNAUTHORIZED && self.inner.authorizer.is_some() {
            tracing::debug!(org = %self.inner.name, "401 from the FHIR server: refreshing the token once");
            return self.send_with_token(req, true).await;
        }
        Ok(reply)
    }

    async fn send_with_token(&self, req: &Req, force_refresh: bool) -> Result<Reply, ClientError> {
        let mut builder = self
            .inner
            .http
            .request(req.method.clone(), req.url.clone())
            .timeout(self.inner.timeout)
            .header(ACCEPT, MIME_FHIR_JSON);
        if !req.query.is_empty() {
            builder = builder.query(&req.query);
        }
        if let Some(auth) = &self.inner.authorizer {
            let token = auth.bearer(force_refresh).await?;
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        for (name, value) in &req.headers {
            builder = builder.header(*name, value);
        }
        if let Some((content_type, body)) = &req.body {
            builder = builder
                .header(CONTENT_TYPE, *content_type)
                .body(version::outgoing(req.wire, body)?);
        }
        let mut response = builder.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let headers = response.headers().clone();
        // Read in chunks so a runaway answer is cut off instead of filling memory.
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.transport_error(e))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(ClientError::malformed(
                    "answer",
                    format!("body larger than {MAX_BODY} bytes"),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            headers,
            body,
            wire: req.wire,
        })
    }

    fn transport_error(&self, e: reqwest::Error) -> ClientError {
        // The URL's query may carry patient identifiers: keep it out of messages.
        let e = e.without_url();
        if e.is_timeout() {
            ClientError::Timeout(self.inner.timeout)
        } else {
            // Only a failed connect proves the request never left; anything later may have
            // reached the server.
            let mut reason = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                reason = format!("{reason}: {s}");
                source = s.source();
            }
            ClientError::Unreachable {
                reason,
                sent: !e.is_connect(),
            }
        }
    }

    /// A read (GET, `$find`, search, metadata): sent, checked for 2xx and parsed by `parse`,
    /// retried with backoff while the failure is retryable (a malformed body included, since a
    /// read is safe to repeat), honouring `Retry-After`.
    pub(crate) async fn read<T>(
        &self,
        req: &Req,
        parse: impl Fn(Reply) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        let policy = self.inner.retry;
        let mut attempt = 1;
        loop {
            let result = match self.send(req).await {
                Ok(reply) if reply.status.is_success() => parse(reply),
                Ok(reply) => Err(reply.into_error()),
                Err(e) => Err(e),
            };
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let worth_retrying = err.is_retryable() || matches!(err, ClientError::Malformed { .. });
            match policy
                .delay(attempt, err.retry_after())
                .filter(|_| worth_retrying)
            {
                Some(pause) => {
                    tracing::debug!(org = %self.inner.name, attempt, ?pause, error = %err, "retrying read");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                None => return Err(err),
            }
        }
    }
}
