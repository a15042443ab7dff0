//! SMART `system/` scopes, v1 (`system/Appointment.read|write|*`) and v2
//! (`system/Appointment.cruds` subsets in order), and the check "does this grant allow that?".
//!
//! v1 maps onto v2 as the SMART App Launch 2 spec says: `.read` = `.rs`, `.write` = `.cud`,
//! `.*` = `.cruds`. Granular v2 scopes (`?param=value`), `patient/` and `user/` scopes, and
//! out-of-order suffixes are refused, because a backend-services server cannot honour them
//! and silently widening them would grant more than was asked.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// One kind of access a FHIR interaction needs (the letters of a v2 scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// `c`: create (POST a new resource).
    Create,
    /// `r`: read, vread, instance history.
    Read,
    /// `u`: update and patch.
    Update,
    /// `d`: delete.
    Delete,
    /// `s`: search, type history (and search-like operations such as `$find`).
    Search,
}

impl Access {
    const ALL: [Access; 5] = [
        Access::Create,
        Access::Read,
        Access::Update,
        Access::Delete,
        Access::Search,
    ];

    fn bit(self) -> u8 {
        match self {
            Access::Create => 1,
            Access::Read => 2,
            Access::Update => 4,
            Access::Delete => 8,
            Access::Search => 16,
        }
    }

    fn letter(self) -> char {
        match self {
            Access::Create => 'c',
            Access::Read => 'r',
            Access::Update => 'u',
            Access::Delete => 'd',
            Access::Search => 's',
        }
    }
}

/// Why a scope string is not a `system/` scope this server understands.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unsupported scope '{scope}': {reason}")]
pub struct ScopeError {
    pub scope: String,
    pub reason: &'static str,
}

/// One parsed `system/` scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The resource type, `None` for `*`.
    resource: Option<String>,
    /// Bit set of [`Access`] values.
    perms: u8,
    /// The text as the client wrote it (echoed back in the token response).
    text: String,
}

impl Scope {
    /// Whether this scope grants `access` on `resource_type`.
    pub fn allows(&self, resource_type: &str, access: Access) -> bool {
        self.resource.as_deref().is_none_or(|r| r == resource_type)
            && self.perms & access.bit() != 0
    }

    /// The scope as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The equivalent v2 suffix, e.g. `rs` for `read`.
    pub fn v2_letters(&self) -> String {
        Access::ALL
            .iter()
            .filter(|a| self.perms & a.bit() != 0)
            .map(|a| a.letter())
            .collect()
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Scope {
    type Err = ScopeError;

    fn from_str(text: &str) -> Result<Self, ScopeError> {
        let err = |reason| ScopeError {
            scope: text.to_owned(),
            reason,
        };
        let rest = text
            .strip_prefix("system/")
            .ok_or_else(|| err("only system/ scopes are offered to backend services"))?;
        if rest.contains('?') {
            return Err(err("granular (?param=value) scopes are not supported"));
        }
        let (resource, suffix) = rest
            .split_once('.')
            .ok_or_else(|| err("expected system/<Type|*>.<permissions>"))?;
        let resource = parse_resource(resource).ok_or_else(|| err("bad resource type"))?;
        let perms = parse_perms(suffix).ok_or_else(|| {
            err("permissions must be read, write, * or a subset of cruds in that order")
        })?;
        Ok(Self {
            resource,
            perms,
            text: text.to_owned(),
        })
    }
}

fn parse_resource(name: &str) -> Option<Option<String>> {
    if name == "*" {
        return Some(None);
    }
    let mut chars = name.chars();
    let first_upper = chars.next().is_some_and(|c| c.is_ascii_uppercase());
    (first_upper && chars.all(|c| c.is_ascii_alphanumeric())).then(|| Some(name.to_owned()))
}

fn parse_perms(suffix: &str) -> Option<u8> {
    let v1 = match suffix {
        "read" => Some(Access::Read.bit() | Access::Search.bit()),
        "write" => Some(Access::Create.bit() | Access::Update.bit() | Access::Delete.bit()),
        "*" => Some(31),
        _ => None,
    };
    if v1.is_some() {
        return v1;
    }
    // v2: a non-empty subsequence of "cruds", letters in that order, none repeated.
    let mut perms = 0u8;
    let mut next = 0usize;
    for ch in suffix.chars() {
        let pos = Access::ALL[next..].iter().position(|a| a.letter() == ch)?;
        perms |= Access::ALL[next + pos].bit();
        next += pos + 1;
    }
    (perms != 0).then_some(perms)
}

/// The scopes of one token or one registration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeSet {
    scopes: Vec<Scope>,
}

impl ScopeSet {
    /// Parses a space-separated scope string (empty parts ignored).
    pub fn parse(text: &str) -> Result<Self, ScopeError> {
        Self::from_list(text.split(' ').filter(|s| !s.is_empty()))
    }

