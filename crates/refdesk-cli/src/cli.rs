//! The command line: every command, its arguments and their help text (clap derive).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Referral Desk from the command line: book patients into other organisations' schedules over
/// FHIR (Argonaut Scheduling) with SMART Backend Services.
///
/// Every command calls the same handler as the desktop app; `--json` prints that handler's result
/// (its TypeScript binding name is in docs/cli.md), or the `ApiError` on failure.
///
/// Exit codes (from the error's code): 0 ok; 1 refused by an organisation, not found or
/// conflicting state; 2 bad arguments; 3 an organisation could not be reached or failed; 4 needs
/// attention (the outcome at the organisation is uncertain); 5 local failure (database, key
/// store).
#[derive(Debug, Parser)]
#[command(name = "refdesk", version)]
pub struct Cli {
    /// Where the worklist (and, with --key-file, the key) is kept.
    #[arg(long, global = true, env = "REFDESK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Keep the app key in a 0600 file under <data-dir>/keys instead of the OS keyring (opt-in,
    /// for machines without a secret store).
    #[arg(long, global = true, env = "REFDESK_KEY_FILE", value_parser = clap::builder::BoolishValueParser::new())]
    pub key_file: bool,
    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The app's signing key.
    #[command(subcommand)]
    Keys(KeysCmd),
    /// The organisation directory.
    #[command(subcommand)]
    Org(OrgCmd),
    /// Patients at an organisation.
    #[command(subcommand)]
    Patient(PatientCmd),
    /// Coverage (insurance) at an organisation.
    #[command(subcommand)]
    Coverage(CoverageCmd),
    /// Search open appointments across organisations ($find) for a referral.
    Find(Box<FindArgs>),
    /// Hold a found option ($hold) for a referral.
    Hold(HoldArgs),
    /// Release a referral's hold.
    Release(ReferralArg),
    /// Book the held slot, or an option directly ($book).
    Book(BookArgs),
    /// Cancel a referral (and its appointment) with a reason code.
    Cancel(CancelArgs),
    /// Move a booked referral to another option at the same organisation.
    Reschedule(RescheduleArgs),
    /// The worklist.
    #[command(subcommand)]
    Referrals(ReferralsCmd),
    /// A patient's or a practitioner's appointments across organisations.
    Appointments(AppointmentsArgs),
    /// Export a booked referral's appointment.
    #[command(subcommand)]
    Export(ExportCmd),
    /// Reconcile unfinished work (runs automatically before workflow commands).
    Recover,
    /// Sandbox organisations.
    #[command(subcommand)]
    Sandbox(SandboxCmd),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Desk settings (the referring clinician organisations call back).
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// The home organisation: the EHR whose referral orders this desk works.
    #[command(subcommand)]
    Home(HomeCmd),
    /// The home organisation's shared queue of referral orders.
    #[command(subcommand)]
    Queue(QueueCmd),
}

#[derive(Debug, Subcommand)]
pub enum HomeCmd {
    /// Set (or replace) the home organisation.
    Set {
        /// Name shown to users.
        #[arg(long)]
        name: String,
        /// The home's FHIR R4 base URL.
        #[arg(long)]
        base_url: String,
        /// SMART Backend Services client id registered at the home.
        #[arg(long)]
        client_id: String,
        /// Token endpoint (default: SMART discovery).
        #[arg(long)]
        token_url: Option<String>,
        /// How long a claim lasts without renewal (default 900).
        #[arg(long)]
        lease_seconds: Option<u32>,
    },
    /// Print the home organisation and this desk's identity.
    Show,
}

/// The views of `queue list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueueViewArg {
    All,
    Unclaimed,
    Mine,
    Others,
    Done,
    Problems,
}

#[derive(Debug, Subcommand)]
pub enum QueueCmd {
    /// The desk's copy of the queue (no request to the home; `queue sync` refreshes it).
    List {
        #[arg(long, value_enum, default_value = "all")]
        view: QueueViewArg,
    },
    /// Claim an order for this desk.
    Claim { order: String },
    /// Give this desk's claim back to the queue (before booking).
    Release { order: String },
    /// Replay unsent write-backs, renew this desk's leases, refresh from the home.
    Sync,
    /// Start the referral for an order (claiming it); prints the referral id.
    Start(QueueStartArgs),
    /// Start an order's referral and book the earliest time offered (writes the outcome back).
    Book(QueueStartArgs),
}

