//! Setting the home organisation, this data directory's desk identity (id, display, lease
//! length) and the home's queue client, built once and kept until the home's row changes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use referral_model::{HomeInfo, HomeInput, NewOrganisation, Organisation, OrganisationId};
use sched_client::home::{Desk, HomeClient, OrderKind};

use crate::app::{APP_KEY_NAME, App};
use crate::error::{CoreError, CoreResult};

/// The home's row id in the directory (one home per desk).
pub const HOME_ID: &str = "home";
/// Scopes asked of the home (R4: referral orders are ServiceRequests).
pub const HOME_SCOPES: &str =
    "system/ServiceRequest.rs system/Task.cruds system/Patient.rs system/Coverage.rs";
/// Scopes asked of a home that declares FHIR STU3 (referral orders are ReferralRequests).
pub const HOME_SCOPES_STU3: &str =
    "system/ReferralRequest.rs system/Task.cruds system/Patient.rs system/Coverage.rs";
/// Setting: this data directory's desk id (UUID v4, created once).
pub const DESK_ID: &str = "desk.id";
/// Setting: the claim lease in seconds.
pub const LEASE_SECONDS: &str = "queue.lease_seconds";
/// Setting: the latest `meta.lastUpdated` seen at home (the next refresh's `_lastUpdated`).
pub const CURSOR: &str = "queue.cursor";
/// Setting: when the queue was last refreshed.
pub const LAST_REFRESHED: &str = "queue.last_refreshed";
/// Lease length without a setting: 15 minutes.
pub const DEFAULT_LEASE_SECONDS: u32 = 900;
/// Longest lease accepted: one day.
const MAX_LEASE_SECONDS: u32 = 86_400;

/// The home client with the row it was built from.
pub(crate) type HomeSlot = (DateTime<Utc>, HomeClient);

impl App {
    /// Sets (or replaces) the home organisation and, when given, the claim lease length.
    pub async fn set_home(&self, input: HomeInput) -> CoreResult<HomeInfo> {
        if let Some(lease) = input.lease_seconds
            && !(1..=MAX_LEASE_SECONDS).contains(&lease)
        {
            return Err(CoreError::invalid(
                "lease_seconds",
                "must be between 1 second and one day",
            ));
        }
        let base_url = input.base_url.trim().to_owned();
        let scopes = home_scopes(&base_url).await;
        let new = NewOrganisation {
            id: OrganisationId::new(HOME_ID)?,
            display_name: input.name,
            fhir_base_url: base_url,
            client_id: input.client_id.trim().to_owned(),
            key_ref: APP_KEY_NAME.to_owned(),
            scopes: scopes.split_whitespace().map(str::to_owned).collect(),
            token_endpoint: input
                .token_url
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
            enabled: true,
            is_sandbox: false,
        };
        let lease = input.lease_seconds;
        self.db(move |s| {
            s.save_home_organisation(&new)?;
            if let Some(lease) = lease {
                s.set_setting(LEASE_SECONDS, &lease.to_string())?;
            }
            Ok(())
        })
        .await?;
        self.forget_home_client();
        self.home().await?.ok_or(CoreError::HomeNotSet)
    }

    /// The home organisation and this desk's identity, or `None` when no home is set.
    pub async fn home(&self) -> CoreResult<Option<HomeInfo>> {
        let Some(org) = self.db(|s| s.home_organisation()).await? else {
            return Ok(None);
        };
        let desk = self.desk().await?;
        let lease_seconds = self.lease_seconds().await?;
        let last_refreshed = self
            .db(|s| s.setting(LAST_REFRESHED))
            .await?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc));
        Ok(Some(HomeInfo {
            name: org.display_name,
            base_url: org.fhir_base_url,
            client_id: org.client_id,
            token_url: org.token_endpoint,
            desk_id: desk.id.clone(),
            desk_display: desk.display.clone(),
            lease_seconds,
            last_refreshed,
        }))
    }

    /// This data directory's desk: its id (created on first use) and the store's actor.
    pub async fn desk(&self) -> CoreResult<Desk> {
        let actor = self.store().actor();
        let id = self
            .db(|s| match s.setting(DESK_ID)? {
                Some(id) => Ok(id),
                None => {
                    let id = uuid::Uuid::new_v4().hyphenated().to_string();
                    s.set_setting(DESK_ID, &id)?;
                    Ok(id)
                }
            })
            .await?;
        Ok(Desk::new(&id, &actor.user, &actor.workstation))
    }

    /// The claim lease length in seconds.
    pub async fn lease_seconds(&self) -> CoreResult<u32> {
        let set = self.db(|s| s.setting(LEASE_SECONDS)).await?;
        Ok(set
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|v| (1..=MAX_LEASE_SECONDS).contains(v))
            .unwrap_or(DEFAULT_LEASE_SECONDS))
    }

    /// The home row and its queue client (built on first use, rebuilt when the row changes).
    pub(crate) async fn home_client(&self) -> CoreResult<(Organisation, HomeClient)> {
        let org = self
            .db(|s| s.home_organisation())
            .await?
            .ok_or(CoreError::HomeNotSet)?;
        if let Some((stamp, client)) = self.cached_home_client()
            && stamp == org.updated_at
        {
            return Ok((org, client));
        }
        let recorded = {
            let id = org.id.clone();
            self.db(move |s| s.organisation_key(&id)).await?
        };
        let key = Arc::new(self.key_for(&org, recorded.as_ref())?);
        let desk = self.desk().await?;
        let client = self
            .connector()
            .connect_home(&org, key, desk)
            .map_err(|e| CoreError::remote(&org.display_name, e))?;
        self.cache_home_client((org.updated_at, client.clone()));
        Ok((org, client))
    }
}

/// The scopes to ask of the home at `base_url`: by the FHIR version its CapabilityStatement
/// declares (read without a token, since the token's scopes depend on it), R4's when it cannot
/// be read now (an admin may set the home up offline; setting it again re-reads it).
async fn home_scopes(base_url: &str) -> &'static str {
    let Ok(client) = sched_client::OrgClient::builder(base_url)
        .name("home")
        .timeout(std::time::Duration::from_secs(5))
        .retry(sched_client::RetryPolicy::none())
        .build()
    else {
        return HOME_SCOPES;
    };
    match client.capabilities().await {
        Ok(caps) => match OrderKind::of_version(caps.fhir_version.as_deref()) {
            OrderKind::ReferralRequest => HOME_SCOPES_STU3,
            OrderKind::ServiceRequest => HOME_SCOPES,
        },
        Err(_) => HOME_SCOPES,
    }
}
