//! Sandbox configuration: organisations, their seed, client registrations, hold time-to-live and
//! fault knobs. Read from TOML (documented in `docs/sandbox.md`) or built in code; with no file
//! the built-in default has three organisations.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::auth::ClientRegistration;
use crate::error::ConfigError;
use crate::faults::Faults;

/// The whole sandbox: one process, several organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    #[serde(default)]
    pub port: u16,
    /// SQLite file shared by all organisations; absent = in memory (lost at exit).
    #[serde(default)]
    pub db: Option<PathBuf>,
    #[serde(default, rename = "organisations")]
    pub organisations: Vec<OrgConfig>,
    /// Directory where every FHIR JSON response is also written (schema validation in CI);
    /// env `REFDESK_CAPTURE_DIR` does the same.
    #[serde(default)]
    pub capture_dir: Option<PathBuf>,
}

/// What kind of organisation the generated seed models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    /// A specialist group (dermatology by default; see `specialty`).
    Specialty,
    /// A primary-care practice (family and general practice).
    PrimaryCare,
    /// An imaging centre: MRI, CT, x-ray and ultrasound services.
    Imaging,
    /// No generated directory: the data comes from `seed.import` only.
    Empty,
    /// The home EHR (FHIR R4): patients, coverages, referral orders and their claim Tasks
    /// (`docs/sandbox-home.md`).
    Home,
}

/// The scheduling dialect an organisation speaks (the same scheduling rules behind each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SandboxDialect {
    /// Argonaut Scheduling (STU3): `$find`, `$hold`, `$book`.
    #[default]
    Argonaut,
    /// IHE ITI Scheduling (R4): ITI-115..118.
    IheIti,
    /// Plain FHIR R4: Slot search, Slot update, transaction booking.
    PlainR4,
    /// Epic's STU3 `$find`/`$book` parameter names, no hold.
    Epic,
    /// Oracle Health Millennium R4.
    Oracle,
}

impl SandboxDialect {
    /// Whether the organisation's FHIR API is R4.
    pub fn is_r4(self) -> bool {
        matches!(self, Self::IheIti | Self::PlainR4 | Self::Oracle)
    }
}

/// One organisation: its own FHIR base `/<name>/fhir`, token endpoint and data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgConfig {
    /// URL segment: lowercase letters, digits and '-'.
    pub name: String,
    /// Human name of the organisation (Organization.name).
    pub display: String,
    pub kind: OrgKind,
    /// The scheduling dialect it speaks (default `argonaut`).
    #[serde(default)]
    pub dialect: SandboxDialect,
    /// SNOMED CT specialty code for `kind = "specialty"` (default dermatology 394582007).
    #[serde(default)]
    pub specialty: Option<String>,
    /// Fixed UTC offset of the organisation's wall clock, e.g. "-05:00".
    #[serde(default = "default_offset")]
    pub utc_offset: String,
    #[serde(default)]
    pub seed: SeedConfig,
    /// How long a `$hold` lasts before it is cancelled and its slots freed.
    #[serde(default = "default_hold_ttl")]
    pub hold_ttl_seconds: u64,
    #[serde(default)]
    pub clients: Vec<ClientRegistration>,
    #[serde(default)]
    pub faults: Faults,
    /// Base URL of an external FHIR resource server (e.g. helios-hfs) this organisation's
    /// token endpoint issues signed JWT access tokens for (`aud`), published at
    /// `/<name>/auth/jwks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_server: Option<String>,
    /// The FHIR version a `home` organisation speaks: absent (or 4.x) = R4 with ServiceRequest
    /// orders; "3.0.2" (any 3.x) = STU3, whose orders are ReferralRequest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fhir_version: Option<String>,
}

