//! With a database file, bookings survive a restart.

use crate::support::{DERM, Env, derm_only, params, string, uri};

#[tokio::test]
async fn bookings_survive_a_restart_with_a_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = derm_only();
    config.db = Some(dir.path().join("sandbox.db"));
    let (id, slot) = {
        let mut env = Env::start(config.clone()).await;
        env.login().await;
        let p = env
            .find("derm", vec![string("specialty", DERM)], 1)
            .await
            .appointment()
            .clone();
        let booked = env
            .post(
                "derm",
                "Appointment/$book",
                &params(vec![
                    uri("appt-id", p["id"].as_str().unwrap()),
                    uri("patient-id", "Patient/pat-4"),
                ]),
            )
            .await;
        let slot = p["slot"][0]["reference"].as_str().unwrap().to_owned();
        env.sandbox.shutdown().await;
        (
            booked.appointment()["id"].as_str().unwrap().to_owned(),
            slot,
        )
    };
    let mut env = Env::start(config).await;
    env.login().await;
    let read = env.get("derm", &format!("Appointment/{id}")).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["status"], "booked");
    assert_eq!(
        env.get("derm", &slot).await.body["status"],
        "busy",
        "the slot stays taken"
    );
    let p = env
        .find("derm", vec![string("specialty", DERM)], 1)
        .await
        .appointment()
        .clone();
    let next = env
        .post(
            "derm",
            "Appointment/$book",
            &params(vec![
                uri("appt-id", p["id"].as_str().unwrap()),
                uri("patient-id", "Patient/pat-4"),
            ]),
        )
        .await;
    assert_ne!(
        next.appointment()["id"].as_str().unwrap(),
        id,
        "ids keep counting after a restart"
    );
}
