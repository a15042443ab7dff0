//! `refdesk org add | list | check | remove`.

use referral_core::{App, CheckReport, CoreError, OrganisationInput};
use referral_store::Organisation;
use serde_json::json;

use crate::cli::{OrgAddArgs, OrgCmd};
use crate::exit;
use crate::out::{Out, table};

pub async fn run(app: &App, cmd: OrgCmd, out: &Out) -> Result<u8, CoreError> {
    match cmd {
        OrgCmd::Add(a) => add(app, out, a).await?,
        OrgCmd::List => {
            let orgs = app.organisations(true).await?;
            let rows: Vec<Vec<String>> = orgs.iter().map(row).collect();
            let headers = [
                "ID",
                "NAME",
                "FHIR BASE",
                "ENABLED",
                "SANDBOX",
                "LAST CHECK",
            ];
            out.result(&serde_json::to_value(&orgs).unwrap_or_default(), || {
                table(&headers, &rows)
            });
        }
        OrgCmd::Check { id } => return check(app, out, &id).await,
        OrgCmd::Remove { id } => {
            let deleted = app.remove_organisation(&id).await?;
            out.result(&json!({ "id": id, "deleted": deleted, "disabled": !deleted }), || {
                if deleted {
                    format!("removed {id}")
                } else {
                    format!("{id} has referrals; it was disabled instead so their history stays readable")
                }
            });
        }
    }
    Ok(exit::OK)
}

async fn add(app: &App, out: &Out, a: OrgAddArgs) -> Result<(), CoreError> {
    let input = OrganisationInput {
        id: a.id,
        display_name: a.name,
        fhir_base_url: a.base,
        client_id: a.client_id,
        scopes: a.scopes,
        enabled: !a.disabled,
    };
    let org = app.add_organisation(input).await?;
    out.result(&serde_json::to_value(&org).unwrap_or_default(), || {
        format!("added {} ({})", org.id, org.display_name)
    });
    Ok(())
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

fn row(o: &Organisation) -> Vec<String> {
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
        yes_no(o.enabled),
        yes_no(o.is_sandbox),
        check,
    ]
}

async fn check(app: &App, out: &Out, id: &str) -> Result<u8, CoreError> {
    let r = app.check_organisation(id).await?;
    out.result(&serde_json::to_value(&r).unwrap_or_default(), || {
        report_text(&r)
    });
    if r.ok() {
        return Ok(exit::OK);
    }
    let unreachable = [&r.discovery, &r.metadata]
        .iter()
        .any(|s| s.detail.contains("could not be reached") || s.detail.contains("did not answer"));
    Ok(if unreachable {
        exit::UNREACHABLE
    } else {
        exit::REFUSED
    })
}

fn report_text(r: &CheckReport) -> String {
    let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
    let patch = if r.capabilities.patch_formats.is_empty() {
        "none declared".to_owned()
    } else {
        r.capabilities.patch_formats.join(", ")
    };
    format!(
        "{} discovery  {}\n{} token      {}\n{} metadata   {}\nholds: {}\npatch formats: {patch}",
        mark(r.discovery.ok),
        r.discovery.detail,
        mark(r.token.ok),
        r.token.detail,
        mark(r.metadata.ok),
        r.metadata.detail,
        if r.hold_supported() {
            "supported"
        } else {
            "not offered"
        },
    )
}
