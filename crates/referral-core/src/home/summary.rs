//! What the desk keeps of an order besides the order itself: the summary the queue list shows
//! (built from the mapping, or as far as a bad order allows), the order as stored JSON, the
//! claim columns read from a Task, and how one stored row becomes a [`QueueItem`].

use chrono::{DateTime, NaiveDate, Utc};
use fhir_model::r4;
use referral_model::{ItemView, MissingField, Priority, QueueItem};
use referral_store::{QueueClaim, QueueOrder, QueueState};
use sched_client::home::{CLAIM_SYSTEM, DESK_SYSTEM, Order};
use serde::{Deserialize, Serialize};

use super::mapping::{MappedOrder, Missing};

/// The list's view of an order (stored as `queue_orders.summary`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct OrderSummary {
    pub patient_name: String,
    pub birth_date: Option<NaiveDate>,
    pub mrn: Option<String>,
    pub what: String,
    pub reason: Option<String>,
    pub priority: Option<Priority>,
    pub due_by: Option<NaiveDate>,
    pub requester: Option<String>,
    pub performer: Option<String>,
    pub missing: Vec<MissingField>,
}

/// The order as stored (`queue_orders.order_json`), so a referral can start offline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredOrder {
    pub request: r4::ServiceRequest,
    pub patient: Option<r4::Patient>,
    #[serde(default)]
    pub coverage: Vec<r4::Coverage>,
}

impl StoredOrder {
    pub fn of(order: &Order) -> Self {
        Self {
            request: order.request.clone(),
            patient: order.patient.clone(),
            coverage: order.coverage.clone(),
        }
    }

    pub fn into_order(self) -> Order {
        Order {
            request: self.request,
            patient: self.patient,
            coverage: self.coverage,
        }
    }
}

pub(crate) fn missing_field(m: Missing) -> MissingField {
    match m {
        Missing::PatientName => MissingField::PatientName,
        Missing::BirthDate => MissingField::BirthDate,
        Missing::Gender => MissingField::Gender,
        Missing::Mrn => MissingField::Mrn,
        Missing::Specialty => MissingField::Specialty,
        Missing::Window => MissingField::Window,
        Missing::ReferrerPhone => MissingField::ReferrerPhone,
        Missing::CoveragePayor => MissingField::CoveragePayor,
        Missing::CoverageSubscriberId => MissingField::CoverageSubscriberId,
    }
}

/// The summary of a mapped order.
pub(crate) fn summary_of(order: &Order, mapped: &MappedOrder) -> OrderSummary {
    let p = &mapped.patient;
    let name = match (&p.family, p.given.is_empty()) {
        (Some(f), false) => format!("{f}, {}", p.given.join(" ")),
        (Some(f), true) => f.clone(),
        (None, _) => p.given.join(" "),
    };
    OrderSummary {
        patient_name: name,
        birth_date: p.birth_date,
        mrn: p.mrn.clone(),
        what: what(
            &order.request,
            mapped.specialty.as_ref().and_then(|s| s.display.clone()),
        ),
        reason: mapped.reason.clone(),
        priority: Some(mapped.priority),
        due_by: mapped.content.due_by,
        requester: mapped.content.referrer.as_ref().map(|r| r.name.clone()),
        performer: mapped
            .performer
            .as_ref()
            .and_then(|(r, d)| d.clone().or(r.clone())),
        missing: mapped.missing.iter().copied().map(missing_field).collect(),
    }
}

/// The summary of an order the mapping refused: what can be read of it.
pub(crate) fn rough_summary(order: &Order) -> OrderSummary {
    let patient_name = order
        .patient
        .as_ref()
        .and_then(|p| p.name.first())
        .map(|n| {
            let family = n.family.clone().unwrap_or_default();
            format!("{family}, {}", n.given.join(" "))
        })
        .or_else(|| {
            order
                .request
                .subject
                .as_ref()
                .and_then(|s| s.display.clone())
        })
        .unwrap_or_else(|| "Unknown patient".to_owned());
    OrderSummary {
        patient_name,
        what: what(&order.request, None),
        priority: order
            .request
            .priority
            .as_deref()
            .and_then(Priority::from_code),
        requester: order
            .request
            .requester
            .as_ref()
            .and_then(|r| r.display.clone()),
        ..OrderSummary::default()
    }
}

