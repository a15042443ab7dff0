//! THE command list: every command the webview may invoke, its request type, its result type and,
//! for a streaming command, the type of its progress messages. Nothing else lives in this file,
//! because `src-tauri/build.rs` compiles it on its own (as a `#[path]` module) to learn the
//! command names without building this crate as a build dependency.
//!
//! Everything that must agree with the list is generated from it by a callback macro:
//! - referral-api's `COMMANDS`, the TypeScript bindings and `commands.ts` (`commands.rs`);
//! - the shell's `#[tauri::command]` adapters and its `generate_handler!` list
//!   (`src-tauri/src/commands.rs`); an entry without a `handlers::<name>` function does not
//!   compile;
//! - the `allow-<name>` permissions and the check of `capabilities/default.json`
//!   (`src-tauri/build.rs`); a capability file that disagrees stops the build.
//!
//! To add a command: write `handlers::<name>`, add one line below, grant `allow-<name>` (dashes)
//! in `src-tauri/capabilities/default.json`, add its row to the table in `commands.rs`, and
//! regenerate the bindings. Entry form: `name: RequestType => ResultType,` or, for a command that
//! streams progress over a channel argument `onProgress`,
//! `name: RequestType => ResultType [progress: ProgressType],`.

/// Calls `$callback! { <every entry> }`; the callback's pattern is
/// `$($name:ident : $req:ident => $res:ident $([progress: $progress:ident])?),* $(,)?`.
/// The type names are bare: the callback's module imports them.
#[macro_export]
macro_rules! for_each_command {
    ($callback:ident) => {
        $callback! {
            app_status: AppStatusRequest => AppStatus,
            setup_sandbox: SetupSandboxRequest => SetupSandboxResult,
            list_organisations: ListOrganisationsRequest => OrganisationList,
            save_organisation: SaveOrganisationRequest => Organisation,
            remove_organisation: RemoveOrganisationRequest => RemoveOrganisationResult,
            check_organisation: CheckOrganisationRequest => CapabilityReport,
            get_jwks: GetJwksRequest => Jwks,
            code_tables: CodeTablesRequest => CodeTables,
            list_referrals: ListReferralsRequest => ReferralList,
            get_referral: GetReferralRequest => ReferralDetail,
            search_patients: SearchPatientsRequest => PatientMatches,
            register_patient: RegisterPatientRequest => RegisteredPatient,
            create_referral: CreateReferralRequest => ReferralSummary,
            find_slots: FindSlotsRequest => FindSummary [progress: FindProgress],
            hold_slot: HoldSlotRequest => HoldResult,
            release_hold: ReleaseHoldRequest => ReleaseHoldResult,
            book_slot: BookSlotRequest => BookingConfirmation,
            cancel_referral: CancelReferralRequest => ReferralSummary,
            reschedule_referral: RescheduleReferralRequest => RescheduleResult,
            list_appointments: ListAppointmentsRequest => AppointmentList,
            export_ics: ExportIcsRequest => IcsFile,
            get_desk_settings: GetDeskSettingsRequest => DeskSettings,
            save_desk_settings: SaveDeskSettingsRequest => DeskSettings,
            preview_booking: PreviewBookingRequest => BookingPreview,
            resume_referral: ResumeReferralRequest => FindSummary [progress: FindProgress],
            recheck_referral: RecheckReferralRequest => RecheckResult,
            settle_referral: SettleReferralRequest => ReferralSummary,
            match_patient: MatchPatientRequest => PatientMatches,
            add_coverage: AddCoverageRequest => CoverageSaved,
            update_coverage: UpdateCoverageRequest => CoverageSaved,
            list_keys: ListKeysRequest => KeyList,
            add_key: AddKeyRequest => KeyList,
            retire_key: RetireKeyRequest => KeyList,
            set_organisation_key: SetOrganisationKeyRequest => KeyList,
            list_directory: ListDirectoryRequest => OrganisationDirectory,
            sync_now: SyncNowRequest => SyncStatus,
            sync_status: SyncStatusRequest => SyncStatus,
            get_home: GetHomeRequest => HomeSettings,
            save_home: SaveHomeRequest => HomeSettings,
            list_queue: ListQueueRequest => QueueList,
            refresh_queue: RefreshQueueRequest => QueueList,
            claim_order: OrderRequest => QueueItem,
            release_order: OrderRequest => QueueItem,
            start_order: StartOrderRequest => StartedOrder,
        }
    };
}
