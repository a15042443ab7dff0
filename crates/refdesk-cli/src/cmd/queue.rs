//! `refdesk home set|show` and `refdesk queue list|claim|release|sync|start|book`: the home
//! organisation and its shared queue of referral orders, through the app's handlers.

use referral_api::booking::{BookSlotRequest, BookingConfirmation};
use referral_api::find::FindSlotsRequest;
use referral_api::handlers;
use referral_api::patient::Gender;
use referral_api::queue::{
    FillWindow, GetHomeRequest, HomeSettings, ListQueueRequest, OrderFill, OrderRequest, QueueItem,
    QueueList, QueueSyncResult, QueueView, SaveHomeRequest, StartOrderRequest, StartedOrder,
};
use referral_api::{ApiError, ApiErrorCode};
use referral_core::App;

use crate::cli::{HomeCmd, QueueCmd, QueueStartArgs, QueueViewArg};
use crate::out::{Done, Out, table};

/// Times tried in turn by `queue book` when another desk takes the earliest one first.
const BOOK_ATTEMPTS: usize = 5;

pub async fn home(app: &App, cmd: HomeCmd, out: &Out) -> Done {
    let settings = match cmd {
        HomeCmd::Show => handlers::get_home(app, GetHomeRequest {}).await?,
        HomeCmd::Set {
            name,
            base_url,
            client_id,
            token_url,
            lease_seconds,
        } => {
            let req = SaveHomeRequest {
                name,
                base_url,
                client_id,
                token_url,
                lease_seconds,
            };
            handlers::save_home(app, req).await?
        }
    };
    out.emit(&settings, home_text)?;
    Ok(0)
}

pub async fn run(app: &App, cmd: QueueCmd, out: &Out) -> Done {
    match cmd {
        QueueCmd::List { view } => {
            let req = ListQueueRequest {
                view: Some(view_of(view)),
            };
            let list = handlers::list_queue(app, req).await?;
            out.emit(&list, list_text)?;
        }
        QueueCmd::Claim { order } => {
            let item = handlers::claim_order(app, OrderRequest { order_id: order }).await?;
            out.emit(&item, item_text)?;
        }
        QueueCmd::Release { order } => {
            let item = handlers::release_order(app, OrderRequest { order_id: order }).await?;
            out.emit(&item, item_text)?;
        }
        QueueCmd::Sync => {
            let report = handlers::sync_queue(app).await?;
            out.emit(&report, sync_text)?;
        }
        QueueCmd::Start(args) => {
            let started = start(app, args).await?;
            out.emit(&started, |s| s.referral_id.clone())?;
        }
        QueueCmd::Book(args) => {
            let booked = book(app, args).await?;
            out.emit(&booked, booked_text)?;
        }
    }
    Ok(0)
}

async fn start(app: &App, args: QueueStartArgs) -> Result<StartedOrder, ApiError> {
    let order_id = args.order.clone();
    let fill = fill(args)?;
    handlers::start_order(app, StartOrderRequest { order_id, fill }).await
}

