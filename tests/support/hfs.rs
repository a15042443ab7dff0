//! helios-hfs (`../shared/tools`, an independent R4 server) as a receiving organisation in tests:
//! [`Hfs::start`] points a sandbox organisation's token endpoint at a fresh hfs (JWT access
//! tokens with hfs's base as `aud`, verified by hfs against the organisation's JWKS), starts hfs
//! on a free port, and stops it on drop; [`Hfs::seed`] posts a transaction Bundle with a token
//! the harness obtains itself; [`schedule_bundle`] builds the directory and free slots.
#![allow(clippy::unwrap_used, reason = "test support")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use sched_sandbox::{ClientRegistration, RunningSandbox};
use serde_json::Value;
use smart_auth::{AuthClient, Registration, SigningAlg, SigningKey};
use tempfile::TempDir;
use url::Url;

use crate::peer;

pub use crate::hfs_seed::{SeedPlan, schedule_bundle};

/// The client id a desk uses at hfs (registered with the sandbox organisation).
pub const DESK_CLIENT: &str = "referral-desk-hfs";
/// Scopes a desk needs at hfs for the plain-R4 workflow. hfs enforces SMART v2 letters (a v1
/// `system/*.write` token was refused a transaction `PUT`).
pub const DESK_SCOPES: [&str; 7] = [
    "system/Slot.rus",
    "system/Schedule.rs",
    "system/Appointment.cruds",
    "system/Patient.crus",
    "system/Coverage.crus",
    "system/Practitioner.rs",
    "system/Location.rs",
];

/// The client the harness registers with the sandbox organisation to seed hfs.
pub const HARNESS_CLIENT: &str = "hfs-harness";
/// What the harness may do at hfs: everything, as a system.
pub const HARNESS_SCOPES: [&str; 1] = ["system/*.cruds"];

/// A running helios-hfs whose tokens come from one sandbox organisation. Dropping it kills it.
#[derive(Debug)]
pub struct Hfs {
    /// hfs's FHIR base, `http://127.0.0.1:PORT` (also the `aud` of its tokens).
    pub base: String,
    /// The sandbox organisation's token endpoint (what hfs's discovery document advertises).
    pub token_endpoint: String,
    pub http: reqwest::Client,
    key: Arc<SigningKey>,
    pid: u32,
    dir: TempDir,
}

/// `../shared/tools` (or `$REFDESK_SHARED/tools`) when it holds `start-hfs.sh`.
pub fn tools_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("REFDESK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    let tools = shared.join("tools");
    tools.join("start-hfs.sh").is_file().then_some(tools)
}

/// A free TCP port on 127.0.0.1 (bound, read, released).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