    /// Parses a list of scope strings.
    pub fn from_list<'a>(list: impl IntoIterator<Item = &'a str>) -> Result<Self, ScopeError> {
        let scopes = list
            .into_iter()
            .map(str::parse)
            .collect::<Result<Vec<Scope>, _>>()?;
        Ok(Self { scopes })
    }

    /// Whether any scope grants `access` on `resource_type`.
    pub fn allows(&self, resource_type: &str, access: Access) -> bool {
        self.scopes.iter().any(|s| s.allows(resource_type, access))
    }

    /// Whether every permission of `scope` is granted by this set. A type-specific request is
    /// covered by `*` grants; a `*` request only by `*` grants.
    pub fn covers(&self, scope: &Scope) -> bool {
        Access::ALL
            .iter()
            .filter(|a| scope.perms & a.bit() != 0)
            .all(|&a| {
                self.scopes.iter().any(|g| {
                    g.perms & a.bit() != 0 && (g.resource.is_none() || g.resource == scope.resource)
                })
            })
    }

    /// The scopes of `requested` this set does not cover.
    pub fn uncovered<'a>(&self, requested: &'a ScopeSet) -> Vec<&'a Scope> {
        requested
            .scopes
            .iter()
            .filter(|s| !self.covers(s))
            .collect()
    }

    /// Whether there are no scopes.
    pub fn is_empty(&self) -> bool {
        self.scopes.is_empty()
    }

    /// The scopes in order.
    pub fn iter(&self) -> impl Iterator<Item = &Scope> {
        self.scopes.iter()
    }
}

impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let texts: Vec<&str> = self.scopes.iter().map(Scope::as_str).collect();
        f.write_str(&texts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn v1_scopes_map_to_v2_letters() {
        let read: Scope = "system/Appointment.read".parse().unwrap();
        assert_eq!(read.v2_letters(), "rs");
        let write: Scope = "system/Appointment.write".parse().unwrap();
        assert_eq!(write.v2_letters(), "cud");
        let all: Scope = "system/*.*".parse().unwrap();
        assert_eq!(all.v2_letters(), "cruds");
        assert!(all.allows("Slot", Access::Delete));
        assert!(!read.allows("Appointment", Access::Update));
        assert!(!read.allows("Patient", Access::Read));
    }

    #[test]
    fn v2_suffixes_must_be_in_order_without_repeats() {
        assert_eq!(
            "system/Patient.rs".parse::<Scope>().unwrap().v2_letters(),
            "rs"
        );
        assert_eq!(
            "system/Patient.cu".parse::<Scope>().unwrap().v2_letters(),
            "cu"
        );
        for bad in [
            "system/Patient.sr",
            "system/Patient.rr",
            "system/Patient.",
            "system/Patient.x",
            "system/patient.rs",
            "patient/Patient.rs",
            "user/*.read",
            "system/Patient.rs?identifier=x",
            "launch",
            "system/Patient",
        ] {
            assert!(bad.parse::<Scope>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn registrations_are_checked_when_configured() {
        let ok = crate::auth::ClientRegistration {
            client_id: "app".into(),
            jwks: Some(serde_json::json!({"keys": []})),
            jwks_url: None,
            scopes: vec!["system/*.rs".into()],
        };
        assert!(ok.validate().is_ok());
        let no_keys = crate::auth::ClientRegistration {
            jwks: None,
            ..ok.clone()
        };
        assert!(no_keys.validate().unwrap_err().contains("jwks"));
        let bad_url = crate::auth::ClientRegistration {
            jwks_url: Some("ftp://x".into()),
            ..ok.clone()
        };
        assert!(bad_url.validate().is_err());
        let bad_scope = crate::auth::ClientRegistration {
            scopes: vec!["user/*.read".into()],
            ..ok
        };
        assert!(bad_scope.validate().unwrap_err().contains("user/*.read"));
    }

    #[test]
    fn requested_scopes_must_be_covered_by_grants() {
        let granted =
            ScopeSet::parse("system/Appointment.read system/Patient.* system/Coverage.cu").unwrap();
        let ok =
            ScopeSet::parse("system/Appointment.rs system/Patient.c system/Coverage.u").unwrap();
        assert!(granted.uncovered(&ok).is_empty());
        let too_much = ScopeSet::parse("system/Appointment.cruds system/*.rs").unwrap();
        let missing: Vec<&str> = granted
            .uncovered(&too_much)
            .iter()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(missing, ["system/Appointment.cruds", "system/*.rs"]);
        let wildcard = ScopeSet::parse("system/*.rs").unwrap();
        assert!(wildcard.covers(&"system/Slot.read".parse().unwrap()));
        assert!(!wildcard.covers(&"system/Slot.write".parse().unwrap()));
    }
}
