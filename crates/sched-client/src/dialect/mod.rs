//! Dialects: how one organisation's scheduler finds, holds, books and cancels. The workflows
//! above ask `OrgClient` for "find / hold / book / cancel" and never branch on the dialect; the
//! client picks the module here from the organisation's CapabilityStatement, or from the
//! organisation's settings when a vendor variant cannot be detected.
//!
//! Every dialect speaks to its callers in the STU3 types of `fhir-model` (the desk's common
//! language); R4 dialects convert at the wire (`fhir_model::r4`).

use std::fmt;
use std::str::FromStr;

use fhir_model::{BookParams, CodeableConcept, FindParams, HoldParams};

use crate::capabilities::{Capabilities, Interaction};
use crate::error::ClientError;
use crate::ops::avail::Availability;
use crate::ops::write::Window;
use crate::org::OrgClient;
use crate::outcome::{AppointmentState, BookedAppointment, HeldAppointment};

pub(crate) mod epic;
pub(crate) mod ihe;
pub(crate) mod oracle;
pub(crate) mod plain_r4;
pub(crate) mod r4_book;
pub(crate) mod r4_hold;
pub(crate) mod r4_wire;
pub mod slots;
pub(crate) mod version;

/// The scheduling dialects Referral Desk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Argonaut Scheduling IG (STU3): `$find`, `$hold`, `$book`, PATCH cancel.
    Argonaut,
    /// IHE ITI Scheduling (R4): ITI-115 `$find` (POST), ITI-116 `$hold`, ITI-117 `$book`.
    IheIti,
    /// Plain FHIR R4: Slot search, Slot update holds, transaction booking.
    PlainR4,
    /// Epic's STU3 `$find`/`$book` with its own parameter names; no hold.
    Epic,
    /// Oracle Health Millennium R4: Slot search with `service-type`, Slot PATCH holds,
    /// `POST Appointment`, PATCH cancel.
    Oracle,
}

impl Dialect {
    /// Every dialect, in the order settings list them.
    pub const ALL: [Dialect; 5] = [
        Self::Argonaut,
        Self::IheIti,
        Self::PlainR4,
        Self::Epic,
        Self::Oracle,
    ];

