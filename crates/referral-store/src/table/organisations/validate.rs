//! Input checks for the directory: URLs, client ids, scopes, and key references that must never
//! be key material.

use super::NewOrganisation;
use crate::error::{Result, invalid};

/// Validated, normalised column values.
pub(crate) struct Checked {
    pub(crate) display_name: String,
    pub(crate) base_url: String,
    pub(crate) client_id: String,
    pub(crate) key_ref: String,
    pub(crate) scopes: String,
    pub(crate) token_endpoint: Option<String>,
}

impl Checked {
    pub(crate) fn new(new: &NewOrganisation) -> Result<Self> {
        let display_name = new.display_name.trim();
        if display_name.is_empty() {
            return Err(invalid("display_name", "must not be empty"));
        }
        let client_id = new.client_id.trim();
        if client_id.is_empty() {
            return Err(invalid("client_id", "must not be empty"));
        }
        if new
            .scopes
            .iter()
            .any(|s| s.is_empty() || s.contains(char::is_whitespace))
        {
            return Err(invalid("scopes", "each scope must be one non-empty word"));
        }
        let token_endpoint = match &new.token_endpoint {
            Some(url) => Some(check_url("token_endpoint", url)?),
            None => None,
        };
        Ok(Self {
            display_name: display_name.to_owned(),
            base_url: check_url("fhir_base_url", &new.fhir_base_url)?,
            client_id: client_id.to_owned(),
            key_ref: check_key_ref(&new.key_ref)?,
            scopes: new.scopes.join(" "),
            token_endpoint,
        })
    }
}

fn check_url(field: &'static str, url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host_and_path) if !host_and_path.is_empty() && url.len() <= 2048 => {}
        _ => return Err(invalid(field, "must be an http:// or https:// URL")),
    }
    if url.contains(char::is_whitespace) {
        return Err(invalid(field, "must not contain spaces"));
    }
    Ok(url.to_owned())
}

fn check_key_ref(key_ref: &str) -> Result<String> {
    let key_ref = key_ref.trim();
    if key_ref.is_empty() {
        return Err(invalid("key_ref", "must name a key in the key store"));
    }
    // A PEM block, a JWK or anything long is key material pasted in the wrong place: refuse it
    // rather than write a secret into a file that is not protected like the key store.
    let looks_like_material = key_ref.len() > 128
        || key_ref.contains(char::is_whitespace)
        || key_ref.contains("-----")
        || key_ref.contains('{');
    if looks_like_material {
        return Err(invalid("key_ref", "must be a key name, never key material"));
    }
    Ok(key_ref.to_owned())
}
