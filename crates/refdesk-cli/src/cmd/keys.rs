//! `refdesk keys init | show-jwks | list | add | retire | use`.

use referral_api::admin::{InitKeyRequest, KeyAlgorithm};
use referral_api::handlers;
use referral_api::keys::{
    AddKeyRequest, KeyList, ListKeysRequest, RetireKeyRequest, SetOrganisationKeyRequest,
};
use referral_api::organisation::GetJwksRequest;
use referral_core::App;

use crate::cli::{Alg, KeysCmd};
use crate::out::{Done, Out};

pub async fn run(app: &App, cmd: KeysCmd, out: &Out) -> Done {
    match cmd {
        KeysCmd::Init { alg } => {
            let algorithm = match alg {
                Alg::Es384 => KeyAlgorithm::Es384,
                Alg::Rs384 => KeyAlgorithm::Rs384,
            };
            let req = InitKeyRequest {
                algorithm: Some(algorithm),
            };
            let key = handlers::init_key(app, req).await?;
            out.emit(&key, |k| {
                let verb = if k.created { "created" } else { "exists" };
                format!("app key {verb}: kid {} ({})", k.key_id, k.algorithm)
            })?;
        }
        KeysCmd::ShowJwks => {
            let jwks = handlers::get_jwks(app, GetJwksRequest {}).await?;
            out.emit(&jwks, |j| j.jwks_json.clone())?;
        }
        KeysCmd::List => {
            let keys = handlers::list_keys(app, ListKeysRequest {}).await?;
            out.emit(&keys, table)?;
        }
        KeysCmd::Add { alg } => {
            let algorithm = Some(match alg {
                Alg::Es384 => KeyAlgorithm::Es384,
                Alg::Rs384 => KeyAlgorithm::Rs384,
            });
            let keys = handlers::add_key(app, AddKeyRequest { algorithm }).await?;
            out.emit(&keys, table)?;
        }
        KeysCmd::Retire { kid } => {
            let keys = handlers::retire_key(app, RetireKeyRequest { key_id: kid }).await?;
            out.emit(&keys, table)?;
        }
        KeysCmd::Use { org, kid } => {
            let req = SetOrganisationKeyRequest {
                organisation_id: org,
                key_id: kid,
            };
            let keys = handlers::set_organisation_key(app, req).await?;
            out.emit(&keys, table)?;
        }
    }
    Ok(0)
}

/// One line per key: kid, algorithm, state, created, organisations.
fn table(list: &KeyList) -> String {
    list.keys
        .iter()
        .map(|k| {
            let state = match (&k.retired, k.active) {
                (Some(at), _) => format!("retired {at}"),
                (None, true) => "active".to_owned(),
                (None, false) => "available".to_owned(),
            };
            let users: Vec<&str> = k.organisations.iter().map(|o| o.id.as_str()).collect();
            format!(
                "{}  {}  {}  created {}  organisations: {}",
                k.key_id,
                k.algorithm,
                state,
                k.created.as_deref().unwrap_or("unknown"),
                if users.is_empty() {
                    "none".to_owned()
                } else {
                    users.join(", ")
                }
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
