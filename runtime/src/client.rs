//! The client that sends generated operations.
//!
//! A call goes through these stages, each a function below so that retries
//! wrap [`Client::try_attempt`] without touching the rest: resolve the
//! endpoint, serialize, then per attempt: add the SDK headers
//! (`headers.rs`), load credentials, sign, transmit and read the body
//! (bounded by the attempt timeout, the body also by its size limit) and
//! deserialize; the whole call is bounded by the operation timeout. What
//! the client is configured with lives in `config.rs`.
//!
//! Only [`Client::call_ref`] and [`TypedExchange`] are generic over the
//! operation; the stages run in a core compiled once ([`Client::run`]),
//! which reaches the operation's types through the [`Exchange`] trait
//! object. A program calling many operations thus carries one copy of the
//! retry loop, signing and transmission, not one per operation.

use crate::byte_stream::Collected;
use crate::checksum;
use crate::endpoint::{self, EndpointParams};
use crate::event_stream::{EventStreamBody, InputEvents};
use crate::headers::{add_headers, invocation_id};
use crate::http_client::UnavailableHttpClient;
use crate::retry::{self, RetryQuota, SharedAsyncSleep};
use crate::sigv4::event_stream::EventSigner;
use crate::sigv4::{self, SigningParams, SigningSettings};
use crate::HttpClientStreamingFuture;
use crate::{
    compress_request, BuildError, ByteStream, Config, ConfigBuilder, CredentialsError, Endpoint,
    EndpointError, Error, HttpClient, Operation, OperationInput, ProvideCredentials, ResponseError,
    SharedHttpClient, TimeoutError, TransportError, MAX_ERROR_RESPONSE_BODY,
};
use bytes::Bytes;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Sends generated operations: one client serves every operation of every
/// service. Cheap to clone; clones share the HTTP connection pool and the
/// retry quota.
///
/// A call makes up to 3 attempts (see [`RetryConfig`](crate::RetryConfig)) within the
/// operation timeout (60 s by default), so that it never hangs forever, and
/// reads at most 64 MiB of a successful response body and 1 MiB of an
/// error body, so that it never fills memory; see
/// [`ConfigBuilder`] for the timeouts and [`Client::with_config_override`]
/// to change them for some calls.
///
/// ```no_run
/// # async fn run<I: opgen::OperationInput>(input: I) {
/// let client = opgen::Client::new(
///     opgen::Config::builder()
///         .region("us-east-1")
///         .credentials_provider(opgen::Credentials::new("AKID", "SECRET", None))
///         .build(),
/// );
/// let result = client.send(input).await;
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

#[derive(Debug)]
struct ClientInner {
    config: Config,
    http_client: SharedHttpClient,
    /// Shared with the clients made by `with_config_override`: the quota
    /// protects the service from this client as a whole.
    quota: Arc<RetryQuota>,
    /// `None` when there is no timer to wait with: then no retries.
    sleep: Option<SharedAsyncSleep>,
    /// Endpoints of operations whose input feeds no endpoint parameter.
    endpoints: EndpointCache,
}

/// Endpoints of operations whose input feeds no endpoint parameter
/// (`!Operation::ENDPOINT_PARAMS_FROM_INPUT`), by operation: with one
/// config, such an operation always resolves to the same endpoint. Bounded
/// by the number of operation types in the program. Not generic, so that
/// each operation's code only calls it.
#[derive(Debug, Default)]
struct EndpointCache(std::sync::Mutex<Vec<(std::any::TypeId, Arc<Endpoint>)>>);

impl EndpointCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, Vec<(std::any::TypeId, Arc<Endpoint>)>> {
        // A panic elsewhere while holding the lock leaves a valid list.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    #[inline(never)]
    fn get(&self, key: std::any::TypeId) -> Option<Arc<Endpoint>> {
        self.entries()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, endpoint)| endpoint.clone())
    }

    #[inline(never)]
    fn insert(&self, key: std::any::TypeId, endpoint: Arc<Endpoint>) -> Arc<Endpoint> {
        let mut entries = self.entries();
        if !entries.iter().any(|(k, _)| *k == key) {
            entries.push((key, endpoint.clone()));
        }
        endpoint
    }
}

/// A resolved endpoint, checked for an auth scheme this client signs with.
#[inline(never)]
fn checked_endpoint(
    endpoint: Result<Endpoint, EndpointError>,
) -> Result<Arc<Endpoint>, EndpointError> {
    let endpoint = endpoint?;
    check_auth_schemes(&endpoint)?;
    Ok(Arc::new(endpoint))
}

/// What one attempt needs to know about the call it belongs to.
pub(crate) struct AttemptContext<'a> {
    pub(crate) region: &'a str,
    pub(crate) invocation_id: &'a str,
    pub(crate) attempt: u32,
    pub(crate) max_attempts: u32,
}

impl Client {
    /// A client with `config`. Never fails: if the default HTTP client
    /// cannot be built, each call fails with [`Error::Transport`] saying why.
    pub fn new(config: Config) -> Client {
        let http_client = match &config.http_client {
            Some(client) => client.clone(),
            None => default_http_client(config.connect_timeout),
        };
        let quota = Arc::new(RetryQuota::new(config.retry_config.quota_tokens()));
        let sleep = config.sleep.clone().or_else(retry::default_sleep);
        Client {
            inner: Arc::new(ClientInner {
                config,
                http_client,
                quota,
                sleep,
                endpoints: EndpointCache::default(),
            }),
        }
    }

    /// A client for some calls with settings changed by `change`, e.g. a
    /// shorter timeout or no retries for one call:
    ///
    /// ```no_run
    /// # async fn run<I: opgen::OperationInput>(client: opgen::Client, input: I) {
    /// use std::time::Duration;
    /// let result = client
    ///     .with_config_override(|c| {
    ///         c.operation_timeout(Duration::from_secs(5))
    ///             .retry_config(opgen::RetryConfig::disabled())
    ///     })
    ///     .send(input)
    ///     .await;
    /// # }
    /// ```
    ///
    /// The new client shares this one's HTTP connection pool (unless
    /// `change` sets another HTTP client, or changes the connect timeout of
    /// the default one, which builds a new pool) and its retry quota
    /// (whose size it cannot change). Cheap enough to make per call.
    pub fn with_config_override(
        &self,
        change: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
    ) -> Client {
        let current = &self.inner.config;
        let mut builder = current.to_builder();
        // Cleared so that an HTTP client set by `change` can be told apart.
        builder.config.http_client = None;
        let mut config = change(builder).build();
        let http_client = match &config.http_client {
            Some(client) => client.clone(),
            None if current.http_client.is_none()
                && config.connect_timeout != current.connect_timeout =>
            {
                default_http_client(config.connect_timeout)
            }
            None => {
                config.http_client = current.http_client.clone();
                self.inner.http_client.clone()
            }
        };
        let sleep = config.sleep.clone().or_else(retry::default_sleep);
        Client {
            inner: Arc::new(ClientInner {
                config,
                http_client,
                quota: self.inner.quota.clone(),
                sleep,
                // Another config may resolve elsewhere.
                endpoints: EndpointCache::default(),
            }),
        }
    }

