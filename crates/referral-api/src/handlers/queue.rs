//! Handlers of [`crate::queue`]: the home organisation and its referral queue.

use referral_core::App;
use referral_model as m;

use super::OrApi;
use crate::error::ApiError;
use crate::patient::Gender;
use crate::queue::{
    FillWindow, GetHomeRequest, HomeInfo, HomeSettings, ListQueueRequest, MissingField, OrderFill,
    OrderPriority, OrderRequest, QueueCounts, QueueItem, QueueItemView, QueueList, QueueSyncResult,
    QueueView, RefreshQueueRequest, SaveHomeRequest, StartOrderRequest, StartedOrder,
};

pub async fn get_home(app: &App, _req: GetHomeRequest) -> Result<HomeSettings, ApiError> {
    let home = app.home().await.api()?;
    Ok(settings(home))
}

pub async fn save_home(app: &App, req: SaveHomeRequest) -> Result<HomeSettings, ApiError> {
    let input = m::HomeInput {
        name: req.name,
        base_url: req.base_url,
        client_id: req.client_id,
        token_url: req.token_url,
        lease_seconds: req.lease_seconds,
    };
    let home = app.set_home(input).await.api()?;
    Ok(settings(Some(home)))
}

pub async fn list_queue(app: &App, req: ListQueueRequest) -> Result<QueueList, ApiError> {
    let Some(home) = app.home().await.api()? else {
        return Ok(QueueList {
            items: Vec::new(),
            home_configured: false,
            last_refreshed: None,
            counts: QueueCounts::default(),
        });
    };
    let all = app.queue(m::QueueView::All).await.api()?;
    let counts = counts(&all);
    let view = view(req.view.unwrap_or_default());
    let items = all
        .into_iter()
        .filter(|i| view.shows(i.view))
        .map(item)
        .collect();
    Ok(QueueList {
        items,
        home_configured: true,
        last_refreshed: home.last_refreshed,
        counts,
    })
}

pub async fn refresh_queue(app: &App, _req: RefreshQueueRequest) -> Result<QueueList, ApiError> {
    app.sync_queue().await.api()?;
    list_queue(app, ListQueueRequest { view: None }).await
}

/// `refdesk queue sync`: replay, renew, refresh, with the counts.
pub async fn sync_queue(app: &App) -> Result<QueueSyncResult, ApiError> {
    let r = app.sync_queue().await.api()?;
    Ok(QueueSyncResult {
        replayed: r.replayed,
        renewed: r.renewed,
        items: r.refresh.items,
        changed: r.refresh.changed,
        requests: r.refresh.requests,
        problems: r.refresh.problems,
    })
}

pub async fn claim_order(app: &App, req: OrderRequest) -> Result<QueueItem, ApiError> {
    app.claim_order(&req.order_id).await.api().map(item)
}

pub async fn release_order(app: &App, req: OrderRequest) -> Result<QueueItem, ApiError> {
    app.release_order(&req.order_id).await.api().map(item)
}

pub async fn start_order(app: &App, req: StartOrderRequest) -> Result<StartedOrder, ApiError> {
    let started = app.start_order(&req.order_id, fill(req.fill)).await.api()?;
    Ok(StartedOrder {
        referral_id: started.referral_id.to_string(),
        item: item(started.item),
    })
}

fn settings(home: Option<m::HomeInfo>) -> HomeSettings {
    HomeSettings {
        configured: home.is_some(),
        home: home.map(|h| HomeInfo {
            name: h.name,
            base_url: h.base_url,
            client_id: h.client_id,
            token_url: h.token_url,
            desk_id: h.desk_id,
            desk_display: h.desk_display,
            lease_seconds: h.lease_seconds,
            last_refreshed: h.last_refreshed,
        }),
    }
}

fn counts(items: &[m::QueueItem]) -> QueueCounts {
    let mut c = QueueCounts::default();
    for i in items {
        match i.view {
            m::ItemView::Unclaimed => c.unclaimed += 1,
            m::ItemView::Mine => c.mine += 1,
            m::ItemView::Others => c.others += 1,
            m::ItemView::Done => c.done += 1,
            m::ItemView::Problem => c.problems += 1,
        }
    }
    c
}

fn view(v: QueueView) -> m::QueueView {
    match v {
        QueueView::All => m::QueueView::All,
        QueueView::Unclaimed => m::QueueView::Unclaimed,
        QueueView::Mine => m::QueueView::Mine,
        QueueView::Others => m::QueueView::Others,
        QueueView::Done => m::QueueView::Done,
        QueueView::Problems => m::QueueView::Problems,
    }
}

fn item(i: m::QueueItem) -> QueueItem {
    QueueItem {
        order_id: i.order_id,
        view: match i.view {
            m::ItemView::Unclaimed => QueueItemView::Unclaimed,
            m::ItemView::Mine => QueueItemView::Mine,
            m::ItemView::Others => QueueItemView::Others,
            m::ItemView::Done => QueueItemView::Done,
            m::ItemView::Problem => QueueItemView::Problem,
        },
        patient_name: i.patient_name,
        birth_date: i.birth_date,
        mrn: i.mrn,
        what: i.what,
        reason: i.reason,
        priority: match i.priority {
            m::Priority::Routine => OrderPriority::Routine,
            m::Priority::Urgent => OrderPriority::Urgent,
            m::Priority::Asap => OrderPriority::Asap,
            m::Priority::Stat => OrderPriority::Stat,
        },
        due_by: i.due_by,
        requester: i.requester,
        performer: i.performer,
        missing: i.missing.into_iter().map(missing).collect(),
        owner: i.owner,
        lease_end: i.lease_end,
        outcome: i.outcome,
        referral_id: i.referral_id.map(|r| r.to_string()),
        problem: i.problem,
        last_updated: i.last_updated,
    }
}

fn missing(f: m::MissingField) -> MissingField {
    use m::MissingField as F;
    match f {
        F::PatientName => MissingField::PatientName,
        F::BirthDate => MissingField::BirthDate,
        F::Gender => MissingField::Gender,
        F::Mrn => MissingField::Mrn,
        F::Specialty => MissingField::Specialty,
        F::Window => MissingField::Window,
        F::ReferrerPhone => MissingField::ReferrerPhone,
        F::CoveragePayor => MissingField::CoveragePayor,
        F::CoverageSubscriberId => MissingField::CoverageSubscriberId,
    }
}

fn fill(f: OrderFill) -> m::OrderFill {
    m::OrderFill {
        family: f.family,
        given: f.given,
        birth_date: f.birth_date,
        gender: f.gender.map(|g| match g {
            Gender::Male => m::Gender::Male,
            Gender::Female => m::Gender::Female,
            Gender::Other => m::Gender::Other,
            Gender::Unknown => m::Gender::Unknown,
        }),
        mrn: f.mrn,
        specialty: f.specialty,
        window: f
            .window
            .map(|FillWindow { from, to }| m::FillWindow { from, to }),
        referrer_phone: f.referrer_phone,
        coverage_payor: f.coverage_payor,
        coverage_subscriber_id: f.coverage_subscriber_id,
        organisation_ids: f.organisation_ids,
    }
}
