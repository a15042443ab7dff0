//! Key rotation for the whole desk: list the app's keys with the organisations signing with
//! each, add a key (it becomes the one new registrations use), move an organisation to a key,
//! and retire a key no organisation uses any more.

use referral_store::{Organisation, OrganisationId, OrganisationKey};
use smart_auth::{KeyInfo, SigningAlg};

use crate::app::{APP_KEY_NAME, App};
use crate::error::{CoreError, CoreResult};

/// One key of the app with the organisations that sign with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyListing {
    /// Id, algorithm, created and retired times (never the private key).
    pub info: KeyInfo,
    /// Whether new registrations use it.
    pub active: bool,
    /// The organisations signing with it (id, display name).
    pub organisations: Vec<(OrganisationId, String)>,
}

impl App {
    /// Every key of the app, active first, with who uses each.
    pub async fn list_keys(&self) -> CoreResult<Vec<KeyListing>> {
        let set = self.keyset();
        let keys = set.list().map_err(CoreError::Key)?;
        let active = set.active_kid().map_err(CoreError::Key)?;
        let users = self.key_users().await?;
        Ok(keys
            .into_iter()
            .map(|info| KeyListing {
                active: active.as_deref() == Some(info.kid.as_str()),
                organisations: users
                    .iter()
                    .filter(|(_, kid)| *kid == info.kid)
                    .map(|(org, _)| (org.id.clone(), org.display_name.clone()))
                    .collect(),
                info,
            })
            .collect())
    }

    /// Generates a key with `alg` and makes it active for new registrations. Organisations
    /// registered before keep the key they sign with now (it is recorded for them first).
    pub async fn add_key(&self, alg: SigningAlg) -> CoreResult<KeyInfo> {
        for (org, kid) in self.key_users().await? {
            let recorded = self.recorded_key(&org.id).await?;
            if recorded.is_none() && org.key_ref == APP_KEY_NAME {
                self.record_key(&org.id, &kid).await?;
            }
        }
        self.keyset().add(alg, self.now()).map_err(CoreError::Key)
    }

    /// Moves an organisation to the key `kid` (which must not be retired). The organisation
    /// must already have the key's public part registered (or read it from the desk's JWKS).
    pub async fn set_organisation_key(&self, id: &OrganisationId, kid: &str) -> CoreResult<()> {
        let org_id = id.clone();
        self.db(move |s| s.organisation(&org_id)).await?;
        self.record_key(id, kid).await?;
        self.forget_remote(id);
        Ok(())
    }

    /// Retires `kid`: it leaves the JWKS and its private part is deleted. Refused, naming them,
    /// while organisations still sign with it.
    pub async fn retire_key(&self, kid: &str) -> CoreResult<KeyInfo> {
        let users: Vec<String> = self
            .key_users()
            .await?
            .into_iter()
            .filter(|(_, k)| k == kid)
            .map(|(org, _)| org.display_name)
            .collect();
        if !users.is_empty() {
            return Err(CoreError::KeyInUse {
                kid: kid.to_owned(),
                organisations: users,
            });
        }
        self.keyset()
            .retire(kid, self.now())
            .map_err(key_error(kid))
    }

    /// Every organisation with the kid it signs with (recorded, or that of the key its row
    /// names); organisations whose key cannot be read are left out.
    async fn key_users(&self) -> CoreResult<Vec<(Organisation, String)>> {
        let (orgs, recorded) = self
            .db(|s| Ok((s.organisations()?, s.organisation_keys()?)))
            .await?;
        let mut out = Vec::with_capacity(orgs.len());
        for org in orgs {
            let rec = recorded.iter().find(|r| r.organisation_id == org.id);
            let kid = match rec {
                Some(r) => Some(r.kid.clone()),
                None => self.key_for(&org, None).ok().map(|k| k.kid().to_owned()),
            };
            if let Some(kid) = kid {
                out.push((org, kid));
            }
        }
        Ok(out)
    }

    pub(crate) async fn recorded_key(
        &self,
        id: &OrganisationId,
    ) -> CoreResult<Option<OrganisationKey>> {
        let id = id.clone();
        self.db(move |s| s.organisation_key(&id)).await
    }

    /// Records `kid` (with its algorithm) for the organisation; the key must be usable.
    pub(crate) async fn record_key(&self, id: &OrganisationId, kid: &str) -> CoreResult<()> {
        let key = self.keyset().key(kid).map_err(key_error(kid))?;
        let (id, kid, alg) = (id.clone(), kid.to_owned(), key.alg().as_str());
        self.db(move |s| s.set_organisation_key(&id, &kid, alg))
            .await
    }
}

/// An unknown key id is a not-found for the caller; other key-store failures stay key errors.
fn key_error(kid: &str) -> impl FnOnce(smart_auth::AuthError) -> CoreError + '_ {
    move |e| {
        if e.is_unknown_kid() {
            CoreError::NotFound {
                what: format!("key {kid}"),
            }
        } else if matches!(e, smart_auth::AuthError::LastKey { .. }) {
            CoreError::Conflict {
                what: format!("key {kid} is the only key left; add another key before retiring it"),
            }
        } else if e.is_key_retired() {
            CoreError::Conflict {
                what: format!("key {kid} is retired"),
            }
        } else {
            CoreError::Key(e)
        }
    }
}