    /// A client configured from the environment; see [`Config::from_env`].
    pub fn from_env() -> Client {
        Client::new(Config::from_env())
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Sends `input` to its operation and returns the operation's output,
    /// or an [`Error`] naming the stage that failed.
    ///
    /// Requests are signed with SigV4. When the resolved endpoint's
    /// `authSchemes` offer other schemes only (e.g. `sigv4a` for S3
    /// multi-region access points), the call fails with
    /// [`Error::Endpoint`] naming them, before anything is sent.
    ///
    /// Runs inside a Tokio runtime (`#[tokio::main]`, `Runtime::block_on`)
    /// when the call uses the default HTTP client, a timeout or the default
    /// backoff sleep (the default configuration uses all three); elsewhere
    /// it fails with a non-transient [`Error::Transport`] saying so,
    /// instead of panicking. On another executor, set
    /// [`http_client`](ConfigBuilder::http_client) and
    /// [`sleep_impl`](ConfigBuilder::sleep_impl) and turn the timeouts off
    /// with [`operation_timeout(Duration::MAX)`](ConfigBuilder::operation_timeout).
    pub async fn send<I>(
        &self,
        input: I,
    ) -> Result<<I::Operation as Operation>::Output, Error<<I::Operation as Operation>::Error>>
    where
        I: OperationInput,
    {
        self.call_ref::<I::Operation>(&input).await
    }

    /// Sends `input` to the operation `O`, named explicitly:
    /// `client.call::<GetThing>(input)`.
    pub async fn call<O: Operation>(&self, input: O::Input) -> Result<O::Output, Error<O::Error>> {
        self.call_ref::<O>(&input).await
    }

    /// [`call`](Self::call) with a borrowed input, which a
    /// [`Paginator`](crate::Paginator) keeps between pages.
    ///
    /// Only this shell is generic: the call itself runs in
    /// [`run`](Self::run), compiled once for every operation, which reaches
    /// the operation's types through [`Exchange`].
    pub(crate) async fn call_ref<O: Operation>(
        &self,
        input: &O::Input,
    ) -> Result<O::Output, Error<O::Error>> {
        let mut exchange = TypedExchange::<O> {
            client: self,
            input,
            outcome: None,
        };
        self.run(&mut exchange)
            .await
            .map_err(|error| error.map_service_error(|never| match never {}))?;
        exchange.outcome.unwrap_or_else(|| {
            // `run` returns `Ok` only after `receive` kept an outcome.
            Err(Error::Transport(
                TransportError::new("the call ended without an attempt", None)
                    .with_transient(false),
            ))
        })
    }

    /// A presigned request for `input`: method, URL and headers that make
    /// the call from any HTTP client, without credentials, until
    /// `presigning`'s expiry. Loads the credentials (they are in the URL's
    /// signature, and a session token in the URL itself), resolves the
    /// endpoint as [`send`](Self::send) does; sends nothing. See
    /// [`presign`](crate::presign()) for what changes from a call.
    ///
    /// ```no_run
    /// # async fn run<I>(client: opgen::Client, input: I) -> Result<(), Box<dyn std::error::Error>>
    /// # where I: opgen::OperationInput {
    /// use std::time::Duration;
    /// // `input`: e.g. an S3 `GetObjectRequest` (see the README).
    /// let presigning = opgen::PresigningConfig::expires_in(Duration::from_secs(3600))?;
    /// let request = client.presign(input, presigning).await?;
    /// println!("{} {}", request.method(), request.uri());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn presign<I>(
        &self,
        input: I,
        presigning: crate::PresigningConfig,
    ) -> Result<crate::PresignedRequest, Error<<I::Operation as Operation>::Error>>
    where
        I: OperationInput,
    {
        let config = &self.inner.config;
        let credentials = load_credentials(config).await.map_err(Error::Credentials)?;
        crate::presign::presign::<I::Operation>(&input, config, &credentials, &presigning)
    }

    /// A sleep of `duration` on the client's sleep (tokio's unless
    /// configured), or `None` when it has none; for waiters, which sleep
    /// between calls.
    pub(crate) fn sleep(&self, duration: Duration) -> Option<crate::SleepFuture> {
        self.inner.sleep.as_ref().map(|s| s.sleep(duration))
    }

    /// Fails when the call needs a Tokio runtime and there is none: the
    /// default HTTP client (hyper), tokio's timer behind the timeouts and
    /// the default backoff sleep would otherwise panic ("no reactor
    /// running") at their first poll.
    fn check_runtime(&self) -> Result<(), TransportError> {
        #[cfg(any(feature = "rt-tokio", feature = "rustls"))]
        {
            let config = &self.inner.config;
            let default_http_client = cfg!(feature = "rustls") && config.http_client.is_none();
            let timer = cfg!(feature = "rt-tokio")
                && (timer_limit(config.operation_timeout).is_some()
                    || timer_limit(config.attempt_timeout).is_some());
            let default_sleep = config.sleep.is_none() && self.inner.sleep.is_some();
            if (default_http_client || timer || default_sleep)
                && tokio::runtime::Handle::try_current().is_err()
            {
                return Err(TransportError::new(
                    "opgen::Client needs a Tokio runtime: call it inside #[tokio::main] or a Runtime::block_on",
                    None,
                )
                .with_transient(false));
            }
        }
        Ok(())
    }

    /// The endpoint of a call to `O` with `input`, checked for an auth
    /// scheme this client signs with; resolved once per client when the
    /// input does not feed the rules.
    fn endpoint<O: Operation>(
        &self,
        region: &str,
        input: &O::Input,
    ) -> Result<Arc<Endpoint>, EndpointError> {
        let resolve = || resolve_endpoint::<O>(&self.inner.config, region, input);
        if O::ENDPOINT_PARAMS_FROM_INPUT {
            return checked_endpoint(resolve());
        }
        let key = std::any::TypeId::of::<O>();
        match self.inner.endpoints.get(key) {
            Some(endpoint) => Ok(endpoint),
            None => Ok(self
                .inner
                .endpoints
                .insert(key, checked_endpoint(resolve())?)),
        }
    }

    /// A call, under the operation timeout: [`try_op`](Self::try_op) in
    /// the operation's span. `Ok` means `exchange` holds the outcome, the
    /// output or the error of the last attempt; `Err` is a failure before
    /// any attempt could be parsed (no runtime, no region, no endpoint, a
    /// request that cannot be built, the operation timeout).
    ///
    /// Boxed and never inlined so that its state machine, and those of the
    /// stages it awaits, are compiled once: rustc copies an `async` body
    /// into every codegen unit, in every crate, that awaits it.
    #[inline(never)]
    fn run<'a>(&'a self, exchange: &'a mut dyn Exchange) -> CoreFuture<'a> {
        Box::pin(async move {
            self.check_runtime().map_err(Error::Transport)?;
            let operation = exchange.operation();
            let limit = self.inner.config.operation_timeout;
            let invocation_id = invocation_id();
            let call = with_timeout(
                self.try_op(exchange, &operation, &invocation_id),
                limit,
                "operation",
            );
            #[cfg(feature = "tracing")]
            let call = tracing::Instrument::instrument(
                call,
                tracing::debug_span!(
                    "operation",
                    rpc.service = operation.service.sdk_id,
                    rpc.method = operation.name,
                    rpc.protocol = operation.service.protocol.name(),
                    invocation_id = invocation_id.as_str(),
                ),
            );
            call.await
        })
    }

