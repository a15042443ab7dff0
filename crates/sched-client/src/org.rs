//! `OrgClient`: one organisation's FHIR endpoint, how to authenticate to it, and what it offers.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OnceCell;
use url::Url;

use crate::auth::Authorizer;
use crate::capabilities::{Capabilities, Interaction};
use crate::dialect::{self, Dialect, DialectChoice};
use crate::error::ClientError;
use crate::net::{default_http, require_secure};
use crate::retry::RetryPolicy;

/// Default timeout of one HTTP request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// How `$find` is sent when it could go either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindMethod {
    /// GET with query parameters, POST only when a resource input (patient-resource, coverage)
    /// forces it.
    #[default]
    GetWhenPossible,
    /// Always POST a Parameters body (`_count` still in the URL).
    Post,
}

/// A client for one organisation. Cheap to clone: clones share the connection pool, the
/// authorizer and the cached CapabilityStatement.
#[derive(Clone)]
pub struct OrgClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) name: String,
    /// The FHIR base, always ending in `/` so relative paths join under it.
    pub(crate) base: Url,
    pub(crate) http: reqwest::Client,
    pub(crate) authorizer: Option<Arc<dyn Authorizer>>,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    pub(crate) find_method: FindMethod,
    pub(crate) capabilities: OnceCell<Arc<Capabilities>>,
    /// The dialect set in the organisation's settings; `None`: detected from the statement.
    pub(crate) dialect: Option<Dialect>,
}

impl fmt::Debug for OrgClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrgClient")
            .field("name", &self.inner.name)
            .field("base", &self.inner.base.as_str())
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Builds an [`OrgClient`].
#[derive(Debug)]
pub struct OrgClientBuilder {
    name: String,
    base: String,
    http: Option<reqwest::Client>,
    authorizer: Option<Arc<dyn Authorizer>>,
    timeout: Duration,
    retry: RetryPolicy,
    find_method: FindMethod,
    dialect: Option<Dialect>,
}

impl OrgClientBuilder {
    /// Speaks `dialect` whatever the CapabilityStatement says (vendor variants that cannot be
    /// detected); `None` detects it.
    pub fn dialect(mut self, dialect: Option<Dialect>) -> Self {
        self.dialect = dialect;
        self
    }

    /// A label for messages and cross-organisation results (defaults to the base URL).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Where bearer tokens come from. Without one, no `Authorization` header is sent.
    pub fn authorizer(mut self, authorizer: Arc<dyn Authorizer>) -> Self {
        self.authorizer = Some(authorizer);
        self
    }

    /// Timeout of one HTTP request (connect, send, whole answer).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How reads are retried.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// GET or POST for `$find`.
    pub fn find_method(mut self, method: FindMethod) -> Self {
        self.find_method = method;
        self
    }

    /// Shares an HTTP client (and its connection pool) between organisations. It should not
    /// follow redirects: the client refuses to send a token anywhere but the organisation's base.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn build(self) -> Result<OrgClient, ClientError> {
        let mut base = Url::parse(self.base.trim()).map_err(|e| {
            ClientError::InvalidInput(format!("FHIR base URL '{}': {e}", self.base))
        })?;
        require_secure(&base)?;
        if base.query().is_some() || base.fragment().is_some() {
            return Err(ClientError::InvalidInput(
                "the FHIR base URL may not carry a query or fragment".to_owned(),
            ));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let http = match self.http {
            Some(http) => http,
            None => default_http()?,
        };
        let name = if self.name.is_empty() {
            base.to_string()
        } else {
            self.name
        };
        Ok(OrgClient {
            inner: Arc::new(Inner {
                name,
                base,
                http,
                authorizer: self.authorizer,
                timeout: self.timeout,
                retry: self.retry,
                find_method: self.find_method,
                capabilities: OnceCell::new(),
                dialect: self.dialect,
            }),
        })
    }
}

impl OrgClient {
    /// Starts a builder for the organisation whose FHIR base is `base_url`.
    pub fn builder(base_url: impl Into<String>) -> OrgClientBuilder {
        OrgClientBuilder {
            name: String::new(),
            base: base_url.into(),
            http: None,
            authorizer: None,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            find_method: FindMethod::default(),
            dialect: None,
        }
    }