/// Starts the order's referral and books the earliest time; when another desk books that time
/// first, the next one is tried.
async fn book(app: &App, args: QueueStartArgs) -> Result<BookingConfirmation, ApiError> {
    let started = start(app, args).await?;
    let referral_id = started.referral_id;
    let req = FindSlotsRequest {
        referral_id: referral_id.clone(),
        organisation_ids: Vec::new(),
        window: None,
        practitioner: None,
        location: None,
        after: None,
        time_of_day: None,
        utc_offset_minutes: None,
    };
    let found = handlers::find_slots(app, req, |_| {}).await?;
    let mut last = ApiError::new(
        ApiErrorCode::SlotTaken,
        "No appointment time was offered for this order. Widen the dates and search again.",
    );
    for option in found.options.iter().take(BOOK_ATTEMPTS) {
        let req = BookSlotRequest {
            referral_id: referral_id.clone(),
            option_id: Some(option.option_id.clone()),
            comment: None,
            patient_id: None,
            coverage: None,
            without_coverage: None,
        };
        match handlers::book_slot(app, req).await {
            Ok(booked) => return Ok(booked),
            Err(e) if e.needs_new_search() => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

fn fill(a: QueueStartArgs) -> Result<OrderFill, ApiError> {
    let gender = match a.gender.as_deref().map(str::trim) {
        None => None,
        Some("male") => Some(Gender::Male),
        Some("female") => Some(Gender::Female),
        Some("other") => Some(Gender::Other),
        Some("unknown") => Some(Gender::Unknown),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "--gender",
                "Gender: use male, female, other or unknown.",
            ));
        }
    };
    Ok(OrderFill {
        family: a.family,
        given: a.given,
        birth_date: a.birth_date,
        gender,
        mrn: a.mrn,
        specialty: a.specialty,
        window: a.from.zip(a.to).map(|(from, to)| FillWindow { from, to }),
        referrer_phone: a.referrer_phone,
        coverage_payor: a.payor,
        coverage_subscriber_id: a.subscriber_id,
        organisation_ids: a.orgs,
    })
}

fn view_of(v: QueueViewArg) -> QueueView {
    match v {
        QueueViewArg::All => QueueView::All,
        QueueViewArg::Unclaimed => QueueView::Unclaimed,
        QueueViewArg::Mine => QueueView::Mine,
        QueueViewArg::Others => QueueView::Others,
        QueueViewArg::Done => QueueView::Done,
        QueueViewArg::Problems => QueueView::Problems,
    }
}

fn home_text(s: &HomeSettings) -> String {
    match &s.home {
        None => "home organisation: not set (refdesk home set …)".to_owned(),
        Some(h) => format!(
            "home organisation: {} ({})\nclient id: {}\nthis desk: {} ({})\nclaim lease: {} s\nlast refreshed: {}",
            h.name,
            h.base_url,
            h.client_id,
            h.desk_display,
            h.desk_id,
            h.lease_seconds,
            h.last_refreshed
                .map_or_else(|| "never".to_owned(), |t| t.to_rfc3339())
        ),
    }
}

fn list_text(l: &QueueList) -> String {
    if !l.home_configured {
        return "no home organisation is set (refdesk home set …)".to_owned();
    }
    let rows: Vec<Vec<String>> = l.items.iter().map(row).collect();
    let c = &l.counts;
    format!(
        "{}\n{} unclaimed, {} mine, {} others', {} done, {} with problems",
        table(
            &[
                "order",
                "state",
                "patient",
                "what",
                "priority",
                "due",
                "owner / outcome"
            ],
            &rows
        ),
        c.unclaimed,
        c.mine,
        c.others,
        c.done,
        c.problems
    )
}

fn row(i: &QueueItem) -> Vec<String> {
    let state = serde_json::to_value(i.view)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let priority = serde_json::to_value(i.priority)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let who = i
        .problem
        .clone()
        .or_else(|| i.outcome.clone())
        .or_else(|| i.owner.clone())
        .unwrap_or_default();
    vec![
        i.order_id.clone(),
        state,
        i.patient_name.clone(),
        i.what.clone(),
        priority,
        i.due_by.map(|d| d.to_string()).unwrap_or_default(),
        who,
    ]
}

fn item_text(i: &QueueItem) -> String {
    let r = row(i);
    format!("{}: {} ({}) {}", r[0], r[2], r[1], r[6])
}

fn sync_text(r: &QueueSyncResult) -> String {
    format!(
        "{} write-back(s) replayed, {} lease(s) renewed; {} order(s), {} changed, {} with problems; {} request(s) to the home",
        r.replayed, r.renewed, r.items, r.changed, r.problems, r.requests
    )
}

fn booked_text(b: &BookingConfirmation) -> String {
    format!(
        "{}: booked {} at {} (appointment {})",
        b.referral_id,
        b.start.to_rfc3339(),
        b.organisation_name,
        b.appointment_id
    )
}