    /// Everything but the operation timeout: resolve, serialize, then
    /// attempt until success, an error not worth retrying, the last
    /// attempt or an empty retry quota.
    async fn try_op(
        &self,
        exchange: &mut dyn Exchange,
        operation: &OperationFacts,
        invocation_id: &str,
    ) -> Result<(), Error<Infallible>> {
        let config = &self.inner.config;
        let region = configured_region(config).map_err(Error::Endpoint)?;
        let Prepared {
            request,
            endpoint,
            validate,
        } = exchange.prepare(region)?;
        let input_events = request.extensions().get::<InputEvents>().cloned();
        let retry_config = &config.retry_config;
        let max_attempts = match self.inner.sleep {
            Some(_) => retry_config.attempts(),
            None => 1,
        };
        let quota = &self.inner.quota;
        let mut last_retry_cost = None;
        let mut attempt = 1;
        loop {
            let context = AttemptContext {
                region,
                invocation_id,
                attempt,
                max_attempts,
            };
            // Each attempt signs a fresh copy: the signature covers the
            // time and the attempt number.
            let try_attempt = self.try_attempt(
                operation,
                copy_request(&request),
                &endpoint,
                &context,
                validate,
            );
            #[cfg(feature = "tracing")]
            let try_attempt = tracing::Instrument::instrument(
                try_attempt,
                tracing::debug_span!(
                    "attempt",
                    attempt,
                    max_attempts,
                    request_id = tracing::field::Empty,
                ),
            );
            let retryable = match exchange.receive(try_attempt.await) {
                Verdict::Succeeded => {
                    quota.on_success(last_retry_cost);
                    return Ok(());
                }
                Verdict::Failed => return Ok(()),
                Verdict::Retryable(retryable) => retryable,
            };
            // An input event stream cannot be replayed: once an event was
            // taken from it, the call is not retried.
            if input_events.as_ref().is_some_and(InputEvents::started) {
                return Ok(());
            }
            if attempt >= max_attempts {
                return Ok(());
            }
            let kind = retryable.kind;
            let cost = kind.cost();
            if !quota.try_acquire(cost) {
                #[cfg(feature = "tracing")]
                tracing::debug!(
                    attempt,
                    reason = kind.as_str(),
                    available = quota.available(),
                    "not retrying: the retry quota is exhausted"
                );
                return Ok(());
            }
            last_retry_cost = Some(cost);
            let delay = retry_config.backoff(
                attempt,
                crate::random::random_fraction(),
                retryable.retry_after,
            );
            #[cfg(feature = "tracing")]
            tracing::debug!(
                attempt,
                reason = kind.as_str(),
                error = retryable.error,
                ?delay,
                "retrying after a backoff"
            );
            if let Some(sleep) = &self.inner.sleep {
                sleep.sleep(delay).await;
            }
            attempt += 1;
        }
    }

    /// One attempt: headers, credentials, signature, transmit, and the
    /// checksum of a successful body checked against `validate`, the
    /// operation's response algorithms, when set. What was received is
    /// parsed by the caller's [`Exchange`].
    async fn try_attempt(
        &self,
        operation: &OperationFacts,
        mut request: http::Request<Bytes>,
        endpoint: &Endpoint,
        context: &AttemptContext<'_>,
        validate: Option<&'static [&'static str]>,
    ) -> Result<Received, Error<Infallible>> {
        let config = &self.inner.config;
        add_headers(&mut request, endpoint, operation.service, config, context)
            .map_err(Error::Build)?;
        let events = request.extensions().get::<InputEvents>().cloned();
        let signer = if config.anonymous || operation.unsigned {
            None
        } else {
            sign_attempt(
                config,
                &mut request,
                endpoint,
                operation.service,
                context.region,
            )
            .await?
        };

        if let Some(events) = events {
            let body = EventStreamBody::new(events, signer);
            let (head, _) = request.into_parts();
            let request = http::Request::from_parts(head, body);
            let transmit = self.inner.http_client.call_event_stream(request);
            return self
                .try_streaming_attempt(operation, transmit, validate)
                .await;
        }
        if operation.streaming_response {
            let transmit = self.inner.http_client.call_streaming(request);
            return self
                .try_streaming_attempt(operation, transmit, validate)
                .await;
        }
        // Through `call_streaming`, so that the body is read here, up to its
        // limit, rather than whole by the HTTP client.
        let transmit = async {
            let response = self
                .inner
                .http_client
                .call_streaming(request)
                .await
                .map_err(Error::Transport)?;
            read_body(response, config.max_response_body).await
        };
        let response = with_timeout(transmit, config.attempt_timeout, "attempt").await?;
        #[cfg(feature = "tracing")]
        record_request_id(response.headers());
        checked_whole(response, validate)
    }

    /// Awaits `transmit`, the signed request of an operation with a
    /// streaming output or input: the attempt timeout covers the response
    /// head; a successful streaming body is handed over unread, any other
    /// body is read whole.
    async fn try_streaming_attempt(
        &self,
        operation: &OperationFacts,
        transmit: HttpClientStreamingFuture,
        validate: Option<&'static [&'static str]>,
    ) -> Result<Received, Error<Infallible>> {
        let limit = self.inner.config.attempt_timeout;
        let transmit = async { transmit.await.map_err(Error::Transport) };
        let response = with_timeout(transmit, limit, "attempt").await?;
        #[cfg(feature = "tracing")]
        record_request_id(response.headers());
        if operation.streaming_response && response.status().is_success() {
            let checked = validate
                .and_then(|algorithms| checksum::response_checksum(response.headers(), algorithms));
            let response = match checked {
                Some((algorithm, expected)) => {
                    response.map(|body| body.checked(algorithm, expected))
                }
                None => response,
            };
            if operation.event_stream_response {
                let response = self
                    .open_event_stream(response, operation.initial_response)
                    .await;
                return Ok(Received::Streaming(response));
            }
            return Ok(Received::Streaming(response));
        }
        let read = read_body(response, self.inner.config.max_response_body);
        let response = with_timeout(read, limit, "attempt").await?;
        checked_whole(response, validate)
    }

    /// Prepares an event-stream response: its body under the idle
    /// timeout, and, for RPC protocols (`initial_response`), the
    /// `initial-response` event read (in the extensions) before the output
    /// is made.
    async fn open_event_stream(
        &self,
        response: http::Response<ByteStream>,
        initial_response: bool,
    ) -> http::Response<ByteStream> {
        let (mut head, mut body) = response.into_parts();
        let idle = self.inner.config.event_stream_idle_timeout;
        if let (Some(limit), Some(sleep)) = (
            idle.filter(|limit| *limit != Duration::MAX),
            &self.inner.sleep,
        ) {
            body = body.with_idle_timeout(limit, sleep.clone());
        }
        if initial_response {
            let mut decoder = crate::event_stream::MessageDecoder::new();
            let mut read = bytes::BytesMut::new();
            let first = loop {
                match decoder.next_message() {
                    Ok(Some(message)) => break Some(message),
                    // The receiver reports a bad first frame in order.
                    Err(_) => break None,
                    Ok(None) => {}
                }
                match body.next().await {
                    Some(Ok(chunk)) => {
                        read.extend_from_slice(&chunk);
                        decoder.push(&chunk);
                    }
                    // Likewise a read error: the receiver meets it again
                    // on the empty rest.
                    Some(Err(_)) | None => break None,
                }
            };
            match first {
                Some(message) if crate::__private::event_stream::is_initial_response(&message) => {
                    body = body.prepend(decoder.into_buffered());
                    head.extensions
                        .insert(crate::event_stream::InitialResponse(message));
                }
                // Not an initial response: the receiver reads it.
                _ => body = body.prepend(read.freeze()),
            }
        }
        http::Response::from_parts(head, body)
    }
}

/// The future of [`Client::run`].
type CoreFuture<'a> =
    std::pin::Pin<Box<dyn Future<Output = Result<(), Error<Infallible>>> + Send + 'a>>;

/// What the call's core ([`Client::run`]) needs of an operation: its
/// constants, and the steps that need its types. The core is compiled once
/// for all operations; each operation adds only [`TypedExchange`], so that
/// a program pays for the retry loop, signing and transmission once rather
/// than once per operation it calls.
trait Exchange: Send {
    /// The operation's constants.
    fn operation(&self) -> OperationFacts;

    /// Resolves the endpoint and serializes the input into the request
    /// every attempt sends.
    fn prepare(&mut self, region: &str) -> Result<Prepared, Error<Infallible>>;

    /// Parses what an attempt received (or takes its failure), keeps it
    /// as the call's outcome, and says whether the call is over.
    fn receive(&mut self, attempted: Result<Received, Error<Infallible>>) -> Verdict;
}

/// The [`Operation`] constants a call reads.
#[derive(Clone, Copy)]
struct OperationFacts {
    #[cfg(feature = "tracing")]
    name: &'static str,
    service: &'static crate::ServiceMetadata,
    unsigned: bool,
    streaming_response: bool,
    event_stream_response: bool,
    initial_response: bool,
}