/// The generated seed: deterministic for a given `seed` number and start week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedConfig {
    /// Seed number of the generator: same number, same data.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Weeks of slots starting with the current week.
    #[serde(default = "default_horizon")]
    pub horizon_weeks: u32,
    /// Practitioners (or imaging rooms) to generate; 0 = the kind's default.
    #[serde(default)]
    pub practitioners: u32,
    /// Existing patients (with MRN and Coverage).
    #[serde(default = "default_patients")]
    pub patients: u32,
    /// STU3 transaction Bundles (JSON or XML) loaded after the generated seed.
    #[serde(default)]
    pub import: Vec<PathBuf>,
    /// Generated referral orders of a `home` organisation, besides the three scenario orders.
    #[serde(default = "default_orders")]
    pub orders: u32,
}

impl Default for SeedConfig {
    fn default() -> Self {
        Self {
            seed: default_seed(),
            horizon_weeks: default_horizon(),
            practitioners: 0,
            patients: default_patients(),
            import: Vec::new(),
            orders: default_orders(),
        }
    }
}

fn default_offset() -> String {
    "-05:00".to_owned()
}
fn default_hold_ttl() -> u64 {
    300
}
fn default_seed() -> u64 {
    1
}
fn default_horizon() -> u32 {
    8
}
fn default_patients() -> u32 {
    24
}
fn default_orders() -> u32 {
    12
}

impl OrgConfig {
    /// An organisation with default seed, hold TTL and no faults.
    pub fn new(name: &str, display: &str, kind: OrgKind) -> Self {
        Self {
            name: name.to_owned(),
            display: display.to_owned(),
            kind,
            dialect: SandboxDialect::default(),
            specialty: None,
            utc_offset: default_offset(),
            seed: SeedConfig::default(),
            hold_ttl_seconds: default_hold_ttl(),
            clients: Vec::new(),
            faults: Faults::default(),
            resource_server: None,
            fhir_version: None,
        }
    }
}

impl Default for SandboxConfig {
    /// Three organisations: a dermatology group, a primary-care practice, an imaging centre.
    fn default() -> Self {
        let mut derm = OrgConfig::new("derm", "Riverside Dermatology Group", OrgKind::Specialty);
        derm.seed.seed = 11;
        let mut primary = OrgConfig::new(
            "primary",
            "Maple Street Family Practice",
            OrgKind::PrimaryCare,
        );
        primary.seed.seed = 22;
        let mut imaging = OrgConfig::new("imaging", "Lakeside Imaging Center", OrgKind::Imaging);
        imaging.seed.seed = 33;
        Self {
            port: 0,
            db: None,
            organisations: vec![derm, primary, imaging],
            capture_dir: None,
        }
    }
}

