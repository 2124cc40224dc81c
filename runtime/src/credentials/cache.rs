//! Reusing credentials until shortly before they expire.

use super::{
    Credentials, CredentialsError, ProvideCredentials, ProvideCredentialsFuture,
    SharedCredentialsProvider,
};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// Credentials are refreshed this long before they expire, so that a
/// request signed with them does not arrive after they expire, even after
/// an operation timeout's worth of retries (60 s by default) and a few
/// minutes of clock difference between this host and the issuer.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);

/// How long credentials without an expiry (static keys) are reused before
/// they are read again, so that a changed profile file is picked up. The
/// same default as the AWS SDKs.
pub const DEFAULT_STATIC_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Caches another provider's credentials.
///
/// Credentials with an expiry are reused until [`DEFAULT_REFRESH_BUFFER`]
/// (5 minutes) before it, credentials without one for
/// [`DEFAULT_STATIC_LIFETIME`] (15 minutes). When many calls need a
/// refresh at once, one of them loads and the others wait for its result.
/// Errors are not cached; if a refresh fails while the cached credentials
/// have not yet actually expired, those are returned.
#[derive(Debug, Clone)]
pub struct CachedCredentials {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    provider: SharedCredentialsProvider,
    refresh_buffer: Duration,
    static_lifetime: Duration,
    cached: Mutex<Option<Entry>>,
    /// Held by the one call that is loading.
    loading: tokio::sync::Mutex<()>,
}

#[derive(Debug, Clone)]
struct Entry {
    credentials: Credentials,
    /// When to load again.
    refresh_at: SystemTime,
    /// After this the credentials are not returned even as a fallback.
    expires_at: Option<SystemTime>,
}

impl CachedCredentials {
    /// Caches `provider`'s credentials with the default durations.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::build(
            SharedCredentialsProvider::new(provider),
            DEFAULT_REFRESH_BUFFER,
            DEFAULT_STATIC_LIFETIME,
        )
    }

    /// The same cache (emptied), refreshing `buffer` before expiry instead
    /// of [`DEFAULT_REFRESH_BUFFER`].
    pub fn with_refresh_buffer(self, buffer: Duration) -> Self {
        Self::build(
            self.inner.provider.clone(),
            buffer,
            self.inner.static_lifetime,
        )
    }

    /// The same cache (emptied), reusing credentials without an expiry for
    /// `lifetime` instead of [`DEFAULT_STATIC_LIFETIME`].
    pub fn with_static_lifetime(self, lifetime: Duration) -> Self {
        Self::build(
            self.inner.provider.clone(),
            self.inner.refresh_buffer,
            lifetime,
        )
    }

    fn build(
        provider: SharedCredentialsProvider,
        refresh_buffer: Duration,
        static_lifetime: Duration,
    ) -> Self {
        CachedCredentials {
            inner: Arc::new(Inner {
                provider,
                refresh_buffer,
                static_lifetime,
                cached: Mutex::new(None),
                loading: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// Forgets the cached credentials, so the next call loads.
    pub fn invalidate(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Entry>> {
        // The guarded value is replaced whole, so a panic elsewhere cannot
        // leave it half-written.
        self.inner
            .cached
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let cached = self.lock();
        let entry = cached.as_ref()?;
        (now < entry.refresh_at).then(|| entry.credentials.clone())
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        if let Some(credentials) = self.fresh(SystemTime::now()) {
            return Ok(credentials);
        }
        let _loading = self.inner.loading.lock().await;
        // Another call may have refreshed while this one waited.
        if let Some(credentials) = self.fresh(SystemTime::now()) {
            return Ok(credentials);
        }
        match self.inner.provider.provide_credentials().await {
            Ok(credentials) => {
                let now = SystemTime::now();
                let refresh_at = match credentials.expiry() {
                    Some(expiry) => expiry.checked_sub(self.inner.refresh_buffer).unwrap_or(now),
                    None => now.checked_add(self.inner.static_lifetime).unwrap_or(now),
                };
                *self.lock() = Some(Entry {
                    credentials: credentials.clone(),
                    refresh_at,
                    expires_at: credentials.expiry(),
                });
                Ok(credentials)
            }
            Err(error) => {
                let now = SystemTime::now();
                let still_valid = self.lock().as_ref().and_then(|entry| {
                    let valid = entry.expires_at.is_some_and(|expiry| now < expiry);
                    valid.then(|| entry.credentials.clone())
                });
                still_valid.ok_or(error)
            }
        }
    }
}

impl ProvideCredentials for CachedCredentials {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(self.load())
    }
}