/// The request of a call, ready for its attempts.
struct Prepared {
    request: http::Request<Bytes>,
    endpoint: Arc<Endpoint>,
    /// The response checksum algorithms to validate, if any.
    validate: Option<&'static [&'static str]>,
}

/// A response an attempt received, before the operation parses it.
enum Received {
    /// Read whole (and its checksum checked).
    Whole(http::Response<Bytes>),
    /// A successful response of a streaming output, its body still
    /// arriving.
    Streaming(http::Response<ByteStream>),
}

/// What [`Exchange::receive`] made of an attempt.
enum Verdict {
    Succeeded,
    /// A failure not worth retrying.
    Failed,
    Retryable(Retryable),
}

/// Why and when a failed attempt may be retried.
struct Retryable {
    kind: retry::RetryKind,
    /// The delay the service asked for.
    retry_after: Option<Duration>,
    /// What failed, for the log.
    #[cfg(feature = "tracing")]
    error: String,
}

/// The [`Exchange`] of an operation `O`: its input, and the outcome of the
/// last attempt, typed.
struct TypedExchange<'a, O: Operation> {
    client: &'a Client,
    input: &'a O::Input,
    outcome: Option<Result<O::Output, Error<O::Error>>>,
}

impl<O: Operation> Exchange for TypedExchange<'_, O> {
    fn operation(&self) -> OperationFacts {
        OperationFacts {
            #[cfg(feature = "tracing")]
            name: O::NAME,
            service: O::SERVICE,
            unsigned: O::UNSIGNED,
            streaming_response: O::STREAMING_RESPONSE,
            event_stream_response: O::EVENT_STREAM_RESPONSE,
            initial_response: O::INITIAL_RESPONSE,
        }
    }

    fn prepare(&mut self, region: &str) -> Result<Prepared, Error<Infallible>> {
        let config = &self.client.inner.config;
        let endpoint = self
            .client
            .endpoint::<O>(region, self.input)
            .map_err(Error::Endpoint)?;
        let mut request = O::serialize(self.input, &endpoint)?;
        compress_request::<O>(&mut request, &config.request_compression)?;
        // After compression: the checksum covers the bytes sent.
        checksum::add_checksum_headers::<O>(
            &mut request,
            self.input,
            config.request_checksum_calculation,
            config.response_checksum_validation,
        )?;
        let validate = checksum::validates::<O>(self.input, config.response_checksum_validation)
            .then_some(O::HTTP_CHECKSUM)
            .flatten()
            .map(|spec| spec.response_algorithms);
        Ok(Prepared {
            request,
            endpoint,
            validate,
        })
    }

    fn receive(&mut self, attempted: Result<Received, Error<Infallible>>) -> Verdict {
        let outcome = match attempted {
            Ok(Received::Whole(response)) => O::deserialize(response),
            Ok(Received::Streaming(response)) => O::deserialize_streaming(response),
            Err(error) => Err(error.map_service_error(|never| match never {})),
        };
        let verdict = match &outcome {
            Ok(_) => Verdict::Succeeded,
            Err(error) => match retry::classify(error) {
                None => Verdict::Failed,
                Some(kind) => Verdict::Retryable(Retryable {
                    kind,
                    retry_after: retry::retry_after(error),
                    #[cfg(feature = "tracing")]
                    error: error_kind(error),
                }),
            },
        };
        self.outcome = Some(outcome);
        verdict
    }
}

/// The credentials of the configured provider, for a call or a presigned
/// request.
async fn load_credentials(config: &Config) -> Result<crate::Credentials, CredentialsError> {
    let provider = config.credentials_provider.as_ref().ok_or_else(|| {
        CredentialsError::new(
            "no credentials provider configured; set one with Config::builder().credentials_provider(..)",
        )
    })?;
    provider.provide_credentials().await
}

/// A response read whole, after checking the checksum of a successful body
/// against `validate`'s algorithms.
fn checked_whole(
    response: http::Response<Bytes>,
    validate: Option<&'static [&'static str]>,
) -> Result<Received, Error<Infallible>> {
    if let Some(algorithms) = validate.filter(|_| response.status().is_success()) {
        checksum::validate_response(&response, algorithms)
            .map_err(|mismatch| Error::Response(ResponseError::checksum(mismatch, &response)))?;
    }
    Ok(Received::Whole(response))
}

/// Loads the credentials and signs one attempt's request with SigV4; for
/// a request that sends an input event stream, returns the signer of its
/// messages, seeded with the request's signature.
async fn sign_attempt(
    config: &Config,
    request: &mut http::Request<Bytes>,
    endpoint: &Endpoint,
    service: &crate::ServiceMetadata,
    region: &str,
) -> Result<Option<EventSigner>, Error<Infallible>> {
    let credentials = load_credentials(config).await.map_err(Error::Credentials)?;
    let service = endpoint.signing_name().unwrap_or(service.signing_name);
    let mut settings = SigningSettings::for_service(service);
    if let Some(disable) = endpoint.disable_double_encoding() {
        settings.double_uri_encode = !disable;
    }
    let params = SigningParams {
        credentials: &credentials,
        // The endpoint rules may name another scope (e.g. a global
        // service signing for us-east-1).
        region: endpoint.signing_region().unwrap_or(region),
        service,
        time: SystemTime::now(),
        settings,
    };
    let seed = sigv4::sign_http_request_with(request, &params, false).map_err(|e| {
        Error::Build(BuildError::other(format!(
            "failed to sign the request: {e}"
        )))
    })?;
    let streams_events = request.extensions().get::<InputEvents>().is_some();
    Ok(streams_events.then(|| EventSigner::new(credentials.clone(), params.region, service, seed)))
}

/// Reads the body of a response whose head has arrived. A success body is
/// read up to `max_body` ([`ConfigBuilder::max_response_body`]); a longer
/// one fails with [`ResponseError::too_large`](crate::ResponseError), which
/// is not retried. An error body is read up to [`MAX_ERROR_RESPONSE_BODY`]
/// and cut there, since its code and message (or the code's header) come
/// first and the call fails anyway.
///
/// The `content-length` header is not checked against the limit: a `HEAD`
/// response (e.g. S3's `HeadObject`) declares a length it does not send.
async fn read_body(
    response: http::Response<ByteStream>,
    max_body: usize,
) -> Result<http::Response<Bytes>, Error<Infallible>> {
    let (head, body) = response.into_parts();
    let limit = if head.status.is_success() {
        max_body
    } else {
        MAX_ERROR_RESPONSE_BODY
    };
    let body = match body
        .collect_at_most(limit)
        .await
        .map_err(Error::Transport)?
    {
        Collected::Whole(body) => body,
        Collected::Cut(body) if !head.status.is_success() => body,
        Collected::Cut(_) => {
            let head = http::Response::from_parts(head, Bytes::new());
            return Err(Error::Response(ResponseError::too_large(max_body, &head)));
        }
    };
    Ok(http::Response::from_parts(head, body))
}

/// Records the response's request id on the attempt's span.
#[cfg(feature = "tracing")]
fn record_request_id(headers: &http::HeaderMap) {
    let id = headers
        .get("x-amzn-requestid")
        .or_else(|| headers.get("x-amz-request-id"))
        .and_then(|value| value.to_str().ok());
    if let Some(id) = id {
        tracing::Span::current().record("request_id", id);
    }
}

/// What failed, for logs: the stage and, for a service error, its code and
/// status. Never the message or the body, which may echo the input.
#[cfg(feature = "tracing")]
fn error_kind<E: crate::ProvideErrorMetadata>(error: &Error<E>) -> String {
    match error {
        Error::Service(e) => format!(
            "service error {} (HTTP {})",
            e.err().meta().code().unwrap_or("without code"),
            e.status().as_u16()
        ),
        Error::Response(e) => format!("invalid response (HTTP {})", e.status().as_u16()),
        Error::Transport(e) => format!("transport: {e}"),
        Error::Timeout(e) => e.to_string(),
        _ => "other".to_owned(),
    }
}

