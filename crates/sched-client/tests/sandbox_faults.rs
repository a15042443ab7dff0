//! The sandbox's fault knobs against the client: latency, 5xx, 429 + Retry-After, dropped
//! connections, malformed bodies, "hold not supported", and a token expiring mid-flow.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::{Duration as Days, Utc};
use fhir_model::{BookParams, FindParams, HoldParams};
use sched_client::{ClientError, Interaction, Readback, RetryPolicy};
use sched_sandbox::{Faults, OrgKind, RunningSandbox, Sandbox};

fn params() -> FindParams {
    let at = |d| fhir_model::datetime::format_instant(&(Utc::now() + Days::days(d)));
    FindParams {
        start: Some(at(1)),
        end: Some(at(15)),
        count: Some(2),
        ..FindParams::default()
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

async fn sandbox() -> RunningSandbox {
    Sandbox::start(common::one_org("derm", OrgKind::Specialty))
        .await
        .unwrap()
}

fn faults(f: impl FnOnce(&mut Faults)) -> Faults {
    let mut x = Faults::default();
    f(&mut x);
    x
}

/// The first option `$find` offers at the organisation, taken while it has no faults.
async fn first_proposal(org: &common::SandboxOrg) -> sched_client::Proposal {
    org.client
        .find_appointments(&params())
        .await
        .unwrap()
        .proposals
        .remove(0)
}

/// Makes the sandbox answer every request with `status`.
fn fail_every_request(sb: &RunningSandbox, status: u16) {
    sb.set_faults(
        "derm",
        faults(|f| {
            f.failure_rate = 1.0;
            f.failure_status = status;
        }),
    )
    .unwrap();
}

#[tokio::test]
async fn latency_beyond_the_timeout_is_a_timeout_and_within_it_succeeds() {
    let sb = sandbox().await;
    let org = common::connect(&sb, "derm", None, |b| b.timeout(Duration::from_secs(5))).await;
    let slow = org.another(|b| {
        b.timeout(Duration::from_millis(150))
            .retry(RetryPolicy::none())
    });
    slow.capabilities().await.unwrap();
    org.client.capabilities().await.unwrap();
    sb.set_faults("derm", faults(|f| f.latency_ms = 400))
        .unwrap();
    let err = slow.find_appointments(&params()).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    let started = Instant::now();
    assert!(
        !org.client
            .find_appointments(&params())
            .await
            .unwrap()
            .proposals
            .is_empty()
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
}

#[tokio::test]
async fn a_5xx_is_retried_for_reads_but_a_hold_is_sent_once_and_never_claimed() {
    let sb = sandbox().await;
    let org = common::connect(&sb, "derm", None, |b| b.retry(quick())).await;
    let proposal = first_proposal(&org).await;
    fail_every_request(&sb, 500);
    let err = org.client.find_appointments(&params()).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.is_retryable());
    let hold = HoldParams {
        appt_id: proposal.id.clone(),
        appt_resource: None,
    };
    let err = org.client.hold_appointment(&hold).await.unwrap_err();
    // The read-back also met the failing server, so the client says it does not know.
    assert!(
        matches!(
            err,
            ClientError::Ambiguous {
                readback: Readback::Unknown { .. },
                ..
            }
        ),
        "{err:?}"
    );
    sb.set_faults("derm", Faults::default()).unwrap();
    let now = org
        .client
        .read_appointment(proposal.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(
        now.status, "proposed",
        "the 500 was the fault knob's: nothing was held"
    );
}

#[tokio::test]
async fn a_503_on_book_is_a_plain_error_the_server_did_not_process() {
    let sb = sandbox().await;
    let org = common::connect(&sb, "derm", None, |b| b.retry(quick())).await;
    let proposal = first_proposal(&org).await;
    fail_every_request(&sb, 503);
    let book = BookParams {
        appt_id: proposal.id.clone(),
        ..BookParams::default()
    };
    let err = org.client.book_appointment(&book, None).await.unwrap_err();
    assert_eq!(err.status(), Some(503), "{err:?}");
}

#[tokio::test]
async fn throttling_is_waited_out_as_retry_after_says() {
    let sb = sandbox().await;
    let org = common::connect(&sb, "derm", None, |b| b.retry(quick())).await;
    org.client.capabilities().await.unwrap();
    sb.set_faults(
        "derm",
        faults(|f| {
            f.throttle_rate = 1.0;
            f.retry_after_seconds = 1;
        }),
    )
    .unwrap();
    let started = Instant::now();
    let err = org.client.find_appointments(&params()).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "two pauses of Retry-After: 1 between three attempts"
    );
}

#[tokio::test]
async fn a_dropped_connection_fails_reads_after_retries_and_makes_a_book_ambiguous() {
    let sb = sandbox().await;
    let org = common::connect(&sb, "derm", None, |b| b.retry(quick())).await;
    let proposal = first_proposal(&org).await;
    sb.set_faults("derm", faults(|f| f.drop_rate = 1.0))
        .unwrap();
    let err = org.client.find_appointments(&params()).await.unwrap_err();
    assert!(matches!(err, ClientError::Unreachable { .. }), "{err:?}");
    let book = BookParams {
        appt_id: proposal.id.clone(),
        ..BookParams::default()
    };
    let err = org.client.book_appointment(&book, None).await.unwrap_err();
    assert!(err.is_ambiguous(), "{err:?}");
}

#[tokio::test]
async fn a_malformed_body_is_reported_as_malformed() {
    let sb = sandbox().await;
    let org = common::connect(&sb, "derm", None, |b| b.retry(quick())).await;
    org.client.capabilities().await.unwrap();
    sb.set_faults("derm", faults(|f| f.malformed_rate = 1.0))
        .unwrap();
    let err = org.client.find_appointments(&params()).await.unwrap_err();
    assert!(matches!(err, ClientError::Malformed { .. }), "{err:?}");
}

#[tokio::test]
async fn hold_not_supported_is_detected_from_metadata_and_not_attempted() {
    let sb = sandbox().await;
    sb.set_faults("derm", faults(|f| f.hold_not_supported = true))
        .unwrap();
    let org = common::connect(&sb, "derm", None, |b| b).await;
    let proposal = first_proposal(&org).await;
    let err = org
        .client
        .hold_appointment(&HoldParams {
            appt_id: proposal.id.clone(),
            appt_resource: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Unsupported {
                interaction: Interaction::HoldAppointment
            }
        ),
        "{err:?}"
    );
    let read = org
        .client
        .read_appointment(proposal.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(read.status, "proposed");
}

#[tokio::test]
async fn a_token_expiring_mid_flow_is_replaced_once_after_the_401() {
    let sb = sandbox().await;
    sb.set_faults("derm", faults(|f| f.token_ttl_seconds = Some(1)))
        .unwrap();
    // The client's clock stands still, so smart-auth keeps offering the first token after the
    // server has let it expire: the FHIR server's 401 is what reveals it.
    let frozen: Arc<dyn smart_auth::Clock> = Arc::new(smart_auth::ManualClock::starting_now());
    let org = common::connect(&sb, "derm", Some(frozen), |b| b).await;
    org.client.find_appointments(&params()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let found = org.client.find_appointments(&params()).await.unwrap();
    assert!(!found.proposals.is_empty());
    assert_eq!(org.auth.forced.load(Ordering::SeqCst), 1);
    assert_eq!(org.auth.distinct_tokens(), 2);
}