impl Hfs {
    /// Starts hfs for sandbox organisation `org`: the organisation issues JWTs for hfs's base
    /// from now on and the harness client is registered with it. `None` (with a notice) when
    /// `../shared/tools` is absent; a panic then when `CI` is set.
    pub async fn start(sandbox: &RunningSandbox, org: &str) -> Option<Self> {
        let tools = peer::or_skip(
            tools_dir(),
            "helios-hfs (../shared/tools/start-hfs.sh)",
            "clone the shared folder next to the repository as ../shared, or set REFDESK_SHARED",
        )?;
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        sandbox
            .set_resource_server(org, Some(base.clone()))
            .unwrap();
        let key = Arc::new(SigningKey::generate(SigningAlg::Es384).unwrap());
        sandbox
            .register_client(
                org,
                ClientRegistration {
                    client_id: HARNESS_CLIENT.to_owned(),
                    jwks: Some(serde_json::to_value(key.jwks()).unwrap()),
                    jwks_url: None,
                    scopes: HARNESS_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
                },
            )
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        reuse_unpacked(dir.path());
        let token_endpoint = sandbox.token_url(org).unwrap();
        let args = [
            dir.path().to_str().unwrap().to_owned(),
            port.to_string(),
            sandbox.jwks_url(org).unwrap(),
            sandbox.issuer(org).unwrap(),
            token_endpoint.clone(),
        ];
        let script = tools.join("start-hfs.sh");
        // Blocking: the script waits for /metadata while hfs fetches the sandbox's JWKS, which
        // this runtime must keep serving.
        let output = tokio::task::spawn_blocking(move || Command::new(script).args(args).output())
            .await
            .unwrap()
            .unwrap();
        assert!(
            output.status.success(),
            "start-hfs.sh failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pid = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap();
        keep_unpacked(dir.path());
        Some(Self {
            base,
            token_endpoint,
            http: reqwest::Client::new(),
            key,
            pid,
            dir,
        })
    }

    /// A fresh access token for the harness client with `scopes` (from the sandbox).
    pub async fn token(&self, scopes: &[&str]) -> String {
        let reg = Registration::new(
            Url::parse(&self.token_endpoint).unwrap(),
            HARNESS_CLIENT,
            scopes.iter().copied(),
            Arc::clone(&self.key),
        )
        .unwrap();
        let client = AuthClient::new().unwrap();
        client
            .request_token(&reg)
            .await
            .unwrap()
            .secret()
            .to_owned()
    }

    /// Posts a transaction (or batch) Bundle to hfs's base; answers the response Bundle.
    pub async fn seed(&self, bundle: &Value) -> Value {
        let token = self.token(&HARNESS_SCOPES).await;
        let response = self
            .http
            .post(&self.base)
            .bearer_auth(token)
            .header("Content-Type", "application/fhir+json")
            .json(bundle)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert!(
            status.is_success(),
            "hfs refused the seed ({status}): {body}"
        );
        body
    }

    /// Adds hfs to `app`'s directory as organisation `id`: the app key is registered with the
    /// sandbox organisation (client [`DESK_CLIENT`], [`DESK_SCOPES`]) and the desk finds the
    /// token endpoint through hfs's discovery document, as it would at a real organisation.
    pub async fn add_to_desk(
        &self,
        sandbox: &RunningSandbox,
        org: &str,
        app: &referral_core::App,
        id: &str,
    ) -> referral_store::Organisation {
        let jwks = serde_json::to_value(app.key().unwrap().jwks()).unwrap();
        let registration = ClientRegistration {
            client_id: DESK_CLIENT.to_owned(),
            jwks: Some(jwks),
            jwks_url: None,
            scopes: DESK_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        };
        sandbox.register_client(org, registration).unwrap();
        app.add_organisation(referral_core::OrganisationInput {
            id: id.to_owned(),
            display_name: format!("{org} at helios-hfs"),
            fhir_base_url: self.base.clone(),
            client_id: DESK_CLIENT.to_owned(),
            scopes: DESK_SCOPES.join(" "),
            enabled: true,
        })
        .await
        .unwrap()
    }

    /// hfs's log so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("hfs.log")).unwrap_or_default()
    }
}

/// Where one unpacked, checksum-verified hfs binary is kept between tests (unpacking takes
/// seconds and 110 MB per test otherwise).
fn unpacked_cache() -> PathBuf {
    std::env::temp_dir().join("refdesk-hfs-0.2.7").join("hfs")
}

/// Links the cached binary into a fresh work dir, so start-hfs.sh skips unpacking.
fn reuse_unpacked(work: &Path) {
    let cached = unpacked_cache();
    if cached.is_file() {
        let _ = std::fs::hard_link(&cached, work.join("hfs"));
    }
}

/// Keeps the binary start-hfs.sh unpacked and verified (a hard link, renamed into place so a
/// concurrent test never sees half a file).
fn keep_unpacked(work: &Path) {
    let cached = unpacked_cache();
    if cached.is_file() {
        return;
    }
    let Some(parent) = cached.parent() else {
        return;
    };
    let staging = parent.join(format!("hfs.{}", std::process::id()));
    let linked = std::fs::create_dir_all(parent).is_ok()
        && std::fs::hard_link(work.join("hfs"), &staging).is_ok();
    if linked && std::fs::rename(&staging, &cached).is_err() {
        let _ = std::fs::remove_file(&staging);
    }
}

impl Drop for Hfs {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.pid.to_string()).status();
    }
}
