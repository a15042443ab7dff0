//! `refdesk keys init | show-jwks`.

use referral_core::{App, CoreError};
use serde_json::json;
use smart_auth::SigningAlg;

use crate::cli::{Alg, KeysCmd};
use crate::exit;
use crate::out::Out;

pub fn run(app: &App, cmd: KeysCmd, out: &Out) -> Result<u8, CoreError> {
    match cmd {
        KeysCmd::Init { alg } => {
            let existed = app.existing_key()?.is_some();
            let key = if existed {
                app.key()?
            } else {
                let alg = match alg {
                    Alg::Es384 => SigningAlg::Es384,
                    Alg::Rs384 => SigningAlg::Rs384,
                };
                app.generate_key(alg)?
            };
            let doc = json!({ "created": !existed, "kid": key.kid(), "alg": key.alg().as_str() });
            out.result(&doc, || {
                let verb = if existed { "exists" } else { "created" };
                format!("app key {verb}: kid {} ({})", key.kid(), key.alg().as_str())
            });
        }
        KeysCmd::ShowJwks => {
            let key = app.existing_key()?.ok_or_else(|| CoreError::NotFound {
                what: "the app key (run `refdesk keys init`)".into(),
            })?;
            let jwks = key.jwks();
            let value = serde_json::to_value(&jwks).unwrap_or_default();
            out.result(&value, || jwks.to_json_pretty());
        }
    }
    Ok(exit::OK)
}
