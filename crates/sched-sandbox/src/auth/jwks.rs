//! Client public keys: resolving a registration's JWK Set (inline, or fetched from its
//! `jwks_url` and cached briefly), choosing the one key matching `kid` and the `kty` the
//! algorithm needs, and checking an RS384/ES384 signature with it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_lc_rs::signature::{
    ECDSA_P384_SHA384_FIXED, RSA_PKCS1_2048_8192_SHA384, RsaPublicKeyComponents, UnparsedPublicKey,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::{ClientRegistration, TokenError};

/// How long a fetched JWK Set is reused when the response does not say otherwise.
const DEFAULT_CACHE: Duration = Duration::from_secs(60);
/// Upper bound on caching whatever the client's Cache-Control says.
const MAX_CACHE: Duration = Duration::from_secs(300);
/// A JWKS fetch that takes longer than this fails the authentication.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest JWKS document accepted.
const MAX_JWKS_BYTES: usize = 64 * 1024;

/// The two algorithms this server accepts for client assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alg {
    Rs384,
    Es384,
}

impl Alg {
    /// Parses the JOSE `alg` header; anything else (`none`, HS*, RS256, ...) is refused.
    pub(crate) fn parse(alg: &str) -> Option<Self> {
        match alg {
            "RS384" => Some(Self::Rs384),
            "ES384" => Some(Self::Es384),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Rs384 => "RS384",
            Self::Es384 => "ES384",
        }
    }

    fn kty(self) -> &'static str {
        match self {
            Self::Rs384 => "RSA",
            Self::Es384 => "EC",
        }
    }
}

#[derive(Debug)]
struct Cached {
    fetched: Instant,
    max_age: Duration,
    keys: Vec<Value>,
}

/// Fetches and caches JWK Sets published at client `jwks_url`s.
#[derive(Debug)]
pub(crate) struct JwksResolver {
    http: reqwest::Client,
    cache: Mutex<HashMap<String, Cached>>,
}

impl JwksResolver {
    pub(crate) fn new() -> Self {
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .build()
            .unwrap_or_default();
        Self {
            http,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The keys of a registration: inline keys plus those at its `jwks_url`. With `refresh`,
    /// the URL is fetched again even if cached (a `kid` miss may mean the client rotated).
    pub(crate) async fn keys(
        &self,
        client: &ClientRegistration,
        refresh: bool,
    ) -> Result<Vec<Value>, TokenError> {
        let mut keys = match &client.jwks {
            Some(jwks) => key_list(jwks)?,
            None => Vec::new(),
        };
        if let Some(url) = &client.jwks_url {
            keys.extend(self.fetch(url, refresh).await?);
        }
        Ok(keys)
    }

    async fn fetch(&self, url: &str, refresh: bool) -> Result<Vec<Value>, TokenError> {
        if !refresh && let Some(keys) = self.cached(url) {
            return Ok(keys);
        }
        let failed = |why: String| TokenError::invalid_client(format!("JWKS at {url}: {why}"));
        let response = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| failed(format!("fetch failed ({e})")))?;
        if !response.status().is_success() {
            return Err(failed(format!("answered HTTP {}", response.status())));
        }
        let max_age = cache_lifetime(response.headers());
        let body = response
            .bytes()
            .await
            .map_err(|e| failed(format!("read failed ({e})")))?;
        if body.len() > MAX_JWKS_BYTES {
            return Err(failed("document too large".to_owned()));
        }
        let jwks: Value =
            serde_json::from_slice(&body).map_err(|_| failed("not JSON".to_owned()))?;
        let keys = key_list(&jwks)?;
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(
            url.to_owned(),
            Cached {
                fetched: Instant::now(),
                max_age,
                keys: keys.clone(),
            },
        );
        Ok(keys)
    }

    fn cached(&self, url: &str) -> Option<Vec<Value>> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(url)
            .filter(|c| c.fetched.elapsed() < c.max_age)
            .map(|c| c.keys.clone())
    }
}

/// Cache lifetime from the JWKS response's Cache-Control (no-store/no-cache → not cached).
fn cache_lifetime(headers: &reqwest::header::HeaderMap) -> Duration {
    let Some(cc) = headers
        .get(reqwest::header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
    else {
        return DEFAULT_CACHE;
    };
    let mut lifetime = DEFAULT_CACHE;
    for directive in cc.split(',').map(str::trim) {
        if directive.eq_ignore_ascii_case("no-store") || directive.eq_ignore_ascii_case("no-cache")
        {
            return Duration::ZERO;
        }
        if let Some(secs) = directive.strip_prefix("max-age=")
            && let Ok(secs) = secs.parse::<u64>()
        {
            lifetime = Duration::from_secs(secs).min(MAX_CACHE);
        }
    }
    lifetime
}

pub(crate) fn key_list(jwks: &Value) -> Result<Vec<Value>, TokenError> {
    jwks.get("keys")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| TokenError::invalid_client("the registered JWKS has no \"keys\" array"))
}

/// The single key with this `kid` whose type suits `alg`; none or several is a failure
/// (SMART Backend Services, "signature verification").
pub(crate) fn select_key<'a>(
    keys: &'a [Value],
    kid: &str,
    alg: Alg,
) -> Result<&'a Value, TokenError> {
    let matching: Vec<&Value> = keys
        .iter()
        .filter(|k| str_field(k, "kid") == Some(kid))
        .filter(|k| str_field(k, "kty") == Some(alg.kty()))
        .filter(|k| str_field(k, "use").is_none_or(|u| u == "sig"))
        .filter(|k| str_field(k, "alg").is_none_or(|a| a == alg.name()))
        .collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(TokenError::invalid_client(format!(
            "no registered {} key with kid '{kid}'",
            alg.kty()
        ))),
        _ => Err(TokenError::invalid_client(format!(
            "several registered keys share kid '{kid}'"
        ))),
    }
}

fn str_field<'a>(key: &'a Value, name: &str) -> Option<&'a str> {
    key.get(name).and_then(Value::as_str)
}

fn b64_field(key: &Value, name: &str) -> Result<Vec<u8>, TokenError> {
    let text = str_field(key, name)
        .ok_or_else(|| TokenError::invalid_client(format!("registered key lacks '{name}'")))?;
    URL_SAFE_NO_PAD.decode(text).map_err(|_| {
        TokenError::invalid_client(format!("registered key '{name}' is not base64url"))
    })
}

/// Checks `signature` over `signing_input` (`header.payload`) with the JWK `key`.
pub(crate) fn verify(
    key: &Value,
    alg: Alg,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<(), TokenError> {
    let bad_signature = || TokenError::invalid_client("the client assertion signature is invalid");
    match alg {
        Alg::Rs384 => {
            let components = RsaPublicKeyComponents {
                n: b64_field(key, "n")?,
                e: b64_field(key, "e")?,
            };
            components
                .verify(&RSA_PKCS1_2048_8192_SHA384, signing_input, signature)
                .map_err(|_| bad_signature())
        }
        Alg::Es384 => {
            if str_field(key, "crv") != Some("P-384") {
                return Err(TokenError::invalid_client("ES384 needs a P-384 key"));
            }
            let (x, y) = (b64_field(key, "x")?, b64_field(key, "y")?);
            if x.len() != 48 || y.len() != 48 {
                return Err(TokenError::invalid_client(
                    "P-384 coordinates must be 48 bytes",
                ));
            }
            let mut point = Vec::with_capacity(97);
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, point)
                .verify(signing_input, signature)
                .map_err(|_| bad_signature())
        }
    }
}
