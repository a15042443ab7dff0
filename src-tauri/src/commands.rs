//! The commands the webview may invoke: one-line adapters to `referral_api::handlers`, one per
//! entry of `referral_api::commands::COMMANDS` (build.rs warns about any not registered here and
//! checks that capabilities/default.json grants exactly those). Each takes the one request struct
//! (invoke key `request`) and returns one result or an `ApiError`; the logic is in the crates.

use referral_api::ApiError;
use referral_api::appointment::*;
use referral_api::booking::*;
use referral_api::codes::*;
use referral_api::find::*;
use referral_api::handlers;
use referral_api::organisation::*;
use referral_api::patient::*;
use referral_api::referral::*;
use referral_api::status::*;
use referral_core::App;
use tauri::State;
use tauri::ipc::Channel;

#[tauri::command]
pub async fn app_status(
    app: State<'_, App>,
    request: AppStatusRequest,
) -> Result<AppStatus, ApiError> {
    handlers::app_status(&app, request).await
}

#[tauri::command]
pub async fn setup_sandbox(
    app: State<'_, App>,
    request: SetupSandboxRequest,
) -> Result<SetupSandboxResult, ApiError> {
    handlers::setup_sandbox(&app, request).await
}

#[tauri::command]
pub async fn list_organisations(
    app: State<'_, App>,
    request: ListOrganisationsRequest,
) -> Result<OrganisationList, ApiError> {
    handlers::list_organisations(&app, request).await
}

#[tauri::command]
pub async fn save_organisation(
    app: State<'_, App>,
    request: SaveOrganisationRequest,
) -> Result<Organisation, ApiError> {
    handlers::save_organisation(&app, request).await
}

#[tauri::command]
pub async fn remove_organisation(
    app: State<'_, App>,
    request: RemoveOrganisationRequest,
) -> Result<RemoveOrganisationResult, ApiError> {
    handlers::remove_organisation(&app, request).await
}

#[tauri::command]
pub async fn check_organisation(
    app: State<'_, App>,
    request: CheckOrganisationRequest,
) -> Result<CapabilityReport, ApiError> {
    handlers::check_organisation(&app, request).await
}

#[tauri::command]
pub async fn get_jwks(app: State<'_, App>, request: GetJwksRequest) -> Result<Jwks, ApiError> {
    handlers::get_jwks(&app, request).await
}

#[tauri::command]
pub async fn code_tables(
    app: State<'_, App>,
    request: CodeTablesRequest,
) -> Result<CodeTables, ApiError> {
    handlers::code_tables(&app, request).await
}

#[tauri::command]
pub async fn list_referrals(
    app: State<'_, App>,
    request: ListReferralsRequest,
) -> Result<ReferralList, ApiError> {
    handlers::list_referrals(&app, request).await
}

#[tauri::command]
pub async fn get_referral(
    app: State<'_, App>,
    request: GetReferralRequest,
) -> Result<ReferralDetail, ApiError> {
    handlers::get_referral(&app, request).await
}

#[tauri::command]
pub async fn search_patients(
    app: State<'_, App>,
    request: SearchPatientsRequest,
) -> Result<PatientMatches, ApiError> {
    handlers::search_patients(&app, request).await
}

#[tauri::command]
pub async fn register_patient(
    app: State<'_, App>,
    request: RegisterPatientRequest,
) -> Result<RegisteredPatient, ApiError> {
    handlers::register_patient(&app, request).await
}

#[tauri::command]
pub async fn create_referral(
    app: State<'_, App>,
    request: CreateReferralRequest,
) -> Result<ReferralSummary, ApiError> {
    handlers::create_referral(&app, request).await
}

#[tauri::command]
pub async fn hold_slot(
    app: State<'_, App>,
    request: HoldSlotRequest,
) -> Result<HoldResult, ApiError> {
    handlers::hold_slot(&app, request).await
}

#[tauri::command]
pub async fn release_hold(
    app: State<'_, App>,
    request: ReleaseHoldRequest,
) -> Result<ReleaseHoldResult, ApiError> {
    handlers::release_hold(&app, request).await
}

#[tauri::command]
pub async fn book_slot(
    app: State<'_, App>,
    request: BookSlotRequest,
) -> Result<BookingConfirmation, ApiError> {
    handlers::book_slot(&app, request).await
}

#[tauri::command]
pub async fn cancel_referral(
    app: State<'_, App>,
    request: CancelReferralRequest,
) -> Result<ReferralSummary, ApiError> {
    handlers::cancel_referral(&app, request).await
}

#[tauri::command]
pub async fn reschedule_referral(
    app: State<'_, App>,
    request: RescheduleReferralRequest,
) -> Result<RescheduleResult, ApiError> {
    handlers::reschedule_referral(&app, request).await
}

#[tauri::command]
pub async fn list_appointments(
    app: State<'_, App>,
    request: ListAppointmentsRequest,
) -> Result<AppointmentList, ApiError> {
    handlers::list_appointments(&app, request).await
}

#[tauri::command]
pub async fn export_ics(
    app: State<'_, App>,
    request: ExportIcsRequest,
) -> Result<IcsFile, ApiError> {
    handlers::export_ics(&app, request).await
}

/// Streams one `FindProgress` per organisation event over `on_progress` as results arrive.
#[tauri::command]
pub async fn find_slots(
    app: State<'_, App>,
    request: FindSlotsRequest,
    on_progress: Channel<FindProgress>,
) -> Result<FindSummary, ApiError> {
    // A failed send means the webview went away; the search still finishes and is recorded.
    handlers::find_slots(&app, request, move |p| drop(on_progress.send(p))).await
}
