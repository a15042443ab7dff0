//! The `App` handle: built once, cloned freely, owning the store, the key, the per-organisation
//! remotes and the injected clock, ids and hooks.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Duration, Utc};
use referral_store::{Clock, Organisation, OrganisationId, ReferralId, Store, SystemClock};
use smart_auth::{FileKeyStore, KeyStore, KeyringStore, Secret, SigningAlg, SigningKey};

use crate::error::{CoreError, CoreResult};
use crate::ids::{IdSource, RandomIds};
use crate::remote::{Connector, Remote};
use crate::sandbox::{SandboxHandle, SandboxLauncher};

/// Name of the app's signing key in the key store.
pub const APP_KEY_NAME: &str = "referral-desk-app";
/// Hold length assumed when an organisation sends no `Expires` header: short on purpose, so the
/// desk re-checks before booking rather than trusting a hold that may be gone.
pub const DEFAULT_HOLD: Duration = Duration::minutes(5);
/// File name of the worklist inside the data directory.
pub const DB_FILE: &str = "worklist.sqlite3";

/// Where the app's private key is kept.
#[derive(Debug, Clone)]
pub enum KeyStorage {
    /// The OS secret store (Secret Service, Keychain, Credential Manager).
    OsKeyring,
    /// An opt-in key file with mode 0600 in this directory (for machines without a secret store).
    File(PathBuf),
    /// A store supplied by the caller (tests: `MemoryKeyStore`).
    Custom(Arc<dyn KeyStore>),
}

impl KeyStorage {
    fn open(&self) -> CoreResult<Arc<dyn KeyStore>> {
        Ok(match self {
            // Without a secret service the error is reported when a key is needed: at once for
            // the worklist (its key lives there too), later for the signing key.
            Self::OsKeyring => match KeyringStore::open(smart_auth::DEFAULT_KEYRING_SERVICE) {
                Ok(store) => Arc::new(store),
                Err(e) => Arc::new(UnavailableKeyStore {
                    reason: e.to_string(),
                }),
            },
            Self::File(dir) => Arc::new(FileKeyStore::new(dir.clone())),
            Self::Custom(store) => store.clone(),
        })
    }
}

/// The OS keyring when it could not be opened: every use fails with the reason.
#[derive(Debug)]
struct UnavailableKeyStore {
    reason: String,
}

impl UnavailableKeyStore {
    fn error(&self) -> smart_auth::AuthError {
        smart_auth::AuthError::SecretStoreUnavailable {
            reason: self.reason.clone(),
        }
    }
}

impl KeyStore for UnavailableKeyStore {
    fn load(&self, _name: &str) -> Result<SigningKey, smart_auth::AuthError> {
        Err(self.error())
    }
    fn save(&self, _name: &str, _key: &SigningKey) -> Result<(), smart_auth::AuthError> {
        Err(self.error())
    }
    fn delete(&self, _name: &str) -> Result<(), smart_auth::AuthError> {
        Err(self.error())
    }
    fn load_secret(&self, _name: &str) -> Result<Secret, smart_auth::AuthError> {
        Err(self.error())
    }
    fn save_secret(&self, _name: &str, _secret: &Secret) -> Result<(), smart_auth::AuthError> {
        Err(self.error())
    }
}

/// A step of a non-idempotent call, reported to the crash hook (tests kill the process there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrashPoint {
    /// The intent was committed; the call was not sent yet.
    Journaled,
    /// The call answered; its outcome was not recorded yet.
    Sent,
}

/// Called at each [`CrashPoint`] with the journal operation's name (`hold`, `book`, ...).
pub type CrashHook = Arc<dyn Fn(&str, CrashPoint) + Send + Sync>;

/// Builds an [`App`].
pub struct AppBuilder {
    store: Option<Store>,
    /// The worklist file and clock of [`AppBuilder::open`]: opened once the key storage (which
    /// holds the worklist's key) is known.
    worklist: Option<(PathBuf, Arc<dyn Clock>)>,
    keys: Option<Arc<dyn KeyStore>>,
    connector: Option<Arc<dyn Connector>>,
    ids: Arc<dyn IdSource>,
    crash_hook: Option<CrashHook>,
    sandbox: Option<Arc<dyn SandboxLauncher>>,
    default_hold: Duration,
    user: String,
    key_alg: SigningAlg,
}

impl std::fmt::Debug for AppBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppBuilder").finish_non_exhaustive()
    }
}

impl AppBuilder {
    /// A builder over an open store (whose clock the app uses).
    pub fn new(store: Store) -> Self {
        Self {
            store: Some(store),
            ..Self::empty()
        }
    }

    fn empty() -> Self {
        Self {
            store: None,
            worklist: None,
            keys: None,
            connector: None,
            ids: Arc::new(RandomIds),
            crash_hook: None,
            sandbox: None,
            default_hold: DEFAULT_HOLD,
            user: "referral-desk".to_owned(),
            key_alg: SigningAlg::Es384,
        }
    }

