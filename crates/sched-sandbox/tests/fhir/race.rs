//! Booking is atomic: many clients racing for one proposal, exactly one wins.

use std::sync::Arc;

use crate::support::{DERM, Env, derm_only, params, string, uri};

async fn race(op: &'static str) {
    let mut env = Env::start(derm_only()).await;
    env.login().await;
    let env = Arc::new(env);
    let proposal = env
        .find("derm", vec![string("specialty", DERM)], 1)
        .await
        .appointment()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (env, proposal) = (Arc::clone(&env), proposal.clone());
        tasks.push(tokio::spawn(async move {
            let mut ps = vec![uri("appt-id", &proposal)];
            if op == "$book" {
                ps.push(uri("patient-id", "Patient/pat-1"));
            }
            env.post("derm", &format!("Appointment/{op}"), &params(ps))
                .await
        }));
    }
    let mut won = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(
            r.status, 200,
            "refusals are clean avail-bundles: {}",
            r.body
        );
        let status = r.appointment()["status"].as_str().unwrap().to_owned();
        match status.as_str() {
            "cancelled" => assert!(
                r.body["entry"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["resource"]["resourceType"] == "OperationOutcome"
                        && e["resource"]["issue"][0]["severity"] == "error")
            ),
            s => won.push((
                s.to_owned(),
                r.appointment()["id"].as_str().unwrap().to_owned(),
            )),
        }
    }
    assert_eq!(won.len(), 1, "exactly one {op} succeeds: {won:?}");
    let stored = env.get("derm", "Appointment?status=pending,booked").await;
    assert_eq!(stored.body["total"], 1, "one appointment holds the slots");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_holds_on_one_proposal_one_wins() {
    race("$hold").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_books_on_one_proposal_one_wins() {
    race("$book").await;
}
