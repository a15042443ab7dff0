//! The client assertion (RFC 7523 JWT) as the SMART Backend Services spec constrains it:
//! parsing the compact JWS, and checking header and claims against the registration, the token
//! URL and the clock. Signature checks live in `jwks`; the flow is in `token`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use super::jwks::Alg;
use super::{MAX_ASSERTION_LIFETIME, TokenError};

/// A compact JWS split into its parts, not yet verified.
#[derive(Debug)]
pub(crate) struct Assertion {
    pub(crate) alg: Alg,
    pub(crate) kid: String,
    pub(crate) jku: Option<String>,
    pub(crate) claims: Map<String, Value>,
    /// `base64url(header) "." base64url(payload)`: what the signature covers.
    pub(crate) signing_input: String,
    pub(crate) signature: Vec<u8>,
}

/// The claims that matter once the assertion is verified.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) jti: String,
    pub(crate) exp: DateTime<Utc>,
}

/// Tolerance for a client clock slightly ahead of ours (`iat`).
const CLOCK_SKEW: Duration = Duration::seconds(60);

fn refuse(why: impl Into<String>) -> TokenError {
    TokenError::invalid_client(why)
}

fn decode_json(part: &str, what: &str) -> Result<Map<String, Value>, TokenError> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| {
        refuse(format!(
            "malformed client assertion: {what} is not base64url"
        ))
    })?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(refuse(format!(
            "malformed client assertion: {what} is not a JSON object"
        ))),
    }
}

fn text<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    map.get(name).and_then(Value::as_str)
}

/// Splits and decodes a compact JWS; refuses unsupported algorithms and missing `kid`/`typ`.
pub(crate) fn parse(jwt: &str) -> Result<Assertion, TokenError> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts.as_slice() else {
        return Err(refuse(
            "malformed client assertion: expected a compact JWS (three parts)",
        ));
    };
    let header = decode_json(header_b64, "header")?;
    let claims = decode_json(payload_b64, "payload")?;
    let alg_name = text(&header, "alg").unwrap_or("(missing)");
    let alg = Alg::parse(alg_name).ok_or_else(|| {
        refuse(format!(
            "alg '{alg_name}' is not accepted; use RS384 or ES384"
        ))
    })?;
    let kid = text(&header, "kid")
        .filter(|k| !k.is_empty())
        .ok_or_else(|| refuse("the assertion header lacks 'kid'"))?;
    if !text(&header, "typ").is_some_and(|t| t.eq_ignore_ascii_case("JWT")) {
        return Err(refuse("the assertion header must have typ \"JWT\""));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature_b64)
        .map_err(|_| refuse("malformed client assertion: signature is not base64url"))?;
    if signature.is_empty() {
        return Err(refuse("the client assertion is unsigned"));
    }
    Ok(Assertion {
        alg,
        kid: kid.to_owned(),
        jku: text(&header, "jku").map(str::to_owned),
        signing_input: format!("{header_b64}.{payload_b64}"),
        claims,
        signature,
    })
}

impl Assertion {
    /// The client the assertion claims to come from: `iss`, which must equal `sub`.
    pub(crate) fn client_id(&self) -> Result<&str, TokenError> {
        let iss = text(&self.claims, "iss").ok_or_else(|| refuse("the assertion lacks 'iss'"))?;
        let sub = text(&self.claims, "sub").ok_or_else(|| refuse("the assertion lacks 'sub'"))?;
        if iss != sub {
            return Err(refuse(
                "the assertion's iss and sub must both be the client_id",
            ));
        }
        Ok(iss)
    }

    /// Checks `aud`, `exp` (present, not past, at most 5 min ahead), `nbf`/`iat` if present,
    /// and that `jti` is present. The replay check is the caller's.
    pub(crate) fn check_claims(
        &self,
        token_url: &str,
        now: DateTime<Utc>,
    ) -> Result<Checked, TokenError> {
        let aud_ok = match self.claims.get("aud") {
            Some(Value::String(aud)) => aud == token_url,
            Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(token_url)),
            _ => false,
        };
        if !aud_ok {
            return Err(refuse(format!("the assertion's aud must be {token_url}")));
        }
        let exp = self
            .time_claim("exp")?
            .ok_or_else(|| refuse("the assertion lacks 'exp'"))?;
        if exp <= now {
            return Err(refuse("the client assertion has expired"));
        }
        if exp > now + MAX_ASSERTION_LIFETIME {
            return Err(refuse("the assertion's exp is more than 5 minutes ahead"));
        }
        if self.time_claim("nbf")?.is_some_and(|nbf| nbf > now) {
            return Err(refuse("the client assertion is not valid yet (nbf)"));
        }
        if self
            .time_claim("iat")?
            .is_some_and(|iat| iat > now + CLOCK_SKEW)
        {
            return Err(refuse("the assertion's iat lies in the future"));
        }
        let jti = text(&self.claims, "jti")
            .filter(|j| !j.is_empty())
            .ok_or_else(|| refuse("the assertion lacks 'jti'"))?;
        Ok(Checked {
            jti: jti.to_owned(),
            exp,
        })
    }

    /// A NumericDate claim (integer seconds; fractions are tolerated as RFC 7519 allows).
    fn time_claim(&self, name: &str) -> Result<Option<DateTime<Utc>>, TokenError> {
        let Some(value) = self.claims.get(name) else {
            return Ok(None);
        };
        let secs = value
            .as_i64()
            .or_else(|| value.as_f64().map(|f| f as i64))
            .ok_or_else(|| refuse(format!("the assertion's {name} is not a number")))?;
        DateTime::from_timestamp(secs, 0)
            .map(Some)
            .ok_or_else(|| refuse(format!("the assertion's {name} is out of range")))
    }
}