    /// The stable name stored in settings and configuration (`argonaut`, `ihe-iti`,
    /// `plain-r4`, `epic`, `oracle`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Argonaut => "argonaut",
            Self::IheIti => "ihe-iti",
            Self::PlainR4 => "plain-r4",
            Self::Epic => "epic",
            Self::Oracle => "oracle",
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Argonaut => "Argonaut Scheduling (FHIR STU3)",
            Self::IheIti => "IHE ITI Scheduling (FHIR R4)",
            Self::PlainR4 => "plain FHIR R4 (Slot search and Appointment create)",
            Self::Epic => "Epic scheduling (STU3 $find/$book)",
            Self::Oracle => "Oracle Health Millennium (FHIR R4)",
        }
    }

    /// Whether the organisation's resources are FHIR R4 (converted at the wire).
    pub fn is_r4(self) -> bool {
        matches!(self, Self::IheIti | Self::PlainR4 | Self::Oracle)
    }

    /// Whether proposals are built by the client from Slots (synthetic ids, `slots.rs`).
    pub fn builds_from_slots(self) -> bool {
        matches!(self, Self::PlainR4 | Self::Oracle)
    }

    /// Whether the dialect can hold a time before booking it.
    pub fn holds(self) -> bool {
        !matches!(self, Self::Epic)
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dialect name that is not one of [`Dialect::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a scheduling dialect (argonaut, ihe-iti, plain-r4, epic or oracle)")]
pub struct UnknownDialect(pub String);

impl FromStr for Dialect {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownDialect(s.to_owned()))
    }
}

/// The dialect an organisation is spoken to in, and why (for the capability report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialectChoice {
    pub dialect: Dialect,
    /// One plain sentence: "set in the organisation's settings", "declares FHIR 4.0.1 and the
    /// IHE ITI $find operation", ...
    pub reason: String,
}

/// Chooses the dialect from what the CapabilityStatement declares.
pub fn detect(caps: &Capabilities) -> DialectChoice {
    let version = caps.fhir_version.as_deref().unwrap_or("");
    let r4 = version.starts_with('4');
    let vendor = vendor_text(caps);
    let choose = |dialect, reason: String| DialectChoice { dialect, reason };
    if r4 && ihe::declares_ihe(caps) {
        return choose(
            Dialect::IheIti,
            format!("declares FHIR {version} and the IHE ITI Scheduling operations"),
        );
    }
    if r4 && (vendor.contains("cerner") || vendor.contains("oracle")) {
        return choose(
            Dialect::Oracle,
            format!("declares FHIR {version} and names Oracle Health (Cerner) as its software"),
        );
    }
    if !r4 && vendor.contains("epic") {
        return choose(
            Dialect::Epic,
            format!("declares FHIR {version} and names Epic as its software"),
        );
    }
    if r4 && caps.offers(Interaction::SearchSlots) {
        return choose(
            Dialect::PlainR4,
            format!("declares FHIR {version} with Slot search and no scheduling operations"),
        );
    }
    let why = if version.is_empty() {
        "declares no FHIR version; the Argonaut operations are assumed".to_owned()
    } else {
        format!("declares FHIR {version} and the Argonaut scheduling operations")
    };
    choose(Dialect::Argonaut, why)
}

/// Lower-cased publisher, software name and implementation description: where vendors name
/// themselves.
fn vendor_text(caps: &Capabilities) -> String {
    let extra = &caps.statement.extra;
    let mut text = String::new();
    for key in ["publisher", "name", "title"] {
        if let Some(s) = extra.get(key).and_then(serde_json::Value::as_str) {
            text.push_str(s);
            text.push(' ');
        }
    }
    for key in ["software", "implementation"] {
        if let Some(obj) = extra.get(key) {
            for field in ["name", "description"] {
                if let Some(s) = obj.get(field).and_then(serde_json::Value::as_str) {
                    text.push_str(s);
                    text.push(' ');
                }
            }
        }
    }
    text.to_lowercase()
}

// The dispatch below is the only place that matches on the dialect. Argonaut stays in `ops/`.

pub(crate) async fn find(
    client: &OrgClient,
    dialect: Dialect,
    params: &FindParams,
) -> Result<Availability, ClientError> {
    match dialect {
        Dialect::Argonaut => client.argonaut_find(params).await,
        Dialect::IheIti => ihe::find(client, params).await,
        Dialect::PlainR4 => plain_r4::find(client, params).await,
        Dialect::Epic => epic::find(client, params).await,
        Dialect::Oracle => oracle::find(client, params).await,
    }
}

pub(crate) async fn hold(
    client: &OrgClient,
    dialect: Dialect,
    params: &HoldParams,
) -> Result<HeldAppointment, ClientError> {
    match dialect {
        Dialect::Argonaut => client.argonaut_hold(params).await,
        Dialect::IheIti => ihe::hold(client, params).await,
        Dialect::PlainR4 => plain_r4::hold(client, params).await,
        Dialect::Epic => Err(ClientError::Unsupported {
            interaction: Interaction::HoldAppointment,
        }),
        Dialect::Oracle => oracle::hold(client, params).await,
    }
}

pub(crate) async fn book(
    client: &OrgClient,
    dialect: Dialect,
    params: &BookParams,
    window: Option<&Window>,
) -> Result<BookedAppointment, ClientError> {
    match dialect {
        Dialect::Argonaut => client.argonaut_book(params, window).await,
        Dialect::IheIti => ihe::book(client, params, window).await,
        Dialect::PlainR4 => plain_r4::book(client, params, window).await,
        Dialect::Epic => epic::book(client, params, window).await,
        Dialect::Oracle => oracle::book(client, params, window).await,
    }
}

pub(crate) async fn cancel(
    client: &OrgClient,
    dialect: Dialect,
    current: &fhir_model::Appointment,
    reason: Option<&CodeableConcept>,
) -> Result<AppointmentState, ClientError> {
    match dialect {
        Dialect::Argonaut | Dialect::Epic => client.argonaut_cancel(current, reason).await,
        Dialect::IheIti => ihe::cancel(client, current, reason).await,
        Dialect::PlainR4 => plain_r4::cancel(client, current, reason).await,
        Dialect::Oracle => oracle::cancel(client, current, reason).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for d in Dialect::ALL {
            assert_eq!(d.as_str().parse::<Dialect>(), Ok(d));
        }
        assert_eq!("IHE-ITI".parse::<Dialect>(), Ok(Dialect::IheIti));
        assert!("fhir5".parse::<Dialect>().is_err());
    }
}