    /// The organisation's label.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The FHIR base URL (ending in `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// What the organisation offers, read from `/metadata` once and cached. Concurrent callers
    /// share one request; a failed read is not cached, so the next call tries again.
    pub async fn capabilities(&self) -> Result<Arc<Capabilities>, ClientError> {
        self.inner
            .capabilities
            .get_or_try_init(|| async {
                let statement = self.read_capabilities().await?;
                Ok(Arc::new(Capabilities::from_statement(statement)))
            })
            .await
            .cloned()
    }

    /// The dialect this organisation is spoken to in, and why: the settings' choice, else what
    /// the CapabilityStatement declares (read once and cached).
    pub async fn dialect(&self) -> Result<DialectChoice, ClientError> {
        if let Some(d) = self.inner.dialect {
            return Ok(DialectChoice {
                dialect: d,
                reason: "set in the organisation's settings".to_owned(),
            });
        }
        Ok(dialect::detect(&*self.capabilities().await?))
    }

    /// Fails with `Unsupported` (without sending anything) when the organisation lacks `what`.
    pub(crate) async fn require(
        &self,
        what: Interaction,
    ) -> Result<Arc<Capabilities>, ClientError> {
        let caps = self.capabilities().await?;
        caps.require(what)?;
        Ok(caps)
    }

    /// `[base]/path`.
    pub(crate) fn url(&self, path: &str) -> Result<Url, ClientError> {
        self.inner
            .base
            .join(path)
            .map_err(|e| ClientError::InvalidInput(format!("path '{path}': {e}")))
    }

    /// Accepts a `next` link only when it stays under this organisation's base, so the bearer
    /// token is never sent to another server.
    pub(crate) fn same_base(&self, link: &str) -> Result<Url, ClientError> {
        let url = self.inner.base.join(link).map_err(|e| {
            ClientError::malformed("search paging", format!("next link is not a URL: {e}"))
        })?;
        let base = &self.inner.base;
        if url.origin() != base.origin()
            || !url.path().starts_with(base.path().trim_end_matches('/'))
        {
            return Err(ClientError::malformed(
                "search paging",
                "the next link points outside the organisation's FHIR base",
            ));
        }
        Ok(url)
    }
}

/// Checks a FHIR logical id (`[A-Za-z0-9\-\.]{1,64}`), accepting `Type/id` or an absolute
/// reference too, and returns the bare id.
pub(crate) fn local_id<'a>(ty: &str, reference: &'a str) -> Result<&'a str, ClientError> {
    let id = match fhir_model::split_reference(reference) {
        Some((t, id)) if t == ty => id,
        Some((t, _)) => {
            return Err(ClientError::InvalidInput(format!(
                "expected a {ty} reference, got a {t}"
            )));
        }
        None => reference,
    };
    let valid = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if valid {
        Ok(id)
    } else {
        Err(ClientError::InvalidInput(format!(
            "'{id}' is not a FHIR id"
        )))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn paths_join_under_the_base_and_next_links_must_stay_there() {
        let c = OrgClient::builder("http://127.0.0.1:9/derm/fhir")
            .build()
            .unwrap();
        assert_eq!(
            c.url("Appointment/$find").unwrap().as_str(),
            "http://127.0.0.1:9/derm/fhir/Appointment/$find"
        );
        assert!(
            c.same_base("http://127.0.0.1:9/derm/fhir/Appointment?page=2")
                .is_ok()
        );
        assert!(
            c.same_base("http://127.0.0.1:9/other/fhir/Appointment?page=2")
                .is_err()
        );
        assert!(
            c.same_base("https://evil.example/derm/fhir/Appointment")
                .is_err()
        );
    }

    #[test]
    fn ids_are_checked_before_they_reach_a_path() {
        assert_eq!(
            local_id("Appointment", "Appointment/a-1.2").unwrap(),
            "a-1.2"
        );
        assert_eq!(
            local_id("Appointment", "http://x/fhir/Appointment/7/_history/2").unwrap(),
            "7"
        );
        assert_eq!(local_id("Appointment", "abc").unwrap(), "abc");
        assert!(local_id("Appointment", "Patient/1").is_err());
        assert!(local_id("Appointment", "../metadata").is_err());
        assert!(local_id("Appointment", "").is_err());
    }
}
