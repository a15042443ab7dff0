//! The organisation directory: add, edit, remove, list, and `check` (discovery + token +
//! `/metadata`), whose capability report is kept on the organisation row.

use chrono::{DateTime, Utc};
use referral_store::{NewOrganisation, Organisation, OrganisationId, OrganisationUpdate};
use serde::{Deserialize, Serialize};

use crate::app::{APP_KEY_NAME, App};
use crate::error::{CoreError, CoreResult};
use crate::remote::Capabilities;

/// What an admin enters for an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationInput {
    /// Slug (`north-clinic`).
    pub id: String,
    /// Name shown to users.
    pub display_name: String,
    /// FHIR base URL.
    pub fhir_base_url: String,
    /// SMART client id registered there.
    pub client_id: String,
    /// Scopes, space separated.
    pub scopes: String,
    /// Included in searches.
    pub enabled: bool,
}

/// One step of a connection check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckStep {
    /// Whether it worked.
    pub ok: bool,
    /// What was found or what went wrong, as a sentence.
    pub detail: String,
}

/// The stored result of `check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// When it was run.
    pub checked_at: DateTime<Utc>,
    /// Discovery step.
    pub discovery: CheckStep,
    /// Token step.
    pub token: CheckStep,
    /// `/metadata` step.
    pub metadata: CheckStep,
    /// What `/metadata` offered (empty when it failed).
    pub capabilities: Capabilities,
}

impl CheckReport {
    /// Every step worked.
    pub fn ok(&self) -> bool {
        self.discovery.ok && self.token.ok && self.metadata.ok
    }

    /// Whether `$hold` is offered.
    pub fn hold_supported(&self) -> bool {
        self.capabilities.supports("hold")
    }
}

/// Default scopes for a new organisation.
pub const DEFAULT_SCOPES: &str = "system/Appointment.* system/Patient.* system/Coverage.* system/Slot.read \
     system/ReferralRequest.* system/Practitioner.read system/PractitionerRole.read system/Location.read";

