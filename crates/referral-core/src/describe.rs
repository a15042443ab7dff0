//! Plain sentences for users: what happened and what to do, with the organisation's own words
//! quoted only when it sent some. Never a URL, a type name or transport detail (those are logged).

use referral_store::StoreError;

use crate::error::CoreError;
use crate::remote::{RemoteError, RemoteErrorKind};

/// "`<org>` `<what happened>` The organisation said: “…”".
pub fn remote_sentence(organisation: &str, e: &RemoteError) -> String {
    use RemoteErrorKind as K;
    let what = match e.kind {
        K::Unreachable => "could not be reached. Check the connection and try again later.",
        K::Timeout => {
            "did not answer in time. Referral Desk will check what happened before doing anything else."
        }
        K::Unauthorized => {
            "did not accept Referral Desk's credentials. Ask its administrator to register this app's key."
        }
        K::SlotTaken => {
            "did not accept the hold or booking: that appointment time is probably no longer available. Search again and pick another time."
        }
        K::HoldExpired => "let the hold run out before booking. Search again and pick a time.",
        K::PatientRefused => {
            "did not accept the patient's details. Check them and register the patient again."
        }
        K::CoverageRefused => {
            "did not accept the patient's coverage. Check the coverage details and try again."
        }
        K::VersionConflict => {
            "has changed the record since Referral Desk last read it. Refresh the referral and try again."
        }
        K::Refused => "refused the request in the record's current state there.",
        K::BadRequest => "could not accept the request as sent.",
        K::Unsupported => "does not support this action.",
        K::NotFound => "no longer has that record.",
        K::Server => "had a problem of its own. Try again later.",
        K::Local => {
            "could not be contacted because its settings in Referral Desk are not usable. Check the organisation in Settings."
        }
        K::VisitTypeRequired => {
            "shows its free times only for a chosen visit type. Choose a visit type and search again."
        }
    };
    let mut out = format!("{organisation} {what}");
    if let Some(text) = e
        .outcome
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        out.push_str(" The organisation said: “");
        out.push_str(text);
        out.push('”');
    }
    out
}

/// A sentence for any core error, for every front end.
pub fn error_sentence(e: &CoreError) -> String {
    match e {
        CoreError::Remote {
            organisation,
            source,
        } => remote_sentence(organisation, source),
        CoreError::Unsupported { organisation, what } => {
            format!("{organisation} does not support {what}.")
        }
        CoreError::NeedsAttention { what, .. } => {
            sentence(&format!("The referral needs attention: {what}"))
        }
        CoreError::InvalidInput { field, problem } => {
            sentence(&format!("{}: {problem}", field_label(field)))
        }
        CoreError::NotFound { what } => sentence(&format!("{} was not found", capitalise(what))),
        CoreError::Conflict { what } => sentence(&capitalise(what)),
        CoreError::Store(s) => store_sentence(s),
        CoreError::Key(k) if k.is_secret_store_unavailable() => {
            "No OS secret store (keyring) is reachable on this machine, so the app key cannot be \
             kept there. Opt in to a key file readable only by you instead (refdesk --key-file, \
             or the key file setting of the app)."
                .to_owned()
        }
        CoreError::Key(k) if k.is_key_not_found() => {
            "This app has no signing key yet. Create one in Settings → This app's key (or \
             `refdesk keys generate`)."
                .to_owned()
        }
        CoreError::Key(_) => {
            "This app's signing key could not be used. Check Settings → This app's key.".to_owned()
        }
        CoreError::KeyInUse { organisations, .. } => format!(
            "This key cannot be retired: {} still sign{} with it. Move {} to another key first.",
            organisations.join(", "),
            if organisations.len() == 1 { "s" } else { "" },
            if organisations.len() == 1 { "it" } else { "them" },
        ),
        CoreError::HomeNotSet => {
            "No home organisation is set, so there is no queue of orders to work. Ask your \
             administrator to add it in Settings → Home organisation."
                .to_owned()
        }
        CoreError::OrderClaimed { .. }
        | CoreError::OrderFinished { .. }
        | CoreError::OrderWithdrawn
        | CoreError::OrderIncomplete { .. } => e.to_string(),
        CoreError::Sandbox { .. } => "The sandbox organisations could not be started.".to_owned(),
        _ => "Referral Desk ran into a problem of its own. Try again; if it persists, contact support."
            .to_owned(),
    }
}

fn store_sentence(s: &StoreError) -> String {
    match s {
        StoreError::InvalidInput { field, problem } => {
            sentence(&format!("{}: {problem}", field_label(field)))
        }
        StoreError::UnknownOrganisation(id) => {
            format!("There is no organisation “{id}” in the directory.")
        }
        StoreError::DuplicateOrganisation(id) => {
            format!("An organisation with the id “{id}” is already in the directory.")
        }
        StoreError::UnknownReferral(_) => {
            "That referral does not exist (any more). Refresh the list.".to_owned()
        }
        StoreError::IllegalTransition { from, to } => {
            format!("A referral that is {from} cannot become {to}.")
        }
        StoreError::VersionConflict { .. } => {
            "The referral changed in the meantime. Refresh it and try again.".to_owned()
        }
        s if s.is_not_found() => "That record does not exist (any more).".to_owned(),
        _ => "The worklist could not be read or saved. Try again; if it persists, contact support."
            .to_owned(),
    }
}

/// A request field as a person reads it: `subscriber_id` → "Subscriber id".
pub fn field_label(field: &str) -> String {
    // The referral content's fields, named as the form names them.
    let named = match field {
        "reason_code" => Some("Reason"),
        "due_by" => Some("Due by"),
        "referrer_name" => Some("Referring clinician"),
        "referrer_npi" => Some("Referring clinician's NPI"),
        "referrer_phone" => Some("Call-back number"),
        "follow_up_days" => Some("Follow-up days"),
        _ => None,
    };
    match named {
        Some(label) => label.to_owned(),
        None => capitalise(field.replace(['_', '-'], " ").trim_start_matches(' ')),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn sentence(s: &str) -> String {
    if s.ends_with(['.', '?', '!']) {
        s.to_owned()
    } else {
        format!("{s}.")
    }
}

#[cfg(test)]
mod tests {
    use smart_auth::AuthError;

    use super::*;

    #[test]
    fn local_failures_say_what_to_do_without_internals() {
        let no_key = error_sentence(&CoreError::Key(AuthError::KeyNotFound {
            name: "referral-desk".into(),
        }));
        assert!(no_key.contains("no signing key"), "{no_key}");
        let task = error_sentence(&CoreError::Task {
            reason: "JoinError { id: 3 }".into(),
        });
        assert!(!task.contains("JoinError"), "{task}");
        let local = RemoteError::new(RemoteErrorKind::Local, "connect");
        let s = remote_sentence("North Clinic", &local);
        assert!(s.starts_with("North Clinic could not be contacted"), "{s}");
        assert!(!s.contains("said"), "{s}");
    }
}
