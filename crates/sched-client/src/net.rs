//! Transport policy: the HTTP client every organisation shares by default, and https required
//! except on loopback.

use std::net::IpAddr;
use std::time::Duration;

use url::{Host, Url};

use crate::error::ClientError;

/// The HTTP client: rustls, no redirects (a redirect could carry the token elsewhere).
pub fn default_http() -> Result<reqwest::Client, ClientError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!(
            "referral-desk-sched-client/",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .map_err(|e| ClientError::Setup(e.to_string()))
}

/// `https`, or `http` on a loopback host only: tokens and patient data never cross a network in
/// clear text.
pub fn require_secure(url: &Url) -> Result<(), ClientError> {
    let loopback = match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => return Err(ClientError::InvalidInput(format!("'{url}' has no host"))),
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(ClientError::InsecureUrl(url.to_string())),
        other => Err(ClientError::InvalidInput(format!(
            "scheme '{other}' is not http(s)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use crate::error::ClientError;
    use crate::org::OrgClient;

    #[test]
    fn https_is_required_except_on_loopback() {
        for ok in [
            "https://ehr.example/fhir",
            "http://127.0.0.1:8080/fhir",
            "http://localhost/x",
            "http://[::1]:1/",
        ] {
            assert!(OrgClient::builder(ok).build().is_ok(), "{ok}");
        }
        let err = OrgClient::builder("http://ehr.example/fhir")
            .build()
            .unwrap_err();
        assert!(matches!(err, ClientError::InsecureUrl(_)), "{err}");
        assert!(OrgClient::builder("ftp://127.0.0.1/").build().is_err());
        assert!(OrgClient::builder("not a url").build().is_err());
    }
}
