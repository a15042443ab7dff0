//! `refdesk org add | list | check | remove | edit | enable | disable | directory`.

use referral_api::admin::AddOrganisationRequest;
use referral_api::find::{ListDirectoryRequest, OrganisationDirectory};
use referral_api::handlers;
use referral_api::organisation::{
    CapabilityReport, CheckOrganisationRequest, ListOrganisationsRequest, Organisation,
    OrganisationList, RemoveOrganisationRequest, SaveOrganisationRequest,
};
use referral_api::{ApiError, ApiErrorCode};
use referral_core::App;

use crate::cli::{OrgAddArgs, OrgCmd, OrgEditArgs};
use crate::out::{Done, Out, table, when};

pub async fn run(app: &App, cmd: OrgCmd, out: &Out) -> Done {
    match cmd {
        OrgCmd::Add(a) => add(app, out, a).await?,
        OrgCmd::List => {
            let req = ListOrganisationsRequest {
                include_disabled: true,
            };
            let list = handlers::list_organisations(app, req).await?;
            out.emit(&list, list_text)?;
        }
        OrgCmd::Check { id } => return check(app, out, id).await,
        OrgCmd::Directory { id } => {
            let req = ListDirectoryRequest {
                organisation_id: id,
            };
            let d = handlers::list_directory(app, req).await?;
            out.emit(&d, directory_text)?;
        }
        OrgCmd::Remove { id } => {
            let r = handlers::remove_organisation(app, RemoveOrganisationRequest { id }).await?;
            out.emit(&r, |r| {
                if r.disabled_instead == Some(true) {
                    format!(
                        "{} has referrals; it was disabled instead so their history stays readable",
                        r.id
                    )
                } else {
                    format!("removed {}", r.id)
                }
            })?;
        }
        OrgCmd::Edit(a) => {
            let id = a.id.clone();
            save(app, out, &id, |req| apply_edit(req, a)).await?;
        }
        OrgCmd::Enable { id } => save(app, out, &id, |req| req.enabled = true).await?,
        OrgCmd::Disable { id } => save(app, out, &id, |req| req.enabled = false).await?,
    }
    Ok(0)
}

async fn add(app: &App, out: &Out, a: OrgAddArgs) -> Result<(), crate::out::Stop> {
    let req = AddOrganisationRequest {
        id: a.id,
        name: a.name,
        fhir_base: a.base,
        client_id: a.client_id,
        scopes: a.scopes,
        enabled: !a.disabled,
        dialect: a.dialect,
    };
    let org = handlers::add_organisation(app, req).await?;
    out.emit(&org, |o| format!("added {} ({})", o.id, o.name))
}

fn apply_edit(req: &mut SaveOrganisationRequest, a: OrgEditArgs) {
    if let Some(name) = a.name {
        req.name = name;
    }
    if let Some(base) = a.base {
        req.fhir_base = base;
    }
    if let Some(client_id) = a.client_id {
        req.client_id = client_id;
    }
    if let Some(scopes) = a.scopes {
        req.scopes = scopes;
    }
    req.dialect = a.dialect;
}

/// Reads the organisation, changes what `change` changes, and saves it (`save_organisation`).
async fn save(
    app: &App,
    out: &Out,
    id: &str,
    change: impl FnOnce(&mut SaveOrganisationRequest),
) -> Result<(), crate::out::Stop> {
    let current = find(app, id).await?;
    let mut req = SaveOrganisationRequest {
        id: Some(current.id),
        name: current.name,
        fhir_base: current.fhir_base,
        client_id: current.client_id,
        scopes: current.scopes,
        enabled: current.enabled,
        dialect: None,
    };
    change(&mut req);
    let org = handlers::save_organisation(app, req).await?;
    out.emit(&org, |o| {
        let state = if o.enabled { "enabled" } else { "disabled" };
        format!("saved {} ({}), {state}, {}", o.id, o.name, o.fhir_base)
    })
}

async fn find(app: &App, id: &str) -> Result<Organisation, ApiError> {
    let req = ListOrganisationsRequest {
        include_disabled: true,
    };
    let list = handlers::list_organisations(app, req).await?;
    list.organisations
        .into_iter()
        .find(|o| o.id == id.trim())
        .ok_or_else(|| {
            ApiError::new(
                ApiErrorCode::NotFound,
                format!("There is no organisation “{}” in the directory.", id.trim()),
            )
        })
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

fn checked_ok(r: &CapabilityReport) -> bool {
    r.discovery.ok && r.token.ok && r.metadata.ok
}

fn list_text(list: &OrganisationList) -> String {
    let rows: Vec<Vec<String>> = list
        .organisations
        .iter()
        .map(|o| {
            let check = o
                .last_check
                .as_ref()
                .map_or("never checked".to_owned(), |c| {
                    if checked_ok(c) {
                        format!("ok {}", when(&c.checked_at))
                    } else {
                        "failed".to_owned()
                    }
                });
            vec![
                o.id.clone(),
                o.name.clone(),
                o.fhir_base.clone(),
                yes_no(o.enabled),
                yes_no(o.sandbox),
                check,
            ]
        })
        .collect();
    let headers = [
        "ID",
        "NAME",
        "FHIR BASE",
        "ENABLED",
        "SANDBOX",
        "LAST CHECK",
    ];
    table(&headers, &rows)
}

/// The report; the exit code says which step failed: discovery or `/metadata` (the organisation
/// could not be reached or failed) exits as unreachable, the token alone as unauthorized.
async fn check(app: &App, out: &Out, id: String) -> Done {
    let r = handlers::check_organisation(app, CheckOrganisationRequest { id }).await?;
    out.emit(&r, report_text)?;
    Ok(if checked_ok(&r) {
        0
    } else if !r.discovery.ok || !r.metadata.ok {
        ApiErrorCode::Unreachable.exit_code()
    } else {
        ApiErrorCode::Unauthorized.exit_code()
    })
}

fn report_text(r: &CapabilityReport) -> String {
    let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
    let patch = if r.patch_formats.is_empty() {
        "none declared".to_owned()
    } else {
        r.patch_formats.join(", ")
    };
    format!(
        "{} discovery  {}\n{} token      {}\n{} metadata   {}\n{}\nholds: {}\npatch formats: {patch}",
        mark(r.discovery.ok),
        r.discovery.detail,
        mark(r.token.ok),
        r.token.detail,
        mark(r.metadata.ok),
        r.metadata.detail,
        dialect_line(r),
        if r.hold_supported {
            "supported"
        } else {
            "not offered"
        },
    )
}

/// "dialect: <label> — <reason>" (or that none could be chosen when `/metadata` failed).
fn dialect_line(r: &CapabilityReport) -> String {
    let label = r.dialect_label.as_deref().or(r.dialect.as_deref());
    match (label, r.dialect_reason.as_deref()) {
        (Some(label), Some(reason)) => format!("dialect: {label} — {reason}"),
        (Some(label), None) => format!("dialect: {label}"),
        (None, _) => "dialect: not known (the capability statement could not be read)".to_owned(),
    }
}

fn directory_text(d: &OrganisationDirectory) -> String {
    let mut lines = vec![format!("{}: practitioners", d.organisation_name)];
    for p in &d.practitioners {
        let specialties = p.specialties.join(", ");
        let at = p.location_ids.join(", ");
        lines.push(format!("  {} [{}] {specialties} {at}", p.name, p.id));
    }
    lines.push("locations".to_owned());
    for l in &d.locations {
        let address = l.address.as_deref().unwrap_or("");
        lines.push(format!("  {} [{}] {address}", l.name, l.id));
    }
    lines.join("\n")
}
