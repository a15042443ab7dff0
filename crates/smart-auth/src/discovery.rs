//! Discovery of an organisation's token endpoint: `.well-known/smart-configuration`, falling back
//! to the CapabilityStatement `oauth-uris` extension of older STU3 servers.

use std::sync::Arc;

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::error::AuthError;
use crate::key::SigningAlg;
use crate::net::{excerpt, require_secure};

/// The extension carrying OAuth endpoints in STU3 CapabilityStatements (deprecated in SMART 2).
pub const OAUTH_URIS_EXTENSION: &str =
    "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

/// Largest discovery document read; real ones are a few kilobytes.
const MAX_BODY: usize = 1 << 20;

/// Where the token endpoint was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscoverySource {
    /// `[base]/.well-known/smart-configuration`.
    WellKnown,
    /// `[base]/metadata`, `rest.security.extension[oauth-uris]` (legacy STU3).
    CapabilityStatement,
}

/// Whether the server advertises a feature. A server that publishes no list says nothing either
/// way (`Unknown`), which is the usual case for CapabilityStatement discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advertised {
    Yes,
    No,
    Unknown,
}

/// What discovery learned about an organisation's authorization server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmartConfiguration {
    /// The FHIR base discovery started from.
    pub fhir_base: Url,
    /// The absolute token endpoint URL (relative values are resolved against the FHIR base).
    pub token_endpoint: Url,
    pub source: DiscoverySource,
    pub grant_types_supported: Option<Vec<String>>,
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    pub token_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    pub scopes_supported: Option<Vec<String>>,
    pub capabilities: Option<Vec<String>>,
}

impl SmartConfiguration {
    /// Whether `private_key_jwt` client authentication is advertised.
    pub fn supports_private_key_jwt(&self) -> Advertised {
        advertised(
            &self.token_endpoint_auth_methods_supported,
            "private_key_jwt",
        )
    }

    /// Whether the server advertises it verifies assertions signed with `alg`.
    pub fn supports_alg(&self, alg: SigningAlg) -> Advertised {
        advertised(
            &self.token_endpoint_auth_signing_alg_values_supported,
            alg.as_str(),
        )
    }

    /// The algorithms of ours (ES384, RS384) the server does not rule out, preferred first.
    pub fn usable_algs(&self) -> Vec<SigningAlg> {
        [SigningAlg::Es384, SigningAlg::Rs384]
            .into_iter()
            .filter(|alg| self.supports_alg(*alg) != Advertised::No)
            .collect()
    }

    /// Fails when the server explicitly rules out `private_key_jwt` or the key's algorithm;
    /// a server that advertises nothing is given the benefit of the doubt.
    pub fn ensure_usable(&self, alg: SigningAlg) -> Result<(), AuthError> {
        let base = self.fhir_base.to_string();
        if self.supports_private_key_jwt() == Advertised::No {
            let what = "private_key_jwt client authentication (SMART Backend Services)".to_owned();
            return Err(AuthError::IncompatibleServer { base, what });
        }
        if self.supports_alg(alg) == Advertised::No {
            let offered = self
                .token_endpoint_auth_signing_alg_values_supported
                .as_deref()
                .unwrap_or_default()
                .join(", ");
            let what = format!("{alg} signed assertions (it offers: {offered})");
            return Err(AuthError::IncompatibleServer { base, what });
        }
        Ok(())
    }
}

fn advertised(list: &Option<Vec<String>>, wanted: &str) -> Advertised {
    match list {
        None => Advertised::Unknown,
        Some(values) if values.iter().any(|v| v.eq_ignore_ascii_case(wanted)) => Advertised::Yes,
        Some(_) => Advertised::No,
    }
}

#[derive(Deserialize)]
struct WellKnown {
    token_endpoint: Option<String>,
    grant_types_supported: Option<Vec<String>>,
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    token_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    scopes_supported: Option<Vec<String>>,
    capabilities: Option<Vec<String>>,
}

/// GET `[base]/.well-known/smart-configuration`, falling back to GET `[base]/metadata`.
/// See <https://hl7.org/fhir/smart-app-launch/conformance.html#using-well-known>.
pub(crate) async fn discover(
    http: &reqwest::Client,
    fhir_base: &Url,
) -> Result<SmartConfiguration, AuthError> {
    require_secure(fhir_base)?;
    let dir = base_dir(fhir_base);
    let well_known = join(&dir, ".well-known/smart-configuration")?;
    let why_not_well_known = match get_json(http, &well_known, "application/json").await? {
        Ok(doc) => match from_well_known(fhir_base, &dir, doc) {
            Ok(config) => return Ok(config),
            Err(reason) => reason,
        },
        Err(reason) => reason,
    };
    let metadata = join(&dir, "metadata")?;
    let why_not_metadata = match get_json(http, &metadata, "application/fhir+json").await? {
        Ok(doc) => match from_capability_statement(fhir_base, &dir, &doc) {
            Ok(config) => return Ok(config),
            Err(reason) => reason,
        },
        Err(reason) => reason,
    };
    Err(AuthError::DiscoveryFailed {
        base: fhir_base.to_string(),
        reason: format!("{well_known}: {why_not_well_known}; {metadata}: {why_not_metadata}"),
    })
}