    /// The encrypted worklist `data_dir/worklist.sqlite3` with `clock`, opened (created, or
    /// encrypted in place when an older version left it in plaintext) by
    /// [`AppBuilder::key_storage`], which knows where its key is.
    pub fn open(data_dir: &Path, clock: Option<Arc<dyn Clock>>) -> CoreResult<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            CoreError::invalid("data directory", format!("{}: {e}", data_dir.display()))
        })?;
        let clock = clock.unwrap_or_else(|| Arc::new(SystemClock));
        Ok(Self {
            worklist: Some((data_dir.join(DB_FILE), clock)),
            ..Self::empty()
        })
    }

    /// Where the keys live (the app's signing key and the worklist's database key).
    pub fn key_storage(mut self, storage: &KeyStorage) -> CoreResult<Self> {
        let keys = storage.open()?;
        if let Some((path, clock)) = self.worklist.take() {
            self.store = Some(crate::worklist_key::open_worklist(&path, clock, &*keys)?);
        }
        self.keys = Some(keys);
        Ok(self)
    }

    /// How organisation rows become remotes.
    pub fn connector(mut self, connector: Arc<dyn Connector>) -> Self {
        self.connector = Some(connector);
        self
    }

    /// Id source (search ids).
    pub fn ids(mut self, ids: Arc<dyn IdSource>) -> Self {
        self.ids = ids;
        self
    }

    /// Hook called around non-idempotent calls (crash tests).
    pub fn crash_hook(mut self, hook: CrashHook) -> Self {
        self.crash_hook = Some(hook);
        self
    }

    /// Starts sandbox organisations on request ([`App::use_sandbox`]).
    pub fn sandbox_launcher(mut self, launcher: Arc<dyn SandboxLauncher>) -> Self {
        self.sandbox = Some(launcher);
        self
    }

    /// Hold length assumed without an `Expires` header.
    pub fn default_hold(mut self, hold: Duration) -> Self {
        self.default_hold = hold;
        self
    }

    /// Who creates referrals (stored as `created_by`).
    pub fn user(mut self, user: &str) -> Self {
        self.user = user.to_owned();
        self
    }

    /// Algorithm of a newly generated app key.
    pub fn key_algorithm(mut self, alg: SigningAlg) -> Self {
        self.key_alg = alg;
        self
    }

    /// The handle. Fails when no key storage or connector was given.
    pub fn build(self) -> CoreResult<App> {
        let keys = self
            .keys
            .ok_or_else(|| CoreError::invalid("key storage", "none was configured"))?;
        let store = self
            .store
            .ok_or_else(|| CoreError::invalid("key storage", "none was configured"))?;
        let connector = match self.connector {
            Some(c) => c,
            None => {
                // The token cache reads the app's clock (the store's), so moving an injected
                // clock moves token expiry too, as it moves hold expiry and every stamp.
                let auth = smart_auth::AuthClient::builder()
                    .clock(Arc::clone(store.clock()))
                    .build()
                    .map_err(CoreError::Key)?;
                Arc::new(crate::remote::sched::SchedConnector::new(auth))
            }
        };
        Ok(App {
            inner: Arc::new(Inner {
                store,
                keys,
                connector,
                ids: self.ids,
                crash_hook: self.crash_hook,
                sandbox: self.sandbox,
                default_hold: self.default_hold,
                user: self.user,
                key_alg: self.key_alg,
                remotes: Mutex::new(HashMap::new()),
                session_holds: Mutex::new(HashSet::new()),
                running_sandbox: tokio::sync::Mutex::new(None),
                home: Mutex::new(None),
            }),
        })
    }
}

/// The application handle. Cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct App {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("store", &self.inner.store)
            .finish_non_exhaustive()
    }
}

type RemoteSlot = (DateTime<Utc>, Arc<dyn Remote>);

pub(crate) struct Inner {
    pub(crate) store: Store,
    keys: Arc<dyn KeyStore>,
    connector: Arc<dyn Connector>,
    pub(crate) ids: Arc<dyn IdSource>,
    crash_hook: Option<CrashHook>,
    pub(crate) sandbox: Option<Arc<dyn SandboxLauncher>>,
    pub(crate) default_hold: Duration,
    pub(crate) user: String,
    key_alg: SigningAlg,
    remotes: Mutex<HashMap<OrganisationId, RemoteSlot>>,
    session_holds: Mutex<HashSet<ReferralId>>,
    pub(crate) running_sandbox: tokio::sync::Mutex<Option<Box<dyn SandboxHandle>>>,
    /// The home's queue client, with the row stamp it was built from.
    home: Mutex<Option<crate::home::desk::HomeSlot>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl App {
    /// A builder over `store`.
    pub fn builder(store: Store) -> AppBuilder {
        AppBuilder::new(store)
    }

    /// A handle sharing everything but using `launcher` for [`App::use_sandbox`] (the CLI's
    /// `sandbox serve` options). Remotes and the running sandbox are not shared.
    pub fn with_sandbox_launcher(&self, launcher: Arc<dyn SandboxLauncher>) -> App {
        let i = &self.inner;
        App {
            inner: Arc::new(Inner {
                store: i.store.clone(),
                keys: i.keys.clone(),
                connector: i.connector.clone(),
                ids: i.ids.clone(),
                crash_hook: i.crash_hook.clone(),
                sandbox: Some(launcher),
                default_hold: i.default_hold,
                user: i.user.clone(),
                key_alg: i.key_alg,
                remotes: Mutex::new(HashMap::new()),
                session_holds: Mutex::new(HashSet::new()),
                running_sandbox: tokio::sync::Mutex::new(None),
                home: Mutex::new(None),
            }),
        }
    }

    /// The worklist store (synchronous; prefer [`App::db`] from async code).
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The current time from the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.inner.store.clock().now()
    }

