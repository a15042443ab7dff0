//! One sandbox organisation: its configuration, directory, store handle, clock, fault knobs and
//! authorization server, and the scheduling rules ($find, $hold, $book, cancel) the FHIR
//! handlers call. The rules live here, not in the handlers, so the benchmark and unit tests can
//! call them without HTTP.

pub mod booking;
pub mod directory;
pub mod find;
pub mod patients;
pub mod proposal;
pub mod update;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use fhir_model::Appointment;
use parking_lot::Mutex;

use crate::auth::{AuthSettings, AuthState};
use crate::clock::Clock;
use crate::config::OrgConfig;
use crate::error::{SandboxError, StoreError};
use crate::faults::FaultState;
use crate::seed::{SeedData, generate, parse_offset};
use crate::store::Store;
use directory::Directory;

/// Proposals kept for reads and `$hold` by id; beyond this the oldest are forgotten (a
/// forgotten proposal is rebuilt from the slot ids in its id, minus its requestedPeriod).
const PROPOSAL_CACHE: usize = 20_000;

/// A running organisation. Shared by its handlers behind an `Arc`.
#[derive(Debug)]
pub struct Organisation {
    pub name: String,
    pub display: String,
    /// What the organisation models (a `home` organisation serves the home EHR's API).
    pub kind: crate::config::OrgKind,
    /// The scheduling dialect its FHIR API speaks.
    pub dialect: crate::config::SandboxDialect,
    /// A `home` organisation's FHIR version when it is not R4 (see `OrgConfig::fhir_version`).
    pub fhir_version: Option<String>,
    /// Absolute FHIR base, e.g. `http://127.0.0.1:8080/derm/fhir`.
    pub base: String,
    pub offset: FixedOffset,
    pub hold_ttl: Duration,
    pub store: Arc<Store>,
    pub directory: Directory,
    pub clock: Clock,
    pub faults: Arc<FaultState>,
    pub auth: AuthState,
    /// The operation bodies received (the admin `received` hook).
    pub received: crate::received::Received,
    /// Requests answered per interaction (the admin `requests` hook).
    pub requests: Arc<crate::counts::Counts>,
    proposals: Mutex<HashMap<String, Appointment>>,
}

impl Organisation {
    /// Seeds the organisation on first use of the store, then loads its directory.
    pub fn open(
        config: &OrgConfig,
        store: Arc<Store>,
        origin: &str,
        clock: Clock,
    ) -> Result<Self, SandboxError> {
        if config.kind == crate::config::OrgKind::Home {
            store.write(|tx| crate::home::prepare(tx, config, clock.now()))?;
        }
        if !store.is_seeded(&config.name)? {
            let seed = build_seed(config, clock.now())?;
            store.insert_seed(&config.name, &seed, &clock.now().to_rfc3339())?;
        }
        let directory = store.read(|c| Directory::load(c, &config.name))?;
        let mut settings = AuthSettings::for_org(origin, &config.name);
        settings.clients = config.clients.clone();
        settings.resource_server = config.resource_server.clone();
        settings.clock = clock.clone();
        if let Some(ttl) = config.faults.token_ttl_seconds {
            settings.token_ttl = Duration::seconds(i64::try_from(ttl).unwrap_or(300));
        }
        let auth = AuthState::new(settings);
        let seed_bits = config
            .seed
            .seed
            .wrapping_mul(31)
            .wrapping_add(config.name.len() as u64);
        Ok(Self {
            name: config.name.clone(),
            display: config.display.clone(),
            kind: config.kind,
            dialect: config.dialect,
            fhir_version: config.fhir_version.clone(),
            base: auth.fhir_base().to_owned(),
            offset: parse_offset(&config.utc_offset).unwrap_or(Utc.fix()),
            hold_ttl: Duration::seconds(i64::try_from(config.hold_ttl_seconds).unwrap_or(300)),
            store,
            directory,
            clock,
            faults: FaultState::new(config.faults.clone(), seed_bits),
            auth,
            received: crate::received::Received::default(),
            requests: Arc::default(),
            proposals: Mutex::new(HashMap::new()),
        })
    }

    /// Whether the organisation's FHIR API is R4 (an R4 dialect, or the home EHR).
    pub fn is_r4(&self) -> bool {
        let stu3_home = self
            .fhir_version
            .as_deref()
            .is_some_and(|v| v.starts_with("3."));
        self.dialect.is_r4() || (self.kind == crate::config::OrgKind::Home && !stu3_home)
    }

    /// The current time by the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Replaces the fault knobs (and the token lifetime they carry).
    pub fn set_faults(&self, faults: crate::faults::Faults) {
        let ttl = faults
            .token_ttl_seconds
            .map_or(crate::auth::DEFAULT_TOKEN_TTL, |s| {
                Duration::seconds(i64::try_from(s).unwrap_or(300))
            });
        self.auth.set_token_ttl(ttl);
        self.faults.set(faults);
    }

    /// Cancels lapsed holds (lazy expiry; see `store::expire_holds`).
    pub fn expire_holds(&self) -> Result<Vec<String>, StoreError> {
        let now = self.now();
        if !self
            .store
            .read(|c| crate::store::holds_due(c, &self.name, now))?
        {
            return Ok(Vec::new());
        }
        self.store
            .write(|tx| crate::store::expire_holds(tx, &self.name, now))
    }

    pub(crate) fn remember_proposal(&self, a: &Appointment) {
        let Some(id) = a.id.clone() else { return };
        let mut cache = self.proposals.lock();
        if cache.len() >= PROPOSAL_CACHE {
            cache.clear();
        }
        cache.insert(id, a.clone());
    }

    pub(crate) fn cached_proposal(&self, id: &str) -> Option<Appointment> {
        self.proposals.lock().get(id).cloned()
    }

    /// `base/Type/id`.
    pub fn full_url(&self, ty: &str, id: &str) -> String {
        format!("{}/{ty}/{id}", self.base)
    }
}

use chrono::Offset as _;

/// The generated seed plus any imported bundles.
fn build_seed(config: &OrgConfig, now: DateTime<Utc>) -> Result<SeedData, SandboxError> {
    let mut seed = generate(config, now);
    let zone = parse_offset(&config.utc_offset).unwrap_or(Utc.fix());
    for path in &config.seed.import {
        let imported =
            crate::import::load_file(path, now, zone).map_err(|e| SandboxError::Import {
                path: path.clone(),
                message: e.to_string(),
            })?;
        seed.extend(imported);
    }
    Ok(seed)
}
