//! `refdesk keys init | show-jwks`.

use referral_api::admin::{InitKeyRequest, KeyAlgorithm};
use referral_api::handlers;
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
    }
    Ok(0)
}
