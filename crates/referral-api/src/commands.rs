//! What referral-api generates from the one command list (`command_list.rs`): [`COMMANDS`], the
//! TypeScript bindings of every type it names and `commands.ts`, the UI's typed command map
//! (`ui/src/ipc/bindings/commands.ts`). The shell generates its adapters from the same list.
//!
//! | command | request | result |
//! |---|---|---|
//! | `app_status` | `AppStatusRequest` | `AppStatus` |
//! | `setup_sandbox` | `SetupSandboxRequest` | `SetupSandboxResult` |
//! | `list_organisations` | `ListOrganisationsRequest` | `OrganisationList` |
//! | `save_organisation` | `SaveOrganisationRequest` | `Organisation` |
//! | `remove_organisation` | `RemoveOrganisationRequest` | `RemoveOrganisationResult` |
//! | `check_organisation` | `CheckOrganisationRequest` | `CapabilityReport` |
//! | `get_jwks` | `GetJwksRequest` | `Jwks` |
//! | `code_tables` | `CodeTablesRequest` | `CodeTables` |
//! | `list_referrals` | `ListReferralsRequest` | `ReferralList` |
//! | `get_referral` | `GetReferralRequest` | `ReferralDetail` |
//! | `search_patients` | `SearchPatientsRequest` | `PatientMatches` |
//! | `register_patient` | `RegisterPatientRequest` | `RegisteredPatient` |
//! | `create_referral` | `CreateReferralRequest` | `ReferralSummary` |
//! | `find_slots` | `FindSlotsRequest` (+ channel `onProgress` of `FindProgress`) | `FindSummary` |
//! | `hold_slot` | `HoldSlotRequest` | `HoldResult` |
//! | `release_hold` | `ReleaseHoldRequest` | `ReleaseHoldResult` |
//! | `book_slot` | `BookSlotRequest` | `BookingConfirmation` |
//! | `cancel_referral` | `CancelReferralRequest` | `ReferralSummary` |
//! | `reschedule_referral` | `RescheduleReferralRequest` | `RescheduleResult` |
//! | `list_appointments` | `ListAppointmentsRequest` | `AppointmentList` |
//! | `export_ics` | `ExportIcsRequest` | `IcsFile` |
//! | `get_desk_settings` | `GetDeskSettingsRequest` | `DeskSettings` |
//! | `save_desk_settings` | `SaveDeskSettingsRequest` | `DeskSettings` |
//! | `preview_booking` | `PreviewBookingRequest` | `BookingPreview` |
//! | `resume_referral` | `ResumeReferralRequest` (+ channel `onProgress` of `FindProgress`) | `FindSummary` |
//! | `recheck_referral` | `RecheckReferralRequest` | `RecheckResult` |
//! | `settle_referral` | `SettleReferralRequest` | `ReferralSummary` |
//! | `match_patient` | `MatchPatientRequest` | `PatientMatches` |
//! | `add_coverage` | `AddCoverageRequest` | `CoverageSaved` |
//! | `update_coverage` | `UpdateCoverageRequest` | `CoverageSaved` |
//! | `list_keys` | `ListKeysRequest` | `KeyList` |
//! | `add_key` | `AddKeyRequest` | `KeyList` |
//! | `retire_key` | `RetireKeyRequest` | `KeyList` |
//! | `set_organisation_key` | `SetOrganisationKeyRequest` | `KeyList` |
//! | `list_directory` | `ListDirectoryRequest` | `OrganisationDirectory` |
//! | `sync_now` | `SyncNowRequest` | `SyncStatus` |
//! | `sync_status` | `SyncStatusRequest` | `SyncStatus` |
//! | `get_home` | `GetHomeRequest` | `HomeSettings` |
//! | `save_home` | `SaveHomeRequest` | `HomeSettings` |
//! | `list_queue` | `ListQueueRequest` | `QueueList` |
//! | `refresh_queue` | `RefreshQueueRequest` | `QueueList` |
//! | `claim_order` | `OrderRequest` | `QueueItem` |
//! | `release_order` | `OrderRequest` | `QueueItem` |
//! | `start_order` | `StartOrderRequest` | `StartedOrder` |
//!
//! Every command fails with `ApiError`. Invoke shape: `invoke(name, { request })`, and for
//! `find_slots` (and `resume_referral`) `invoke("find_slots", { request, onProgress: channel })`.

use std::path::Path;

use ts_rs::{Config, ExportError, TS};

use crate::admin::*;
use crate::appointment::*;
use crate::booking::*;
use crate::codes::*;
use crate::error::ApiError;
use crate::find::*;
use crate::keys::*;
use crate::organisation::*;
use crate::patient::*;
use crate::queue::*;
use crate::referral::*;
use crate::resume::*;
use crate::settings::*;
use crate::status::*;
use crate::sync::*;