impl SandboxConfig {
    /// Reads and checks a TOML file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(&text)
    }

    /// Parses and checks TOML text.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let config: Self =
            toml::from_str(text).map_err(|e| ConfigError::Parse(e.message().to_owned()))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks names, offsets and knobs.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.organisations.is_empty() {
            return Err(ConfigError::Invalid(
                "at least one organisation is needed".to_owned(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for org in &self.organisations {
            org.validate()?;
            if !seen.insert(org.name.as_str()) {
                return Err(ConfigError::Invalid(format!(
                    "organisation '{}' twice",
                    org.name
                )));
            }
        }
        Ok(())
    }
}

impl OrgConfig {
    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: String| {
            Err(ConfigError::Invalid(format!(
                "organisation '{}': {m}",
                self.name
            )))
        };
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 40
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !name_ok || self.name == "admin" {
            return bad("name must be 1-40 of a-z, 0-9, '-' and not 'admin'".to_owned());
        }
        if crate::seed::parse_offset(&self.utc_offset).is_none() {
            return bad(format!("utc_offset '{}' is not ±hh:mm", self.utc_offset));
        }
        if self.seed.horizon_weeks == 0 || self.seed.horizon_weeks > 52 {
            return bad("seed.horizon_weeks must be 1..=52".to_owned());
        }
        if self.hold_ttl_seconds == 0 {
            return bad("hold_ttl_seconds must be positive".to_owned());
        }
        if let Some(rs) = &self.resource_server {
            let ok = url::Url::parse(rs).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !ok {
                return bad(format!("resource_server '{rs}' is not an http(s) URL"));
            }
        }
        self.faults
            .validate()
            .map_err(|m| ConfigError::Invalid(format!("organisation '{}': {m}", self.name)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    const EXAMPLE: &str = r#"
port = 0
db = "sandbox.db"

[[organisations]]
name = "derm"
display = "Riverside Dermatology Group"
kind = "specialty"
specialty = "394582007"
utc_offset = "-06:00"
hold_ttl_seconds = 120

[organisations.seed]
seed = 7
horizon_weeks = 4
patients = 3

[[organisations.clients]]
client_id = "referral-desk"
jwks_url = "http://127.0.0.1:9999/jwks.json"
scopes = ["system/Appointment.rs", "system/Appointment.cu"]

[organisations.faults]
latency_ms = 20
throttle_rate = 0.1
retry_after_seconds = 3
hold_not_supported = true

[[organisations]]
name = "imaging"
display = "Lakeside Imaging Center"
kind = "imaging"
"#;

    #[test]
    fn the_documented_toml_reads_with_defaults_filled_in() {
        let c = SandboxConfig::from_toml(EXAMPLE).unwrap();
        assert_eq!(c.organisations.len(), 2);
        let derm = &c.organisations[0];
        assert_eq!(derm.hold_ttl_seconds, 120);
        assert_eq!(derm.seed.horizon_weeks, 4);
        assert_eq!(
            derm.clients[0].jwks_url.as_deref(),
            Some("http://127.0.0.1:9999/jwks.json")
        );
        assert!(derm.faults.hold_not_supported);
        let imaging = &c.organisations[1];
        assert_eq!(
            (imaging.seed.horizon_weeks, imaging.hold_ttl_seconds),
            (8, 300),
            "defaults"
        );
    }

    #[test]
    fn mistakes_are_named() {
        let unknown = SandboxConfig::from_toml(
            "[[organisations]]\nname = \"a\"\ndisplay = \"A\"\nkind = \"imaging\"\ncolour = 1\n",
        );
        assert!(unknown.unwrap_err().to_string().contains("colour"));
        let twice = SandboxConfig::from_toml(
            "[[organisations]]\nname = \"a\"\ndisplay = \"A\"\nkind = \"imaging\"\n[[organisations]]\nname = \"a\"\ndisplay = \"B\"\nkind = \"imaging\"\n",
        );
        assert!(twice.unwrap_err().to_string().contains("twice"));
        let bad_name = SandboxConfig::from_toml(
            "[[organisations]]\nname = \"Admin\"\ndisplay = \"A\"\nkind = \"imaging\"\n",
        );
        assert!(bad_name.is_err());
        let bad_rate = SandboxConfig::from_toml(
            "[[organisations]]\nname = \"a\"\ndisplay = \"A\"\nkind = \"imaging\"\n[organisations.faults]\ndrop_rate = 2.0\n",
        );
        assert!(bad_rate.unwrap_err().to_string().contains("drop_rate"));
        assert!(SandboxConfig::default().validate().is_ok());
    }

    #[test]
    fn a_resource_server_is_read_from_toml_and_must_be_an_http_url() {
        let org = "[[organisations]]\nname = \"a\"\ndisplay = \"A\"\nkind = \"imaging\"\n";
        let good = SandboxConfig::from_toml(&format!(
            "{org}resource_server = \"http://127.0.0.1:8090\"\n"
        ))
        .unwrap();
        assert_eq!(
            good.organisations[0].resource_server.as_deref(),
            Some("http://127.0.0.1:8090")
        );
        assert_eq!(
            SandboxConfig::from_toml(org).unwrap().organisations[0].resource_server,
            None
        );
        let bad = SandboxConfig::from_toml(&format!("{org}resource_server = \"hfs:8090\"\n"));
        assert!(bad.unwrap_err().to_string().contains("resource_server"));
    }
}
