//! `AuthClient`: discovery plus a token cache shared by every organisation the app talks to.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use url::Url;

use crate::discovery::{SmartConfiguration, discover};
use crate::error::AuthError;
use crate::net::http_client;
use crate::token::{AccessToken, Registration, request_token};
use referral_model::{Clock, SystemClock};

/// A cached token is reused until this long before it expires.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// Default timeout of one discovery or token request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The SMART Backend Services client. Cheap to clone; clones share the HTTP client and the
/// token cache, which is keyed by (token endpoint, client_id, sorted scope set, key id).
#[derive(Clone)]
pub struct AuthClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    slots: Mutex<HashMap<CacheKey, Arc<Slot>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    token_endpoint: String,
    client_id: String,
    scopes: String,
    /// A registration moved to another key asks afresh, signed with the new key.
    kid: String,
}

/// One cache entry. The async mutex makes concurrent callers wait for a single in-flight
/// request; `attempts` counts finished requests, so a caller that waited can tell that someone
/// else just fetched (or failed to fetch) a token and share that outcome instead of asking again.
#[derive(Default)]
struct Slot {
    attempts: AtomicU64,
    state: tokio::sync::Mutex<SlotState>,
}

#[derive(Default)]
struct SlotState {
    token: Option<AccessToken>,
    /// The error of the latest attempt, when it failed; shared only with callers that were
    /// already waiting for that attempt.
    failure: Option<AuthError>,
}

impl fmt::Debug for AuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthClient")
            .field("clock", &self.inner.clock)
            .finish_non_exhaustive()
    }
}

/// Builds an [`AuthClient`] with a custom clock or timeout.
#[derive(Debug)]
pub struct AuthClientBuilder {
    clock: Arc<dyn Clock>,
    timeout: Duration,
}

impl AuthClientBuilder {
    /// Where "now" comes from (a [`crate::ManualClock`] in tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Timeout of one HTTP request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn build(self) -> Result<AuthClient, AuthError> {
        let inner = Inner {
            http: http_client(self.timeout)?,
            clock: self.clock,
            slots: Mutex::new(HashMap::new()),
        };
        Ok(AuthClient {
            inner: Arc::new(inner),
        })
    }
}

impl AuthClient {
    /// A client with the system clock and the default timeout.
    pub fn new() -> Result<Self, AuthError> {
        Self::builder().build()
    }

    pub fn builder() -> AuthClientBuilder {
        AuthClientBuilder {
            clock: Arc::new(SystemClock),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The clock this client reads.
    pub fn now(&self) -> SystemTime {
        SystemTime::from(self.inner.clock.now())
    }

    /// Finds the organisation's token endpoint from its FHIR base URL.
    pub async fn discover(&self, fhir_base: &Url) -> Result<SmartConfiguration, AuthError> {
        discover(&self.inner.http, fhir_base).await
    }

    /// Requests a new token, bypassing (and not filling) the cache.
    pub async fn request_token(&self, reg: &Registration) -> Result<AccessToken, AuthError> {
        request_token(&self.inner.http, reg, self.now()).await
    }

    /// A token for this registration: the cached one while it has more than 30 s left, else a
    /// new one. Concurrent callers share one request. `force_refresh` (after a 401 from the
    /// FHIR server) replaces the cached token, unless another caller already replaced it while
    /// this one waited, so a burst of 401s causes one new request, not one per caller. Likewise
    /// callers waiting on a request that fails all receive its error; the next call tries again.
    pub async fn token(
        &self,
        reg: &Registration,
        force_refresh: bool,
    ) -> Result<AccessToken, AuthError> {
        let slot = self.slot(reg);
        let seen = slot.attempts.load(Ordering::Acquire);
        let mut state = slot.state.lock().await;
        let now = self.now();
        let waited_for_another = slot.attempts.load(Ordering::Acquire) != seen;
        if waited_for_another && let Some(failure) = &state.failure {
            return Err(failure.clone());
        }
        if let Some(token) = state.token.as_ref().filter(|t| is_fresh(t, now))
            && (!force_refresh || waited_for_another)
        {
            return Ok(token.clone());
        }
        let result = request_token(&self.inner.http, reg, now).await;
        slot.attempts.fetch_add(1, Ordering::AcqRel);
        match &result {
            Ok(token) => {
                state.token = Some(token.clone());
                state.failure = None;
            }
            Err(e) => state.failure = Some(e.clone()),
        }
        result
    }

    /// Drops the cached token of this registration, so the next [`Self::token`] call requests
    /// a new one.
    pub fn invalidate(&self, reg: &Registration) {
        self.lock_slots().remove(&CacheKey::of(reg));
    }

    fn slot(&self, reg: &Registration) -> Arc<Slot> {
        Arc::clone(self.lock_slots().entry(CacheKey::of(reg)).or_default())
    }

    fn lock_slots(&self) -> std::sync::MutexGuard<'_, HashMap<CacheKey, Arc<Slot>>> {
        // The map is only ever left consistent, so a poisoned lock is still usable.
        self.inner
            .slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl CacheKey {
    fn of(reg: &Registration) -> Self {
        Self {
            token_endpoint: reg.token_endpoint().as_str().to_owned(),
            client_id: reg.client_id().to_owned(),
            scopes: reg.scope_param(),
            kid: reg.key().kid().to_owned(),
        }
    }
}

/// Usable until `REFRESH_MARGIN` before expiry; tokens living less than twice the margin are
/// reused for half their life instead, so they are still reused at all.
fn is_fresh(token: &AccessToken, now: SystemTime) -> bool {
    let margin = REFRESH_MARGIN.min(token.expires_in / 2);
    token
        .expires_at
        .checked_sub(margin)
        .is_some_and(|refresh_at| now < refresh_at)
}