/// One command: its name and the TypeScript names of its request, result and progress types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    pub request: &'static str,
    pub result: &'static str,
    /// The message type of the `onProgress` channel, for a command that streams one.
    pub progress: Option<&'static str>,
}

/// The callback `for_each_command!` (command_list.rs) calls: generates [`COMMANDS`] and the
/// export of every type the list names.
macro_rules! declare_commands {
    ($($name:ident : $req:ident => $res:ident $([progress: $progress:ident])?),* $(,)?) => {
        /// Every command, in the order of the list (and of the table above).
        pub const COMMANDS: &[CommandSpec] = &[
            $(CommandSpec {
                name: stringify!($name),
                request: stringify!($req),
                result: stringify!($res),
                progress: declare_commands!(@progress $($progress)?),
            },)*
        ];

        /// Writes the bindings of every request, result and progress type (and their
        /// dependencies).
        pub(crate) fn export_command_types(cfg: &Config) -> Result<(), ExportError> {
            $(
                <$req as TS>::export_all(cfg)?;
                <$res as TS>::export_all(cfg)?;
                $(<$progress as TS>::export_all(cfg)?;)?
            )*
            Ok(())
        }
    };
    (@progress $progress:ident) => { Some(stringify!($progress)) };
    (@progress) => { None };
}

crate::for_each_command!(declare_commands);

/// The names alone, for the shell's registration check.
pub fn command_names() -> impl Iterator<Item = &'static str> {
    COMMANDS.iter().map(|c| c.name)
}

/// The one type no command names: the error every command fails with.
pub(crate) fn export_extra_types(cfg: &Config) -> Result<(), ExportError> {
    ApiError::export_all(cfg)?;
    Ok(())
}

/// The TypeScript map from command name to its request and result types.
pub(crate) fn commands_ts() -> String {
    let mut types: Vec<&str> = COMMANDS
        .iter()
        .flat_map(|c| [Some(c.request), Some(c.result), c.progress])
        .flatten()
        .collect();
    types.push("ApiError");
    types.sort_unstable();
    types.dedup();
    let mut out = String::from(
        "// Generated by referral-api (crates/referral-api/src/commands.rs). Do not edit by hand.\n",
    );
    for t in &types {
        out.push_str(&format!("import type {{ {t} }} from \"./{t}\";\n"));
    }
    out.push_str("\n/** Every command: its one request type and its one result type. */\nexport type Commands = {\n");
    for c in COMMANDS {
        out.push_str(&format!(
            "  {}: {{ request: {}; result: {} }};\n",
            c.name, c.request, c.result
        ));
    }
    out.push_str("};\n\nexport type CommandName = keyof Commands;\n\n");
    out.push_str("/** The declared command list, in order. */\nexport const COMMAND_NAMES: readonly CommandName[] = [\n");
    for c in COMMANDS {
        out.push_str(&format!("  \"{}\",\n", c.name));
    }
    let mut reexported = vec!["ApiError"];
    reexported.extend(COMMANDS.iter().filter_map(|c| c.progress));
    // Two searches stream the same progress type; it is exported once.
    reexported.dedup();
    out.push_str(&format!(
        "];\n\nexport type {{ {} }};\n",
        reexported.join(", ")
    ));
    out
}

/// Where the committed bindings live, relative to this crate.
pub fn committed_bindings_dir() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ui/src/ipc/bindings"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_are_unique_snake_case() {
        let mut names: Vec<_> = command_names().collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "a command is declared twice");
    }

    #[test]
    fn every_request_type_is_named_after_its_role() {
        for c in COMMANDS {
            assert!(
                c.request.ends_with("Request"),
                "{}: request type {}",
                c.name,
                c.request
            );
            assert!(
                !c.result.ends_with("Request"),
                "{}: result type {}",
                c.name,
                c.result
            );
        }
    }

    #[test]
    fn the_searches_alone_stream_progress_and_its_type_reaches_typescript() {
        let streaming: Vec<_> = COMMANDS
            .iter()
            .filter_map(|c| c.progress.map(|p| (c.name, p)))
            .collect();
        assert_eq!(
            streaming,
            [
                ("find_slots", "FindProgress"),
                ("resume_referral", "FindProgress")
            ]
        );
        let ts = commands_ts();
        assert!(ts.contains("import type { FindProgress } from \"./FindProgress\";"));
        assert!(ts.contains("export type { ApiError, FindProgress };"));
    }

    #[test]
    fn the_doc_table_lists_every_command() {
        let doc = include_str!("commands.rs");
        for c in COMMANDS {
            let row = format!("| `{}` | `{}`", c.name, c.request);
            assert!(doc.contains(&row), "doc table misses {}", c.name);
        }
    }
}