fn scopes_of(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

impl App {
    /// The directory (disabled ones only when `include_disabled`).
    pub async fn organisations(&self, include_disabled: bool) -> CoreResult<Vec<Organisation>> {
        let all = self.db(|s| s.organisations()).await?;
        Ok(all
            .into_iter()
            .filter(|o| include_disabled || o.enabled)
            .collect())
    }

    /// Adds an organisation that signs with the app key.
    pub async fn add_organisation(&self, input: OrganisationInput) -> CoreResult<Organisation> {
        let id = OrganisationId::new(input.id.trim().to_owned())?;
        let new = NewOrganisation {
            id,
            display_name: input.display_name,
            fhir_base_url: input.fhir_base_url,
            client_id: input.client_id,
            key_ref: APP_KEY_NAME.to_owned(),
            scopes: scopes_of(&input.scopes),
            token_endpoint: None,
            enabled: input.enabled,
            is_sandbox: false,
        };
        self.db(move |s| s.add_organisation(&new)).await
    }

    /// Changes an organisation's details.
    pub async fn edit_organisation(&self, input: OrganisationInput) -> CoreResult<Organisation> {
        let id = OrganisationId::new(input.id.trim().to_owned())?;
        self.forget_remote(&id);
        let update = OrganisationUpdate {
            display_name: Some(input.display_name),
            fhir_base_url: Some(input.fhir_base_url),
            client_id: Some(input.client_id),
            scopes: Some(scopes_of(&input.scopes)),
            token_endpoint: Some(None),
            enabled: Some(input.enabled),
            ..OrganisationUpdate::default()
        };
        self.db(move |s| s.update_organisation(&id, &update)).await
    }

    /// Sets the scheduling dialect an organisation is spoken to in (`argonaut`, `ihe-iti`,
    /// `plain-r4`, `epic`, `oracle`), or `None`/`auto` to detect it from its CapabilityStatement
    /// again. The connection is rebuilt with it on next use.
    pub async fn set_organisation_dialect(
        &self,
        id: &str,
        dialect: Option<&str>,
    ) -> CoreResult<Organisation> {
        let id = OrganisationId::new(id.trim().to_owned())?;
        let dialect = parse_dialect(dialect)?.map(|d| d.as_str().to_owned());
        self.forget_remote(&id);
        let update = OrganisationUpdate {
            dialect: Some(dialect),
            ..OrganisationUpdate::default()
        };
        self.db(move |s| s.update_organisation(&id, &update)).await
    }

    /// Removes an organisation; one with referrals is disabled instead so their history stays
    /// readable. Returns whether it was deleted (`false`: disabled).
    pub async fn remove_organisation(&self, id: &str) -> CoreResult<bool> {
        let id = OrganisationId::new(id.trim().to_owned())?;
        self.forget_remote(&id);
        self.db(move |s| {
            if s.remove_organisation(&id)? {
                return Ok(true);
            }
            let update = OrganisationUpdate {
                enabled: Some(false),
                ..OrganisationUpdate::default()
            };
            s.update_organisation(&id, &update).map(|_| false)
        })
        .await
    }

    /// Discovery, token and `/metadata`; the report is stored on the organisation row.
    pub async fn check_organisation(&self, id: &str) -> CoreResult<CheckReport> {
        let org_id = OrganisationId::new(id.trim().to_owned())?;
        self.forget_remote(&org_id);
        let (org, remote) = self.remote(&org_id).await?;
        let discovery = match remote.discover().await {
            Ok(endpoint) => step(true, format!("token endpoint {endpoint}")),
            Err(e) => step(false, sentence(&org.display_name, &e)),
        };
        let token = if discovery.ok {
            match remote.authenticate().await {
                Ok(()) => step(
                    true,
                    "an access token was issued for the app key".to_owned(),
                ),
                Err(e) => step(false, sentence(&org.display_name, &e)),
            }
        } else {
            step(false, "not tried: discovery failed".to_owned())
        };
        let (metadata, capabilities) = match remote.capabilities().await {
            Ok(c) => (
                step(
                    true,
                    format!(
                        "FHIR {}; operations: {}",
                        c.fhir_version.as_deref().unwrap_or("version not stated"),
                        c.operations.join(", ")
                    ),
                ),
                c,
            ),
            Err(e) => (
                step(false, sentence(&org.display_name, &e)),
                Capabilities::default(),
            ),
        };
        let report = CheckReport {
            checked_at: self.now(),
            discovery,
            token,
            metadata,
            capabilities,
        };
        let json = serde_json::to_value(&report).map_err(|e| CoreError::Task {
            reason: e.to_string(),
        })?;
        self.db(move |s| s.record_capability(&org_id, &json))
            .await?;
        Ok(report)
    }

    /// The stored report of the last check, if any.
    pub fn last_check(org: &Organisation) -> Option<CheckReport> {
        org.capability
            .as_ref()
            .and_then(|c| serde_json::from_value(c.json.clone()).ok())
    }
}

/// A dialect name as an admin types it; `None`, blank and `auto` mean "detect".
pub fn parse_dialect(text: Option<&str>) -> CoreResult<Option<sched_client::Dialect>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.eq_ignore_ascii_case("auto") => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| CoreError::InvalidInput {
            field: "dialect",
            problem: format!(
                "'{t}' is not a dialect; use auto, {}",
                sched_client::Dialect::ALL.map(|d| d.as_str()).join(", ")
            ),
        }),
    }
}

/// The plain name of a dialect (`plain-r4` → "plain FHIR R4 (…)"); `None` for an unknown name.
pub fn dialect_label(name: &str) -> Option<&'static str> {
    name.parse::<sched_client::Dialect>()
        .ok()
        .map(sched_client::Dialect::label)
}

fn step(ok: bool, detail: String) -> CheckStep {
    CheckStep { ok, detail }
}

fn sentence(org: &str, e: &crate::remote::RemoteError) -> String {
    crate::describe::remote_sentence(org, e)
}
