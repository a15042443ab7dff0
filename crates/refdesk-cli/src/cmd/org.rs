//! `refdesk org add | list | check | remove`.

use referral_core::{App, CoreError, OrganisationInput};
use serde_json::json;

use crate::cli::OrgCmd;
use crate::exit;
use crate::out::{Out, table};

pub async fn run(app: &App, cmd: OrgCmd, out: &Out) -> Result<u8, CoreError> {
    match cmd {
        OrgCmd::Add(a) => {
            let org = app
                .add_organisation(OrganisationInput {
                    id: a.id,
                    display_name: a.name,
                    fhir_base_url: a.base,
                    client_id: a.client_id,
                    scopes: a.scopes,
                    enabled: !a.disabled,
                })
                .await?;
            out.result(&serde_json::to_value(&org).unwrap_or_default(), || {
                format!("added {} ({})", org.id, org.display_name)
            });
        }
        OrgCmd::List => {
            let orgs = app.organisations(true).await?;
            let rows: Vec<Vec<String>> = orgs
                .iter()
                .map(|o| {
                    let check = App::last_check(o).map_or("never checked".to_owned(), |c| {
                        if c.ok() {
                            format!("ok {}", c.checked_at.format("%Y-%m-%d %H:%M"))
                        } else {
                            "failed".to_owned()
                        }
                    });
                    vec![
                        o.id.to_string(),
                        o.display_name.clone(),
                        o.fhir_base_url.clone(),
                        if o.enabled { "yes".into() } else { "no".into() },
                        if o.is_sandbox {
                            "yes".into()
                        } else {
                            "no".into()
                        },
                        check,
                    ]
                })
                .collect();
            out.result(&serde_json::to_value(&orgs).unwrap_or_default(), || {
                table(
                    &[
                        "ID",
                        "NAME",
                        "FHIR BASE",
                        "ENABLED",
                        "SANDBOX",
                        "LAST CHECK",
                    ],
                    &rows,
                )
            });
        }
        OrgCmd::Check { id } => {
            let r = app.check_organisation(&id).await?;
            let doc = serde_json::to_value(&r).unwrap_or_default();
            out.result(&doc, || {
                let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
                format!(
                    "{} discovery  {}\n{} token      {}\n{} metadata   {}\nholds: {}\npatch formats: {}",
                    mark(r.discovery.ok), r.discovery.detail, mark(r.token.ok), r.token.detail, mark(r.metadata.ok), r.metadata.detail,
                    if r.hold_supported() { "supported" } else { "not offered" },
                    if r.capabilities.patch_formats.is_empty() { "none declared".to_owned() } else { r.capabilities.patch_formats.join(", ") }
                )
            });
            if !r.ok() {
                let unreachable = r.discovery.detail.contains("could not be reached")
                    || r.metadata.detail.contains("could not be reached");
                return Ok(if unreachable {
                    exit::UNREACHABLE
                } else {
                    exit::REFUSED
                });
            }
        }
        OrgCmd::Remove { id } => {
            let deleted = app.remove_organisation(&id).await?;
            out.result(&json!({ "id": id, "deleted": deleted, "disabled": !deleted }), || {
                if deleted { format!("removed {id}") } else { format!("{id} has referrals; it was disabled instead so their history stays readable") }
            });
        }
    }
    Ok(exit::OK)
}