/// Awaits `future`, failing with [`Error::Timeout`] named `which` after
/// `limit`. Without the `rt-tokio` feature there is no timer, so no limit.
async fn with_timeout<T, E>(
    future: impl Future<Output = Result<T, Error<E>>>,
    limit: Option<Duration>,
    which: &'static str,
) -> Result<T, Error<E>> {
    #[cfg(feature = "rt-tokio")]
    if let Some(limit) = timer_limit(limit) {
        return match tokio::time::timeout(limit, future).await {
            Ok(result) => result,
            Err(_elapsed) => Err(Error::Timeout(TimeoutError::new(which, limit))),
        };
    }
    // Without a timer the limits cannot be enforced; they stay in the
    // signature so that callers need no feature gates of their own.
    #[cfg(not(feature = "rt-tokio"))]
    let _ = (limit, which, TimeoutError::new);
    future.await
}

/// The limit to set a timer for: none for `Duration::MAX`, documented as
/// "no limit", so that such a client needs no timer (and no Tokio).
#[cfg(any(feature = "rt-tokio", feature = "rustls"))]
fn timer_limit(limit: Option<Duration>) -> Option<Duration> {
    limit.filter(|limit| *limit != Duration::MAX)
}

#[cfg(feature = "rustls")]
fn default_http_client(connect_timeout: Duration) -> SharedHttpClient {
    match crate::DefaultHttpClient::with_connect_timeout(connect_timeout) {
        Ok(client) => SharedHttpClient::new(client),
        Err(error) => {
            let mut reason = error.to_string();
            if let Some(source) = std::error::Error::source(&error) {
                reason = format!("{reason}: {source}");
            }
            SharedHttpClient::new(UnavailableHttpClient::new(reason))
        }
    }
}

#[cfg(not(feature = "rustls"))]
fn default_http_client(_connect_timeout: Duration) -> SharedHttpClient {
    SharedHttpClient::new(UnavailableHttpClient::new(
        "no HTTP client: enable the `rustls` feature of opgen or set Config::builder().http_client(..)",
    ))
}

/// The configured region. It is also the signing scope, so it is required
/// even with an endpoint override.
pub(crate) fn configured_region(config: &Config) -> Result<&str, EndpointError> {
    config.region.as_deref().ok_or_else(|| {
        EndpointError::new("no region configured; set AWS_REGION or Config::builder().region(..)")
    })
}

/// The endpoint of a call to `O` with `input`: the service's endpoint rules
/// evaluated with the region, the FIPS and dual-stack flags and the
/// configured override (`SDK::Endpoint`), plus the operation's context
/// parameters.
pub(crate) fn resolve_endpoint<O: Operation>(
    config: &Config,
    region: &str,
    input: &O::Input,
) -> Result<Endpoint, EndpointError> {
    let mut params = EndpointParams::new()
        .region(region)
        .use_fips(config.use_fips)
        .use_dual_stack(config.use_dual_stack)
        .builtin(
            endpoint::BUILTIN_S3_FORCE_PATH_STYLE,
            config.force_path_style,
        )
        .builtin(endpoint::BUILTIN_S3_ACCELERATE, config.accelerate);
    if let Some(url) = &config.endpoint_url {
        // Checked here because rule sets pass the override through as it is.
        // Errors show it redacted: it may carry a password or a token.
        let shown = endpoint::redact_url(url);
        let uri: http::Uri = url
            .parse()
            .map_err(|e| EndpointError::new(format!("invalid endpoint URL `{shown}`: {e}")))?;
        if uri.scheme().is_none() || uri.authority().is_none() {
            return Err(EndpointError::new(format!(
                "invalid endpoint URL `{shown}`: expected scheme://host[:port][/path]"
            )));
        }
        params = params.endpoint(url.clone());
    } else {
        // Rule sets put the region into the host name unchecked, so it must
        // be a valid label.
        let valid = !region.is_empty()
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return Err(EndpointError::new(format!(
                "invalid region `{region}`; expected e.g. `us-east-1`"
            )));
        }
    }
    endpoint::resolve_operation::<O>(input, params)
}

/// Fails when the endpoint's `authSchemes` leave no way to sign that this
/// client has: signing with SigV4 anyway would only earn a 403 from an
/// endpoint that wants SigV4a. No `authSchemes` means SigV4.
pub(crate) fn check_auth_schemes(endpoint: &Endpoint) -> Result<(), EndpointError> {
    let offered = endpoint.auth_schemes();
    if offered.is_empty() || offered.iter().any(|scheme| scheme.name == "sigv4") {
        return Ok(());
    }
    let names: Vec<String> = offered
        .iter()
        .map(|scheme| format!("`{}`", scheme.name))
        .collect();
    let mut message = format!(
        "the endpoint offers only {} to sign with, and opgen signs with `sigv4` only",
        names.join(", ")
    );
    if offered.iter().any(|scheme| scheme.name == "sigv4a") {
        message.push_str(": sigv4a is not supported yet");
    }
    Err(EndpointError::new(message))
}