fn what(sr: &r4::ServiceRequest, specialty: Option<String>) -> String {
    specialty
        .or_else(|| sr.code.as_ref().and_then(|c| c.label().map(str::to_owned)))
        .or_else(|| {
            sr.performer_type
                .as_ref()
                .and_then(|c| c.label().map(str::to_owned))
        })
        .unwrap_or_else(|| "Referral".to_owned())
}

/// The claim columns of a Task as the home returned it.
pub(crate) fn claim_of(task: &r4::Task) -> QueueClaim {
    QueueClaim {
        task_id: task.id.clone(),
        task_version: task.version_id().map(str::to_owned),
        task_status: Some(task.status.clone()),
        owner_desk: task.owner_id(DESK_SYSTEM).map(str::to_owned),
        owner_display: task.owner_display().map(str::to_owned),
        lease_end: task
            .lease_end()
            .and_then(|l| fhir_model::parse_instant(l).ok())
            .map(|t| t.with_timezone(&Utc)),
        business_status: task.business_status.as_ref().and_then(|b| b.text.clone()),
    }
}

/// The order a claim Task is for (its claim identifier).
pub(crate) fn order_of_task(task: &r4::Task) -> Option<&str> {
    task.identifier
        .iter()
        .find(|i| i.system.as_deref() == Some(CLAIM_SYSTEM))
        .and_then(|i| i.value.as_deref())
}

const FINAL: [&str; 5] = [
    "completed",
    "failed",
    "cancelled",
    "rejected",
    "entered-in-error",
];

/// Where a stored order stands for the desk `desk_id` at `now`.
pub(crate) fn view_of(row: &QueueOrder, desk_id: &str, now: DateTime<Utc>) -> ItemView {
    let c = &row.claim;
    let status = c.task_status.as_deref().unwrap_or("");
    if row.order.state == QueueState::Gone {
        return ItemView::Problem;
    }
    if FINAL.contains(&status) || row.order.state == QueueState::Closed {
        return ItemView::Done;
    }
    if row.order.problem.is_some() || row.order.state == QueueState::Unreadable {
        return ItemView::Problem;
    }
    let owned = c.owner_desk.is_some() && status != "ready";
    let live = c.lease_end.is_some_and(|end| end > now);
    match (owned, c.owner_desk.as_deref() == Some(desk_id)) {
        (true, true) => ItemView::Mine,
        (true, false) if live => ItemView::Others,
        _ => ItemView::Unclaimed,
    }
}

/// One stored row as the list shows it.
pub(crate) fn item_of(row: QueueOrder, desk_id: &str, now: DateTime<Utc>) -> QueueItem {
    let view = view_of(&row, desk_id, now);
    let s: OrderSummary = serde_json::from_value(row.order.summary.clone()).unwrap_or_default();
    let problem = row.order.problem.clone().or_else(|| {
        (row.order.state == QueueState::Gone)
            .then(|| "This order was withdrawn at home.".to_owned())
    });
    QueueItem {
        order_id: row.order.order_id,
        view,
        patient_name: s.patient_name,
        birth_date: s.birth_date,
        mrn: s.mrn,
        what: s.what,
        reason: s.reason,
        priority: s.priority.unwrap_or(Priority::Routine),
        due_by: s.due_by,
        requester: s.requester,
        performer: s.performer,
        missing: s.missing,
        owner: row.claim.owner_display.filter(|_| {
            row.claim.owner_desk.is_some() && row.claim.task_status.as_deref() != Some("ready")
        }),
        lease_end: row.claim.lease_end,
        outcome: row.claim.business_status,
        referral_id: row.referral_id,
        problem,
        last_updated: row.order.last_updated,
    }
}
