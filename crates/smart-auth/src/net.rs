//! Transport policy: https except on loopback, and the HTTP client every request goes through.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::redirect;
use url::{Host, Url};

use crate::error::AuthError;

/// Parses an absolute URL and applies [`require_secure`].
pub fn parse_secure_url(text: &str) -> Result<Url, AuthError> {
    let url = Url::parse(text).map_err(|e| AuthError::InvalidUrl {
        url: text.to_owned(),
        reason: e.to_string(),
    })?;
    require_secure(&url)?;
    Ok(url)
}

/// Accepts `https` URLs, and `http` only when the host is loopback (127.0.0.0/8, ::1, localhost):
/// tokens and assertions must never cross a network in clear text.
pub fn require_secure(url: &Url) -> Result<(), AuthError> {
    match url.scheme() {
        "https" if url.host().is_some() => Ok(()),
        "http" if url.host().is_some_and(|h| is_loopback(&h)) => Ok(()),
        "http" | "https" => Err(AuthError::InsecureUrl {
            url: url.to_string(),
        }),
        other => Err(AuthError::InvalidUrl {
            url: url.to_string(),
            reason: format!("scheme {other:?} is not http(s)"),
        }),
    }
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

/// Builds the HTTP client: rustls, bounded timeouts, and redirects followed only to URLs that
/// pass the same https-or-loopback rule (a redirect must not downgrade the transport).
pub(crate) fn http_client(timeout: Duration) -> Result<reqwest::Client, AuthError> {
    let policy = redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 5 {
            attempt.error("too many redirects")
        } else if require_secure(attempt.url()).is_err() {
            attempt.error("redirect to an insecure URL refused")
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .redirect(policy)
        .user_agent(concat!(
            "referral-desk-smart-auth/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|e| AuthError::HttpClientSetup {
            reason: e.to_string(),
        })
}

/// The first bytes of a response body, for error messages (never used for token responses).
pub(crate) fn excerpt(body: &str) -> String {
    const MAX: usize = 200;
    match body.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        for ok in [
            "https://ehr.example.org/fhir",
            "http://127.0.0.1:8080/fhir",
            "http://127.9.9.9/x",
            "http://[::1]:9/x",
            "http://LOCALHOST:1/x",
        ] {
            assert!(parse_secure_url(ok).is_ok(), "{ok} should be accepted");
        }
        for bad in [
            "http://ehr.example.org/fhir",
            "http://10.0.0.1/x",
            "http://localhost.evil.org/",
        ] {
            assert!(
                parse_secure_url(bad).unwrap_err().is_insecure_url(),
                "{bad} must be refused"
            );
        }
        assert!(
            !parse_secure_url("ftp://127.0.0.1/")
                .unwrap_err()
                .is_insecure_url()
        );
        assert!(parse_secure_url("not a url").is_err());
    }
}