/// A copy of `request` for one attempt (`http::Request` is not `Clone`
/// because of its extensions).
fn copy_request(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    // The events of an input stream, shared: each attempt sends them, as
    // long as none was sent yet.
    if let Some(events) = request.extensions().get::<InputEvents>() {
        copy.extensions_mut().insert(events.clone());
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::{config_file, env};
    use crate::headers::VERSION;
    use crate::retry::AsyncSleep;
    use crate::{Credentials, HttpClientFuture, Protocol, ProvideErrorMetadata, ServiceMetadata};
    use std::fmt;
    use std::sync::Mutex;

    static SERVICE: ServiceMetadata = ServiceMetadata {
        shape_id: "com.example#Things",
        sdk_id: "Things Service",
        api_version: "2024-01-01",
        signing_name: "things",
        endpoint_prefix: "things-api",
        protocol: Protocol::RestJson1,
    };

    #[derive(Debug)]
    struct Unreachable(crate::ErrorMetadata);

    impl fmt::Display for Unreachable {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("unreachable")
        }
    }

    impl std::error::Error for Unreachable {}

    impl ProvideErrorMetadata for Unreachable {
        fn meta(&self) -> &crate::ErrorMetadata {
            &self.0
        }
    }

    /// Posts its input string to `/things`; the output is the response body.
    struct PutThing;

    impl Operation for PutThing {
        type Input = String;
        type Output = String;
        type Error = Unreachable;
        const NAME: &'static str = "PutThing";
        const SERVICE: &'static ServiceMetadata = &SERVICE;

        fn serialize(
            input: &String,
            endpoint: &Endpoint,
        ) -> Result<http::Request<Bytes>, BuildError> {
            http::Request::post(format!("{}/things", endpoint.url()))
                .body(Bytes::from(input.clone()))
                .map_err(|e| BuildError::other(e.to_string()))
        }

        fn deserialize(response: http::Response<Bytes>) -> Result<String, Error<Unreachable>> {
            if !response.status().is_success() {
                let code = response
                    .headers()
                    .get("x-amzn-errortype")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let meta = crate::ErrorMetadata::new(code, None, None);
                return Err(Error::Service(crate::ServiceError::new(
                    Unreachable(meta),
                    &response,
                )));
            }
            Ok(String::from_utf8_lossy(response.body()).into_owned())
        }
    }

    /// `$op`: `PutThing` under the endpoint rules `$rules`.
    macro_rules! put_thing_with_rules {
        ($op:ident, $rules:ident) => {
            struct $op;

            impl Operation for $op {
                type Input = String;
                type Output = String;
                type Error = Unreachable;
                const NAME: &'static str = stringify!($op);
                const SERVICE: &'static ServiceMetadata = &SERVICE;
                const ENDPOINT_RULES: Option<&'static endpoint::EndpointRules> = Some(&$rules);

                fn serialize(
                    input: &String,
                    endpoint: &Endpoint,
                ) -> Result<http::Request<Bytes>, BuildError> {
                    PutThing::serialize(input, endpoint)
                }

                fn deserialize(
                    response: http::Response<Bytes>,
                ) -> Result<String, Error<Unreachable>> {
                    PutThing::deserialize(response)
                }
            }
        };
    }

    /// A global service's rules: every region goes to one host that signs
    /// for `us-east-1` under another name.
    static GLOBAL_RULES: endpoint::EndpointRules = endpoint::EndpointRules::new(
        r#"{"version":"1.0","parameters":{"Region":{"type":"String","builtIn":"AWS::Region"}},
           "rules":[{"conditions":[],"type":"endpoint","endpoint":{
             "url":"https://global.things.example",
             "headers":{"x-things-partition":["aws"]},
             "properties":{"authSchemes":[{"name":"sigv4","signingName":"global-things","signingRegion":"us-east-1"}]}}}]}"#,
    );
    put_thing_with_rules!(PutGlobalThing, GLOBAL_RULES);

    /// A multi-region endpoint's rules, which offer only SigV4a.
    static SIGV4A_RULES: endpoint::EndpointRules = endpoint::EndpointRules::new(
        r#"{"version":"1.0","parameters":{"Region":{"type":"String","builtIn":"AWS::Region"}},
           "rules":[{"conditions":[],"type":"endpoint","endpoint":{
             "url":"https://mrap.things.example",
             "properties":{"authSchemes":[{"name":"sigv4a","signingName":"things","signingRegionSet":["*"]}]}}}]}"#,
    );
    put_thing_with_rules!(PutMultiRegionThing, SIGV4A_RULES);

    /// S3's shape of rules: the bucket style follows
    /// `AWS::S3::ForcePathStyle`, and the auth scheme signs as `s3` without
    /// double encoding.
    static S3_STYLE_RULES: endpoint::EndpointRules = endpoint::EndpointRules::new(
        r#"{"version":"1.0","parameters":{
             "Region":{"type":"String","builtIn":"AWS::Region"},
             "ForcePathStyle":{"type":"Boolean","builtIn":"AWS::S3::ForcePathStyle","required":true,"default":false}},
           "rules":[
             {"conditions":[{"fn":"booleanEquals","argv":[{"ref":"ForcePathStyle"},true]}],"type":"endpoint","endpoint":{
               "url":"https://s3.example/bucket",
               "properties":{"authSchemes":[{"name":"sigv4","signingName":"s3","disableDoubleEncoding":true}]}}},
             {"conditions":[],"type":"endpoint","endpoint":{
               "url":"https://bucket.s3.example",
               "properties":{"authSchemes":[{"name":"sigv4","signingName":"s3","disableDoubleEncoding":true}]}}}]}"#,
    );
    put_thing_with_rules!(PutS3Thing, S3_STYLE_RULES);

    /// `$op`: `PutThing` with a compiled resolver that counts its calls in
    /// `$count`; `$from_input`: whether its input feeds the rules.
    macro_rules! counted_put_thing {
        ($op:ident, $count:ident, $from_input:expr) => {
            static $count: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

            struct $op;

            impl Operation for $op {
                type Input = String;
                type Output = String;
                type Error = Unreachable;
                const NAME: &'static str = stringify!($op);
                const SERVICE: &'static ServiceMetadata = &SERVICE;
                const ENDPOINT_PARAMS_FROM_INPUT: bool = $from_input;
                const ENDPOINT_RESOLVER: Option<endpoint::ResolveFn> = Some(|params| {
                    $count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let region = params.get_builtin(endpoint::BUILTIN_REGION);
                    let Some(endpoint::ParamValue::String(region)) = region else {
                        return Err(EndpointError::new("no region"));
                    };
                    Ok(Endpoint::new(format!("https://things.{region}.example")))
                });

                fn serialize(
                    input: &String,
                    endpoint: &Endpoint,
                ) -> Result<http::Request<Bytes>, BuildError> {
                    PutThing::serialize(input, endpoint)
                }

                fn deserialize(
                    response: http::Response<Bytes>,
                ) -> Result<String, Error<Unreachable>> {
                    PutThing::deserialize(response)
                }
            }
        };
    }

    counted_put_thing!(PutStaticThing, STATIC_RESOLVED, false);
    counted_put_thing!(PutInputThing, INPUT_RESOLVED, true);

    #[tokio::test]
    async fn an_endpoint_the_input_does_not_feed_is_resolved_once_per_client() {
        use std::sync::atomic::Ordering::SeqCst;
        let recorder = Recorder::default();
        let client = Client::new(signed_config().http_client(recorder.clone()).build());
        for _ in 0..3 {
            client.call::<PutStaticThing>("abc".into()).await.unwrap();
            client.call::<PutInputThing>("abc".into()).await.unwrap();
        }
        assert_eq!(STATIC_RESOLVED.load(SeqCst), 1);
        assert_eq!(INPUT_RESOLVED.load(SeqCst), 3);
        // Another config is another cache: the region changes the host.
        let other = client.with_config_override(|c| c.region("eu-west-1"));
        other.call::<PutStaticThing>("abc".into()).await.unwrap();
        assert_eq!(STATIC_RESOLVED.load(SeqCst), 2);
        let hosts: Vec<String> = recorder
            .0
            .lock()
            .unwrap()
            .iter()
            .map(|request| request.uri().host().unwrap_or_default().to_string())
            .collect();
        assert_eq!(hosts.len(), 7);
        assert!(
            hosts[..6].iter().all(|h| h == "things.us-east-1.example"),
            "{hosts:?}"
        );
        assert_eq!(hosts[6], "things.eu-west-1.example");
    }

    #[tokio::test]
    async fn s3_requests_carry_the_signed_payload_hash_and_follow_force_path_style() {
        let recorder = Recorder::default();
        let client = Client::new(signed_config().http_client(recorder.clone()).build());
        client.call::<PutS3Thing>("abc".into()).await.unwrap();
        let path_style = Client::new(
            signed_config()
                .force_path_style(true)
                .http_client(recorder.clone())
                .build(),
        );
        path_style.call::<PutS3Thing>("abc".into()).await.unwrap();
        client.call::<PutThing>("abc".into()).await.unwrap();
        let requests = recorder.0.lock().unwrap();
        assert_eq!(
            requests[0].uri().to_string(),
            "https://bucket.s3.example/things"
        );
        assert_eq!(
            requests[1].uri().to_string(),
            "https://s3.example/bucket/things"
        );
        for request in &requests[..2] {
            // SHA-256 of "abc".
            assert_eq!(
                request.headers()["x-amz-content-sha256"],
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
            );
            let authorization = request.headers()["authorization"].to_str().unwrap();
            assert!(
                authorization.contains("/us-east-1/s3/aws4_request")
                    && authorization.contains("x-amz-content-sha256"),
                "{authorization}"
            );
        }
        // Other services are signed without the header.
        assert!(!requests[2].headers().contains_key("x-amz-content-sha256"));
    }

    /// A configuration for `us-east-1` with static credentials.
    fn signed_config() -> ConfigBuilder {
        Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKID", "SECRET", None))
    }

    #[tokio::test]
    async fn the_endpoint_rules_choose_the_host_headers_and_signing_scope() {
        let recorder = Recorder::default();
        let client = Client::new(
            Config::builder()
                .region("eu-west-1")
                .credentials_provider(Credentials::new("AKID", "SECRET", None))
                .http_client(recorder.clone())
                .build(),
        );
        client.call::<PutGlobalThing>("{}".into()).await.unwrap();
        let requests = recorder.0.lock().unwrap();
        let request = &requests[0];
        assert_eq!(
            request.uri().to_string(),
            "https://global.things.example/things"
        );
        assert_eq!(request.headers()["x-things-partition"], "aws");
        let authorization = request.headers()["authorization"].to_str().unwrap();
        assert!(
            authorization.contains("/us-east-1/global-things/aws4_request"),
            "{authorization}"
        );
    }

    #[tokio::test]
    async fn an_endpoint_offering_only_sigv4a_fails_naming_the_scheme_before_sending() {
        let recorder = Recorder::default();
        let client = Client::new(signed_config().http_client(recorder.clone()).build());
        let error = client
            .call::<PutMultiRegionThing>("{}".into())
            .await
            .unwrap_err();
        let Error::Endpoint(e) = &error else {
            panic!("expected an endpoint error, got {error:?}");
        };
        let message = e.to_string();
        assert!(message.contains("sigv4a is not supported yet"), "{message}");
        assert!(message.contains("offers only `sigv4a`"), "{message}");
        assert!(recorder.0.lock().unwrap().is_empty(), "a request was sent");
    }

    #[test]
    fn sigv4_is_chosen_among_the_offered_auth_schemes() {
        let sigv4 = |name: &str| {
            let mut scheme = std::collections::BTreeMap::new();
            scheme.insert("name".to_owned(), crate::Document::String(name.to_owned()));
            crate::Document::Object(scheme)
        };
        let offering = |names: &[&str]| {
            Endpoint::new("https://x.example").with_property(
                "authSchemes",
                crate::Document::Array(names.iter().map(|n| sigv4(n)).collect()),
            )
        };
        assert!(check_auth_schemes(&Endpoint::new("https://x.example")).is_ok());
        assert!(check_auth_schemes(&offering(&["sigv4a", "sigv4"])).is_ok());
        let error = check_auth_schemes(&offering(&["sigv4a", "sigv4-s3express"])).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the endpoint offers only `sigv4a`, `sigv4-s3express` to sign with, \
             and opgen signs with `sigv4` only: sigv4a is not supported yet"
        );
    }

    /// Records requests and answers `200 ok`.
    #[derive(Debug, Default, Clone)]
    struct Recorder(Arc<Mutex<Vec<http::Request<Bytes>>>>);

    impl HttpClient for Recorder {
        fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
            self.0.lock().unwrap().push(request);
            Box::pin(async { Ok(http::Response::new(Bytes::from_static(b"ok"))) })
        }
    }

    #[test]
    fn endpoint_is_the_regional_host_or_the_override() {
        let config = Config::builder()
            .endpoint_url("https://user:secret-pass@things example/?token=secret-query")
            .build();
        let error = resolve_endpoint::<PutThing>(&config, "us-east-1", &String::new()).unwrap_err();
        assert!(!error.to_string().contains("secret"), "{error}");

        let resolve = |config: &Config, region: &str| {
            resolve_endpoint::<PutThing>(config, region, &String::new())
        };
        let config = Config::default();
        assert_eq!(
            resolve(&config, "eu-west-3").unwrap().url(),
            "https://things-api.eu-west-3.amazonaws.com"
        );
        assert_eq!(
            resolve(&config, "cn-north-1").unwrap().url(),
            "https://things-api.cn-north-1.amazonaws.com.cn"
        );
        assert!(resolve(&config, "evil.com/x").is_err());
        let config = Config::builder()
            .use_fips(true)
            .use_dual_stack(true)
            .build();
        assert_eq!(
            resolve(&config, "us-west-2").unwrap().url(),
            "https://things-api-fips.us-west-2.api.aws"
        );
        let config = Config::builder()
            .endpoint_url("http://127.0.0.1:9/base/")
            .build();
        assert_eq!(
            resolve(&config, "us-east-1").unwrap().url(),
            "http://127.0.0.1:9/base"
        );
        let config = Config::builder().endpoint_url("not a url").build();
        assert!(resolve(&config, "us-east-1").is_err());
    }

    #[tokio::test]
    async fn a_call_is_signed_and_carries_the_sdk_headers() {
        let recorder = Recorder::default();
        let client = Client::new(
            signed_config()
                .http_client(recorder.clone())
                .app_name("unit test")
                .build(),
        );
        let output = client.call::<PutThing>("{}".into()).await.unwrap();
        assert_eq!(output, "ok");
        let requests = recorder.0.lock().unwrap();
        let request = &requests[0];
        assert_eq!(
            request.uri().to_string(),
            "https://things-api.us-east-1.amazonaws.com/things"
        );
        let headers = request.headers();
        assert_eq!(headers["host"], "things-api.us-east-1.amazonaws.com");
        assert_eq!(headers["content-length"], "2");
        assert_eq!(headers["amz-sdk-request"], "attempt=1; max=3");
        assert!(headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with(&format!("opgen/{VERSION} ")));
        assert!(headers["x-amz-user-agent"]
            .to_str()
            .unwrap()
            .contains("api/things-service#"));
        assert!(headers["user-agent"]
            .to_str()
            .unwrap()
            .ends_with(" app/unit-test"));
        let authorization = headers["authorization"].to_str().unwrap();
        assert!(
            authorization.contains("/us-east-1/things/aws4_request"),
            "{authorization}"
        );
        // As the official SDK does, the per-attempt headers are sent unsigned.
        assert!(
            authorization.contains("SignedHeaders=content-length;host"),
            "{authorization}"
        );
        assert!(!authorization.contains("amz-sdk"), "{authorization}");
    }

    #[tokio::test]
    async fn missing_region_and_credentials_are_errors() {
        let client = Client::new(Config::builder().http_client(Recorder::default()).build());
        let error = client.call::<PutThing>(String::new()).await.unwrap_err();
        assert!(matches!(error, Error::Endpoint(_)), "{error:?}");

        // The whole chain comes up empty: no variables, no files, no
        // container, instance metadata turned off.
        let config = Config::from_env_with(
            env(&[
                ("AWS_REGION", "us-east-1"),
                ("HOME", "/home/u"),
                ("AWS_EC2_METADATA_DISABLED", "true"),
            ]),
            config_file(""),
        )
        .to_builder()
        .http_client(Recorder::default())
        .build();
        let error = Client::new(config)
            .call::<PutThing>(String::new())
            .await
            .unwrap_err();
        match error {
            Error::Credentials(e) => {
                let message = e.to_string();
                assert!(
                    message.contains("AWS_ACCESS_KEY_ID is not set"),
                    "{message}"
                );
                assert!(message.contains("IMDS"), "{message}");
            }
            other => panic!("expected a credentials error, got {other:?}"),
        }
    }

    /// Answers each request with the next response of its script.
    #[derive(Debug, Clone)]
    struct Scripted(Arc<Mutex<Vec<http::Response<Bytes>>>>);

    impl HttpClient for Scripted {
        fn call(&self, _request: http::Request<Bytes>) -> HttpClientFuture {
            let next = self.0.lock().unwrap().remove(0);
            Box::pin(async { Ok(next) })
        }
    }

    /// Returns at once, so that backoffs cost nothing in tests.
    #[derive(Debug)]
    struct NoSleep;

    impl AsyncSleep for NoSleep {
        fn sleep(&self, _duration: Duration) -> crate::SleepFuture {
            Box::pin(async {})
        }
    }

    fn response(
        status: u16,
        headers: &[(&str, &str)],
        body: &'static str,
    ) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from_static(body.as_bytes())).unwrap()
    }

    #[tokio::test]
    async fn a_success_after_a_retry_refunds_the_quota() {
        let script = Scripted(Arc::new(Mutex::new(vec![
            response(503, &[("x-amzn-errortype", "ServiceUnavailable")], ""),
            response(200, &[], "ok"),
        ])));
        let client = Client::new(
            signed_config()
                .http_client(script)
                .sleep_impl(NoSleep)
                .build(),
        );
        assert_eq!(client.call::<PutThing>(String::new()).await.unwrap(), "ok");
        assert_eq!(client.inner.quota.available(), 500);
    }

    #[tokio::test]
    async fn without_a_timer_calls_are_not_retried() {
        let script = Scripted(Arc::new(Mutex::new(vec![
            response(503, &[("x-amzn-errortype", "ServiceUnavailable")], ""),
            response(200, &[], "ok"),
        ])));
        let mut client = Client::new(signed_config().http_client(script).build());
        Arc::get_mut(&mut client.inner).unwrap().sleep = None;
        let error = client.call::<PutThing>(String::new()).await.unwrap_err();
        assert_eq!(
            error.as_service_error().unwrap().0.code(),
            Some("ServiceUnavailable")
        );
    }

    /// Polls `future` to completion on this thread, with no Tokio runtime
    /// around: the executor of a program that does not use Tokio.
    fn block_on_without_tokio<F: Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
                return output;
            }
            std::thread::yield_now();
        }
    }

    /// A [`Recorder`] whose answer is pending once, as a real connection's
    /// is, so that a timer around it gets polled.
    #[derive(Debug, Default, Clone)]
    struct PendingOnce(Recorder);

    impl HttpClient for PendingOnce {
        fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
            let answer = self.0.call(request);
            let mut pending = true;
            Box::pin(async move {
                std::future::poll_fn(|context| {
                    if std::mem::take(&mut pending) {
                        context.waker().wake_by_ref();
                        return std::task::Poll::Pending;
                    }
                    std::task::Poll::Ready(())
                })
                .await;
                answer.await
            })
        }
    }

    #[test]
    fn outside_a_tokio_runtime_a_call_fails_instead_of_panicking() {
        let with_timeout = signed_config()
            .http_client(PendingOnce::default())
            .sleep_impl(NoSleep)
            .build();
        let default_http_client = signed_config()
            .sleep_impl(NoSleep)
            .operation_timeout(Duration::MAX)
            .build();
        let default_sleep = signed_config()
            .http_client(Recorder::default())
            .operation_timeout(Duration::MAX)
            .build();
        for config in [with_timeout, default_http_client, default_sleep] {
            let client = Client::new(config);
            let error = block_on_without_tokio(client.call::<PutThing>("{}".into())).unwrap_err();
            let Error::Transport(e) = &error else {
                panic!("expected a transport error, got {error:?}");
            };
            assert_eq!(
                e.to_string(),
                "opgen::Client needs a Tokio runtime: call it inside #[tokio::main] or a Runtime::block_on"
            );
            assert!(!e.is_transient());
        }
    }

    #[test]
    fn with_its_own_http_client_and_sleep_and_no_timeout_a_client_needs_no_tokio() {
        let recorder = PendingOnce::default();
        let client = Client::new(
            signed_config()
                .http_client(recorder.clone())
                .sleep_impl(NoSleep)
                .operation_timeout(Duration::MAX)
                .build(),
        );
        let output = block_on_without_tokio(client.call::<PutThing>("{}".into())).unwrap();
        assert_eq!(output, "ok");
        assert_eq!(recorder.0 .0.lock().unwrap().len(), 1);
    }

    /// Spans and events as a subscriber sees them, without a dependency on
    /// `tracing-subscriber`.
    #[cfg(feature = "tracing")]
    mod tracing_spans {
        use super::*;
        use tracing::field::{Field, Visit};
        use tracing::span::{Attributes, Id, Record};
        use tracing::{Event, Metadata, Subscriber};

        /// A span's name, its `field=value` text and its metadata.
        type SpanRecord = (String, String, &'static Metadata<'static>);

        #[derive(Default, Clone)]
        struct Recording {
            /// Name and `field=value` text of each span, by id - 1.
            spans: Arc<Mutex<Vec<SpanRecord>>>,
            events: Arc<Mutex<Vec<String>>>,
            /// The entered spans, innermost last: what `Span::current` asks.
            entered: Arc<Mutex<Vec<Id>>>,
        }

        struct Text<'a>(&'a mut String);

        impl Visit for Text<'_> {
            fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
                self.0.push_str(&format!("{}={value:?} ", field.name()));
            }
        }

        impl Subscriber for Recording {
            fn enabled(&self, _metadata: &Metadata<'_>) -> bool {
                true
            }

            fn new_span(&self, attributes: &Attributes<'_>) -> Id {
                let mut text = String::new();
                attributes.record(&mut Text(&mut text));
                let mut spans = self.spans.lock().unwrap();
                let metadata = attributes.metadata();
                spans.push((metadata.name().to_owned(), text, metadata));
                Id::from_u64(spans.len() as u64)
            }

            fn record(&self, span: &Id, values: &Record<'_>) {
                let mut spans = self.spans.lock().unwrap();
                let index = span.into_u64() as usize - 1;
                values.record(&mut Text(&mut spans[index].1));
            }

            fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

            fn event(&self, event: &Event<'_>) {
                let mut text = String::new();
                event.record(&mut Text(&mut text));
                self.events.lock().unwrap().push(text);
            }

            fn enter(&self, span: &Id) {
                self.entered.lock().unwrap().push(span.clone());
            }

            fn exit(&self, _span: &Id) {
                self.entered.lock().unwrap().pop();
            }

            fn current_span(&self) -> tracing_core::span::Current {
                let entered = self.entered.lock().unwrap();
                match entered.last() {
                    Some(id) => {
                        let metadata = self.spans.lock().unwrap()[id.into_u64() as usize - 1].2;
                        tracing_core::span::Current::new(id.clone(), metadata)
                    }
                    None => tracing_core::span::Current::none(),
                }
            }
        }

        #[test]
        fn a_retried_call_has_an_operation_span_and_a_span_per_attempt() {
            let recording = Recording::default();
            let script = Scripted(Arc::new(Mutex::new(vec![
                response(
                    503,
                    &[
                        ("x-amzn-errortype", "ServiceUnavailable"),
                        ("x-amzn-requestid", "req-1"),
                    ],
                    "secret-error-body",
                ),
                response(200, &[("x-amzn-requestid", "req-2")], "secret-output-body"),
            ])));
            let client = Client::new(
                Config::builder()
                    .region("us-east-1")
                    .credentials_provider(Credentials::new(
                        "AKID",
                        "very-secret",
                        Some("tok-123".into()),
                    ))
                    .http_client(script)
                    .sleep_impl(NoSleep)
                    .build(),
            );
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            tracing::subscriber::with_default(recording.clone(), || {
                runtime
                    .block_on(client.call::<PutThing>("secret-input-body".into()))
                    .unwrap();
            });

            let spans: Vec<(String, String)> = recording
                .spans
                .lock()
                .unwrap()
                .iter()
                .map(|(name, text, _)| (name.clone(), text.clone()))
                .collect();
            let events = recording.events.lock().unwrap().clone();
            let names: Vec<&str> = spans.iter().map(|(name, _)| name.as_str()).collect();
            assert_eq!(names, ["operation", "attempt", "attempt"], "{spans:?}");
            let operation = &spans[0].1;
            assert!(
                operation.contains("rpc.service=\"Things Service\""),
                "{operation}"
            );
            assert!(operation.contains("rpc.method=\"PutThing\""), "{operation}");
            assert!(
                operation.contains("rpc.protocol=\"restJson1\""),
                "{operation}"
            );
            assert!(operation.contains("invocation_id="), "{operation}");
            assert!(spans[1].1.contains("attempt=1 max_attempts=3"), "{spans:?}");
            assert!(spans[1].1.contains("request_id=\"req-1\""), "{spans:?}");
            assert!(spans[2].1.contains("attempt=2 max_attempts=3"), "{spans:?}");
            assert!(spans[2].1.contains("request_id=\"req-2\""), "{spans:?}");
            assert_eq!(events.len(), 1, "{events:?}");
            assert!(events[0].contains("retrying after a backoff"), "{events:?}");
            assert!(
                events[0].contains("ServiceUnavailable (HTTP 503)"),
                "{events:?}"
            );

            let everything = format!("{spans:?} {events:?}");
            for secret in [
                "very-secret",
                "tok-123",
                "secret-input-body",
                "secret-error-body",
                "secret-output-body",
            ] {
                assert!(
                    !everything.contains(secret),
                    "`{secret}` logged: {everything}"
                );
            }
        }
    }
}