/// An order and the details it lacks.
#[derive(Debug, Args)]
pub struct QueueStartArgs {
    /// The order (ServiceRequest id at home).
    pub order: String,
    /// Specialty code, when the order names none.
    #[arg(long)]
    pub specialty: Option<String>,
    /// First day to book within, when the order gives no period.
    #[arg(long, requires = "to")]
    pub from: Option<NaiveDate>,
    /// Last day to book within.
    #[arg(long, requires = "from")]
    pub to: Option<NaiveDate>,
    /// Patient's family name, when the order lacks it.
    #[arg(long)]
    pub family: Option<String>,
    /// Patient's given names.
    #[arg(long)]
    pub given: Option<String>,
    /// Patient's birth date.
    #[arg(long)]
    pub birth_date: Option<NaiveDate>,
    /// Patient's gender: male, female, other, unknown.
    #[arg(long)]
    pub gender: Option<String>,
    /// Patient's medical record number at home.
    #[arg(long)]
    pub mrn: Option<String>,
    /// The referrer's call-back number (default: the desk's referring clinician's).
    #[arg(long)]
    pub referrer_phone: Option<String>,
    /// Insurer name, when the order's coverage lacks it.
    #[arg(long)]
    pub payor: Option<String>,
    /// Subscriber (member) id, when the order's coverage lacks it.
    #[arg(long)]
    pub subscriber_id: Option<String>,
    /// Organisations to ask (repeat); default: the one the order names, else every enabled one.
    #[arg(long = "org")]
    pub orgs: Vec<String>,
}

/// The worklist order (`referrals list --sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Sort {
    Newest,
    DueBy,
}

/// A new referral's content (`find` without `--referral`).
#[derive(Debug, Args)]
pub struct ContentArgs {
    /// Coded reason from `code_tables` referral reasons: a code, or `system|code`
    /// (e.g. 9014002 psoriasis, I10 hypertension).
    #[arg(long)]
    pub reason_code: Option<String>,
    /// Priority: routine (default), urgent, asap or stat.
    #[arg(long)]
    pub priority: Option<String>,
    /// The day the patient should be seen by (YYYY-MM-DD, today or later).
    #[arg(long)]
    pub due_by: Option<NaiveDate>,
    /// Referring clinician's name (default: the desk setting).
    #[arg(long, requires = "referrer_phone")]
    pub referrer_name: Option<String>,
    /// Referring clinician's NPI (10 digits).
    #[arg(long, requires = "referrer_name")]
    pub referrer_npi: Option<String>,
    /// Call-back number.
    #[arg(long, requires = "referrer_name")]
    pub referrer_phone: Option<String>,
    /// A note for the organisation (at most 1000 characters).
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// The desk's referring clinician.
    #[command(subcommand)]
    Referrer(ReferrerCmd),
}