/// Fetches a JSON document. Transport failures are errors; a wrong status or a body that is not
/// JSON is `Ok(Err(reason))`, so discovery can try the next source.
async fn get_json(
    http: &reqwest::Client,
    url: &Url,
    accept: &str,
) -> Result<Result<Value, String>, AuthError> {
    let unreachable = |source| AuthError::Unreachable {
        url: url.to_string(),
        source: Arc::new(source),
    };
    let response = http
        .get(url.clone())
        .header("Accept", accept)
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status();
    let body = response.bytes().await.map_err(unreachable)?;
    if status != StatusCode::OK {
        let text = String::from_utf8_lossy(&body[..body.len().min(MAX_BODY)]);
        return Ok(Err(format!("HTTP {status}: {}", excerpt(&text))));
    }
    if body.len() > MAX_BODY {
        return Ok(Err(format!("document larger than {MAX_BODY} bytes")));
    }
    Ok(serde_json::from_slice(&body).map_err(|e| format!("not JSON ({e})")))
}

pub(crate) fn from_well_known(
    base: &Url,
    dir: &Url,
    doc: Value,
) -> Result<SmartConfiguration, String> {
    let doc: WellKnown =
        serde_json::from_value(doc).map_err(|e| format!("unexpected shape ({e})"))?;
    let endpoint = doc.token_endpoint.ok_or("no token_endpoint")?;
    Ok(SmartConfiguration {
        fhir_base: base.clone(),
        token_endpoint: resolve(dir, &endpoint)?,
        source: DiscoverySource::WellKnown,
        grant_types_supported: doc.grant_types_supported,
        token_endpoint_auth_methods_supported: doc.token_endpoint_auth_methods_supported,
        token_endpoint_auth_signing_alg_values_supported: doc
            .token_endpoint_auth_signing_alg_values_supported,
        scopes_supported: doc.scopes_supported,
        capabilities: doc.capabilities,
    })
}

pub(crate) fn from_capability_statement(
    base: &Url,
    dir: &Url,
    doc: &Value,
) -> Result<SmartConfiguration, String> {
    if doc["resourceType"] != "CapabilityStatement" {
        return Err("not a CapabilityStatement".to_owned());
    }
    let token = oauth_uri(doc, "token").ok_or("no oauth-uris extension with a token URI")?;
    Ok(SmartConfiguration {
        fhir_base: base.clone(),
        token_endpoint: resolve(dir, token)?,
        source: DiscoverySource::CapabilityStatement,
        grant_types_supported: None,
        token_endpoint_auth_methods_supported: None,
        token_endpoint_auth_signing_alg_values_supported: None,
        scopes_supported: None,
        capabilities: None,
    })
}

/// `rest[].security.extension[url=oauth-uris].extension[url=name].valueUri`.
fn oauth_uri<'a>(doc: &'a Value, name: &str) -> Option<&'a str> {
    let entries = |v: &'a Value, key: &str| v[key].as_array().into_iter().flatten();
    entries(doc, "rest")
        .flat_map(|rest| entries(&rest["security"], "extension"))
        .filter(|ext| ext["url"] == OAUTH_URIS_EXTENSION)
        .flat_map(|ext| entries(ext, "extension"))
        .find(|inner| inner["url"] == name)
        .and_then(|inner| {
            inner["valueUri"]
                .as_str()
                .or_else(|| inner["valueUrl"].as_str())
        })
}

/// The base as a "directory" (trailing slash), so `join` appends instead of replacing the
/// last path segment.
pub(crate) fn base_dir(base: &Url) -> Url {
    let mut dir = base.clone();
    if !dir.path().ends_with('/') {
        dir.set_path(&format!("{}/", dir.path()));
    }
    dir.set_query(None);
    dir.set_fragment(None);
    dir
}

fn join(dir: &Url, path: &str) -> Result<Url, AuthError> {
    dir.join(path).map_err(|e| AuthError::InvalidUrl {
        url: path.to_owned(),
        reason: e.to_string(),
    })
}

/// Resolves an endpoint against the FHIR base and applies the https-or-loopback rule.
fn resolve(dir: &Url, endpoint: &str) -> Result<Url, String> {
    let url = dir
        .join(endpoint)
        .map_err(|e| format!("token endpoint {endpoint:?}: {e}"))?;
    require_secure(&url).map_err(|e| e.to_string())?;
    Ok(url)
}