    /// Runs a blocking store call off the async threads.
    pub async fn db<T, F>(&self, f: F) -> CoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> referral_store::Result<T> + Send + 'static,
    {
        let store = self.inner.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| CoreError::Task {
                reason: e.to_string(),
            })?
            .map_err(CoreError::from)
    }

    /// The app's key set (several keys, one active) over the key store.
    pub fn keyset(&self) -> smart_auth::KeySet {
        smart_auth::KeySet::new(self.inner.keys.clone(), APP_KEY_NAME)
    }

    /// The app's active signing key, generated and stored on first use.
    pub fn key(&self) -> CoreResult<SigningKey> {
        self.generate_key(self.inner.key_alg)
    }

    /// The key an organisation signs with: the one recorded for it, else the key its row names
    /// (the app key from before key sets, or the active key when there is none).
    pub(crate) fn key_for(
        &self,
        org: &Organisation,
        recorded: Option<&referral_store::OrganisationKey>,
    ) -> CoreResult<SigningKey> {
        if let Some(rec) = recorded {
            return self.keyset().key(&rec.kid).map_err(CoreError::Key);
        }
        match self.inner.keys.load(&org.key_ref) {
            Err(e) if e.is_key_not_found() && org.key_ref == APP_KEY_NAME => self.key(),
            other => other.map_err(CoreError::Key),
        }
    }

    /// The active app key, generated with `alg` when there is none yet.
    pub fn generate_key(&self, alg: SigningAlg) -> CoreResult<SigningKey> {
        self.keyset()
            .active_or_generate(alg, self.now())
            .map_err(CoreError::Key)
    }

    /// The app's active key if it exists (never generates).
    pub fn existing_key(&self) -> CoreResult<Option<SigningKey>> {
        self.keyset().active().map_err(CoreError::Key)
    }

    /// The organisation row and its remote (cached until the row changes).
    pub async fn remote(&self, id: &OrganisationId) -> CoreResult<(Organisation, Arc<dyn Remote>)> {
        let org_id = id.clone();
        let (org, recorded) = self
            .db(move |s| Ok((s.organisation(&org_id)?, s.organisation_key(&org_id)?)))
            .await?;
        if let Some((stamp, remote)) = lock(&self.inner.remotes).get(id)
            && *stamp == org.updated_at
        {
            return Ok((org, remote.clone()));
        }
        let key = Arc::new(self.key_for(&org, recorded.as_ref())?);
        let remote = self
            .inner
            .connector
            .connect(&org, key)
            .map_err(|e| CoreError::remote(&org.display_name, e))?;
        lock(&self.inner.remotes).insert(id.clone(), (org.updated_at, remote.clone()));
        Ok((org, remote))
    }

    pub(crate) fn connector(&self) -> &Arc<dyn Connector> {
        &self.inner.connector
    }

    pub(crate) fn cached_home_client(&self) -> Option<crate::home::desk::HomeSlot> {
        lock(&self.inner.home).clone()
    }

    pub(crate) fn cache_home_client(&self, slot: crate::home::desk::HomeSlot) {
        *lock(&self.inner.home) = Some(slot);
    }

    pub(crate) fn forget_home_client(&self) {
        *lock(&self.inner.home) = None;
    }

    pub(crate) fn forget_remote(&self, id: &OrganisationId) {
        lock(&self.inner.remotes).remove(id);
    }

    pub(crate) fn crash_point(&self, operation: &str, point: CrashPoint) {
        if let Some(hook) = &self.inner.crash_hook {
            hook(operation, point);
        }
    }

    pub(crate) fn note_session_hold(&self, id: ReferralId, held: bool) {
        let mut holds = lock(&self.inner.session_holds);
        if held {
            holds.insert(id);
        } else {
            holds.remove(&id);
        }
    }

    pub(crate) fn session_holds(&self) -> Vec<ReferralId> {
        lock(&self.inner.session_holds).iter().copied().collect()
    }
}
