//! The public JWK Set the organisation's admin registers, and RFC 7638 key thumbprints.

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// One public key as a JWK (RFC 7517), with the members SMART Backend Services requires.
///
/// EC keys carry `crv`, `x`, `y`; RSA keys carry `n`, `e`. `kid` is the RFC 7638 thumbprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub crv: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub x: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub y: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub n: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub e: Option<String>,
    pub kid: String,
    pub alg: String,
    #[serde(rename = "use")]
    pub use_: String,
    pub key_ops: Vec<String>,
}

impl Jwk {
    /// A public P-384 key from its affine coordinates (big-endian, 48 bytes each).
    pub(crate) fn ec_p384(x: &[u8], y: &[u8]) -> Self {
        let (x, y) = (b64(x), b64(y));
        let kid = thumbprint_ec("P-384", &x, &y);
        Self::public(
            "EC",
            Some("P-384"),
            Some(x),
            Some(y),
            None,
            None,
            kid,
            "ES384",
        )
    }

    /// A public RSA key from its modulus and exponent (big-endian, no leading zeros).
    pub(crate) fn rsa(n: &[u8], e: &[u8]) -> Self {
        let (n, e) = (b64(n), b64(e));
        let kid = thumbprint_rsa(&n, &e);
        Self::public("RSA", None, None, None, Some(n), Some(e), kid, "RS384")
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "private constructor over the JWK members"
    )]
    fn public(
        kty: &str,
        crv: Option<&str>,
        x: Option<String>,
        y: Option<String>,
        n: Option<String>,
        e: Option<String>,
        kid: String,
        alg: &str,
    ) -> Self {
        Self {
            kty: kty.to_owned(),
            crv: crv.map(str::to_owned),
            x,
            y,
            n,
            e,
            kid,
            alg: alg.to_owned(),
            use_: "sig".to_owned(),
            key_ops: vec!["verify".to_owned()],
        }
    }
}

/// A JWK Set: `{"keys": [...]}`, the document registered with (or served to) the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

impl JwkSet {
    /// The set as pretty JSON, ready to paste into a registration form or serve at a jku URL.
    pub fn to_json_pretty(&self) -> String {
        // Serializing plain strings and vectors cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The key with this `kid`, if any.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid == kid)
    }
}

/// RFC 7638 thumbprint of an EC key: SHA-256 over the required members in lexicographic order.
pub fn thumbprint_ec(crv: &str, x: &str, y: &str) -> String {
    digest_b64(&format!(
        r#"{{"crv":"{crv}","kty":"EC","x":"{x}","y":"{y}"}}"#
    ))
}

/// RFC 7638 thumbprint of an RSA key: SHA-256 over `e`, `kty`, `n` in that order.
pub fn thumbprint_rsa(n: &str, e: &str) -> String {
    digest_b64(&format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#))
}

fn digest_b64(canonical: &str) -> String {
    b64(digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref())
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsa_thumbprint_matches_the_rfc_7638_example() {
        // RFC 7638 §3.1: the example key and its published thumbprint.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_\
                 BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0\
                 _FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWh\
                 AI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        assert_eq!(
            thumbprint_rsa(n, "AQAB"),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn jwk_serializes_use_and_skips_absent_members() {
        let jwk = Jwk::ec_p384(&[1; 48], &[2; 48]);
        let v = serde_json::to_value(&jwk).unwrap();
        assert_eq!(v["use"], "sig");
        assert_eq!(v["key_ops"], serde_json::json!(["verify"]));
        assert!(v.get("n").is_none(), "an EC key has no RSA members: {v}");
        assert_eq!(v["kid"], jwk.kid);
    }
}