#[derive(Debug, Subcommand)]
pub enum ReferrerCmd {
    /// Print the desk settings.
    Show,
    /// Set the referring clinician new referrals get when they name none.
    Set {
        #[arg(long)]
        name: String,
        #[arg(long)]
        npi: Option<String>,
        #[arg(long)]
        phone: String,
        /// Default due-by offset for discharge follow-ups, in days.
        #[arg(long)]
        follow_up_days: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Write the trail as FHIR R4 AuditEvent NDJSON to standard output (the export is audited).
    Export {
        /// Only events at or after this instant (RFC 3339, e.g. 2026-03-01T00:00:00Z).
        #[arg(long)]
        since: Option<String>,
        /// Only the events of this referral.
        #[arg(long)]
        referral: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// Create the app key if it does not exist (ES384 unless --alg rs384).
    Init {
        #[arg(long, value_enum, default_value_t = Alg::Es384)]
        alg: Alg,
    },
    /// Print the public JWK Set to hand to an organisation's administrator (creates the key,
    /// ES384, when there is none yet, as the app does).
    ShowJwks,
    /// Every key: kid, algorithm, created, retired, and the organisations signing with it.
    List,
    /// Generate a new key (ES384 unless --alg RS384); it joins the JWKS and new registrations
    /// use it. Organisations already registered keep their key until moved with `keys use`.
    Add {
        #[arg(long, value_enum, ignore_case = true, default_value_t = Alg::Es384)]
        alg: Alg,
    },
    /// Retire a key: it leaves the JWKS and its private part is deleted. Refused while an
    /// organisation still signs with it.
    Retire {
        /// The key id (kid). A thumbprint may begin with '-', so it is taken as a value.
        #[arg(allow_hyphen_values = true)]
        kid: String,
    },
    /// Move an organisation to a key (register the key's public part there first).
    Use {
        /// The organisation id.
        org: String,
        /// The key id (kid). A thumbprint may begin with '-', so it is taken as a value.
        #[arg(allow_hyphen_values = true)]
        kid: String,
    },
}

/// Part of the day `find --time-of-day` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DayPart {
    Morning,
    Afternoon,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Alg {
    Es384,
    Rs384,
}

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    /// Add an organisation.
    Add(OrgAddArgs),
    /// List the directory.
    List,
    /// Check discovery, token and /metadata; prints what the organisation supports.
    Check { id: String },
    /// Remove an organisation (disabled instead when referrals refer to it).
    Remove { id: String },
    /// Change an organisation's details (only the options given change).
    #[command(visible_alias = "update")]
    Edit(OrgEditArgs),
    /// Search this organisation again.
    Enable { id: String },
    /// Stop searching this organisation (its referrals stay readable).
    Disable { id: String },
    /// The practitioners and locations the organisation lists in its own directory (the ids
    /// `find --practitioner` and `--location` take).
    Directory { id: String },
}

#[derive(Debug, Args)]
pub struct OrgEditArgs {
    pub id: String,
    /// Display name.
    #[arg(long)]
    pub name: Option<String>,
    /// FHIR base URL.
    #[arg(long)]
    pub base: Option<String>,
    /// SMART client id.
    #[arg(long)]
    pub client_id: Option<String>,
    /// Scopes, space separated.
    #[arg(long)]
    pub scopes: Option<String>,
    /// Scheduling dialect: argonaut, ihe-iti, plain-r4, epic, oracle, or auto (detect from
    /// its CapabilityStatement).
    #[arg(long)]
    pub dialect: Option<String>,
}

#[derive(Debug, Args)]
pub struct OrgAddArgs {
    /// Short id (lower-case letters, digits, '.', '_', '-').
    #[arg(long)]
    pub id: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// FHIR base URL (https, or http on loopback).
    #[arg(long)]
    pub base: String,
    /// SMART client id registered with the organisation.
    #[arg(long)]
    pub client_id: String,
    /// Scopes, space separated (default: system/Appointment.* system/Patient.*
    /// system/Coverage.* system/Slot.* system/Schedule.read system/ReferralRequest.* system/Practitioner.read
    /// system/PractitionerRole.read system/Location.read).
    #[arg(long, default_value = "")]
    pub scopes: String,
    /// Add it disabled (not searched).
    #[arg(long)]
    pub disabled: bool,
    /// Scheduling dialect: argonaut, ihe-iti, plain-r4, epic, oracle, or auto (default: detect
    /// from its CapabilityStatement).
    #[arg(long)]
    pub dialect: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PatientCmd {
    /// Search patients at an organisation.
    Find(PatientFindArgs),
    /// Register a patient (POST Patient), with coverage when --payor is given.
    Register(PatientRegisterArgs),
    /// Ask the organisation to match a patient (Patient/$match): candidates with score and grade.
    Match(PatientMatchArgs),
}

#[derive(Debug, Args)]
pub struct PatientMatchArgs {
    #[arg(long)]
    pub org: String,
    #[command(flatten)]
    pub patient: PatientDetailsArgs,
}

#[derive(Debug, Args)]
pub struct PatientFindArgs {
    #[arg(long)]
    pub org: String,
    #[arg(long)]
    pub family: Option<String>,
    #[arg(long)]
    pub given: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    pub birth_date: Option<NaiveDate>,
    /// An identifier, `system|value` or a bare value.
    #[arg(long)]
    pub identifier: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct PatientDetailsArgs {
    #[arg(long)]
    pub family: String,
    /// Given name (repeat for middle names).
    #[arg(long, required = true)]
    pub given: Vec<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    pub birth_date: NaiveDate,
    /// male, female, other or unknown (default unknown).
    #[arg(long, value_enum)]
    pub gender: Option<GenderArg>,
    /// Medical record number at home.
    #[arg(long)]
    pub mrn: String,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GenderArg {
    Male,
    Female,
    Other,
    Unknown,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CoverageArgs {
    /// Payor (insurer) name.
    #[arg(long)]
    pub payor: Option<String>,
    /// Subscriber (member) id.
    #[arg(long)]
    pub subscriber_id: Option<String>,
    /// Plan name.
    #[arg(long)]
    pub plan: Option<String>,
    /// self, spouse, child or other.
    #[arg(long, default_value = "self")]
    pub relationship: String,
}

#[derive(Debug, Args)]
pub struct PatientRegisterArgs {
    #[arg(long)]
    pub org: String,
    #[command(flatten)]
    pub patient: PatientDetailsArgs,
    #[command(flatten)]
    pub coverage: CoverageArgs,
}

#[derive(Debug, Subcommand)]
pub enum CoverageCmd {
    /// Add coverage for a patient registered at an organisation.
    Add {
        #[arg(long)]
        org: String,
        #[arg(long)]
        patient_id: String,
        #[command(flatten)]
        coverage: CoverageArgs,
    },
    /// Replace a coverage the organisation has (PUT Coverage/<id>).
    Update {
        #[arg(long)]
        org: String,
        #[arg(long)]
        patient_id: String,
        #[arg(long)]
        coverage_id: String,
        /// The version last saved (printed by `coverage add`/`update`), sent as If-Match: a
        /// coverage changed there since is refused instead of overwritten.
        #[arg(long)]
        version: Option<String>,
        #[command(flatten)]
        coverage: CoverageArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// The appointment as an iCalendar (.ics) file: printed, or written to --out.
    Ics {
        #[arg(long)]
        referral: String,
        /// Write the file here instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct FindArgs {
    /// An existing referral; without it a new referral is created from the patient options.
    #[arg(long)]
    pub referral: Option<String>,
    /// Organisations to ask (repeat); default: the referral's, or every enabled one.
    #[arg(long = "org")]
    pub orgs: Vec<String>,
    /// First day of the window (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last day of the window (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Specialty code (SNOMED CT, e.g. 394582007 dermatology).
    #[arg(long)]
    pub specialty: Option<String>,
    /// Visit type code (Argonaut visit-type, e.g. new-patient, mri).
    #[arg(long)]
    pub visit_type: Option<String>,
    /// Reason for referral.
    #[arg(long)]
    pub reason: Option<String>,
    /// New referral: what it says beyond the service (coded reason, due day, referrer, note).
    #[command(flatten)]
    pub content: ContentArgs,
    /// Only this practitioner: the id `find` prints in brackets, or `Practitioner/<id>`.
    #[arg(long)]
    pub practitioner: Option<String>,
    /// Only this location: `Location/<id>`, or part of its address (city, postcode).
    #[arg(long)]
    pub location: Option<String>,
    /// More times: only those starting after this instant (RFC 3339, the last one shown).
    #[arg(long)]
    pub after: Option<chrono::DateTime<chrono::Utc>>,
    /// Only mornings (before 12:00) or afternoons (from 12:00), in UTC unless `--utc-offset`.
    #[arg(long, value_enum)]
    pub time_of_day: Option<DayPart>,
    /// The desk's offset from UTC in minutes (east positive) for the window's days and
    /// `--time-of-day`.
    #[arg(long, allow_hyphen_values = true)]
    pub utc_offset: Option<i32>,
    /// The patient's id at an organisation, `org=id` (repeat).
    #[arg(long = "patient-link")]
    pub patient_links: Vec<String>,
    /// New referral: the patient's family name.
    #[arg(long)]
    pub family: Option<String>,
    /// New referral: given name (repeat for middle names).
    #[arg(long)]
    pub given: Vec<String>,
    /// New referral: birth date (YYYY-MM-DD).
    #[arg(long)]
    pub birth_date: Option<NaiveDate>,
    /// New referral: male, female, other or unknown.
    #[arg(long, value_enum)]
    pub gender: Option<GenderArg>,
    /// New referral: medical record number at home.
    #[arg(long)]
    pub mrn: Option<String>,
    #[command(flatten)]
    pub coverage: CoverageArgs,
}

impl FindArgs {
    /// The patient of a new referral, when all required details were given.
    pub fn patient(&self) -> Option<PatientDetailsArgs> {
        Some(PatientDetailsArgs {
            family: self.family.clone()?,
            given: Some(self.given.clone()).filter(|g| !g.is_empty())?,
            birth_date: self.birth_date?,
            gender: self.gender,
            mrn: self.mrn.clone()?,
            phone: None,
            email: None,
        })
    }
}

#[derive(Debug, Args)]
pub struct ReferralArg {
    /// The referral id.
    #[arg(long)]
    pub referral: String,
}

#[derive(Debug, Args)]
pub struct HoldArgs {
    #[arg(long)]
    pub referral: String,
    /// Option id printed by `refdesk find` (`<org>/<appointment id>`).
    #[arg(long)]
    pub option: String,
}

#[derive(Debug, Args)]
pub struct BookArgs {
    #[arg(long)]
    pub referral: String,
    /// Book this option directly (no hold); default: the held slot.
    #[arg(long)]
    pub option: Option<String>,
    /// The patient's id at the organisation (else found or registered automatically).
    #[arg(long)]
    pub patient_id: Option<String>,
    /// Comment for the receiving organisation.
    #[arg(long)]
    pub comment: Option<String>,
    /// Book without the coverage the organisation refused (the patient stays registered).
    #[arg(long, conflicts_with = "payor")]
    pub without_coverage: bool,
    /// A corrected coverage to send instead of the refused one (--payor, --subscriber-id …).
    #[command(flatten)]
    pub coverage: CoverageArgs,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    #[arg(long)]
    pub referral: String,
    /// Argonaut status-reason code (patient-cancel, staff-cancel, scheduling-error, ...).
    #[arg(long)]
    pub reason: String,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct RescheduleArgs {
    #[arg(long)]
    pub referral: String,
    #[arg(long)]
    pub option: String,
    #[arg(long)]
    pub comment: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReferralsCmd {
    /// List referrals (newest first).
    List {
        /// Only these statuses (repeat): draft, searching, held, booked, cancelled,
        /// rescheduled, failed, needs_attention (or needs-attention).
        #[arg(long = "status")]
        statuses: Vec<String>,
        #[arg(long)]
        org: Option<String>,
        /// Part of the patient's name or MRN.
        #[arg(long)]
        text: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Order: newest (default) or due-by (earliest due day first, undated last).
        #[arg(long, value_enum, default_value_t = Sort::Newest)]
        sort: Sort,
        /// Only overdue referrals (due before today and not booked, cancelled or rescheduled).
        #[arg(long)]
        overdue: bool,
    },
    /// One referral with its event timeline.
    Show { id: String },
    /// Read back every booked referral; ones the organisation cancelled become cancelled.
    Sync,
    /// Search again for a draft, searching or failed referral with its stored organisations
    /// and window (or --from/--to when that window has passed).
    Resume {
        id: String,
        #[arg(long, requires = "to")]
        from: Option<NaiveDate>,
        #[arg(long, requires = "from")]
        to: Option<NaiveDate>,
    },
    /// Ask the organisation what is true for a referral that needs attention.
    Recheck { id: String },
    /// Settle a referral that needs attention with a note.
    Settle {
        id: String,
        /// What is true: booked-as-found, not-booked or cancelled.
        #[arg(long = "as", value_enum)]
        outcome: SettleArg,
        /// What you found or were told (required).
        #[arg(long)]
        note: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SettleArg {
    BookedAsFound,
    NotBooked,
    Cancelled,
}

#[derive(Debug, Args)]
pub struct AppointmentsArgs {
    /// The patient's home MRN.
    #[arg(
        long,
        conflicts_with = "practitioner",
        required_unless_present = "practitioner"
    )]
    pub patient_mrn: Option<String>,
    /// A practitioner id or reference as the organisations know them.
    #[arg(long)]
    pub practitioner: Option<String>,
    #[arg(long)]
    pub from: Option<NaiveDate>,
    #[arg(long)]
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum SandboxCmd {
    /// Start sandbox organisations in-process on 127.0.0.1, register the app key with them,
    /// add them to the directory, print their URLs and serve until Ctrl-C.
    Serve {
        /// Port (0 = any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Hold time-to-live in seconds at every sandbox organisation.
        #[arg(long)]
        hold_ttl: Option<u64>,
        /// Make every sandbox organisation refuse $hold (to try booking without a hold).
        #[arg(long)]
        no_hold: bool,
        /// Also start one organisation per other scheduling dialect (IHE ITI, plain FHIR R4,
        /// Epic, Oracle Health) beside the three Argonaut ones.
        #[arg(long)]
        every_dialect: bool,
    },
}
