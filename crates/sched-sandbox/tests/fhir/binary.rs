//! The `sched-sandbox` binary: `--port 0` binds a free port, prints one JSON line with every
//! organisation's URLs, serves them, and exits cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

#[tokio::test]
async fn prints_one_json_line_serves_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sched-sandbox"))
        .args(["--port", "0", "--db"])
        .arg(dir.path().join("s.db"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let urls: Value = serde_json::from_str(&line).unwrap();
    let orgs = urls["sched_sandbox"]["organisations"].as_array().unwrap();
    let names: Vec<&str> = orgs.iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["derm", "primary", "imaging"]);
    for o in orgs {
        let base = o["fhir_base"].as_str().unwrap();
        assert!(
            base.starts_with("http://127.0.0.1:") && base.ends_with("/fhir"),
            "{base}"
        );
        let cs: Value = reqwest::get(format!("{base}/metadata"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(cs["resourceType"], "CapabilityStatement");
        assert!(o["token_url"].as_str().unwrap().ends_with("/auth/token"));
    }
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "clean exit on SIGTERM: {status}");
}
