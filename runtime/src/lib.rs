//! Typed, signed AWS clients generated at compile time from Smithy models.
//!
//! ```no_run
//! mod agentcore {
//!     opgen::include_operation!("GetResourceOauth2Token");
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = opgen::Client::from_env();
//! let input = agentcore::GetResourceOauth2TokenRequest::builder()
//!     .workload_identity_token("token")
//!     .resource_credential_provider_name("github")
//!     .scopes(["repo"])
//!     .oauth2_flow(agentcore::Oauth2FlowType::M2m)
//!     .build()?;
//! let output = client.send(input).await?;
//! println!("{:?}", output.access_token());
//! # Ok(())
//! # }
//! ```
//!
//! The macro generates the types; this crate holds everything they call at run
//! time: the [`Operation`] trait, restJson1 helpers, SigV4, credentials, the
//! endpoint, and the [`Client`] that sends requests.
#![deny(missing_docs)]
// Nothing from the network, the environment or a model may panic the
// runtime: failures are errors. Tests may unwrap.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
#![warn(unreachable_pub)]

pub use opgen_macros::include_operation;

// Generated code names this crate `::opgen`, also when the runtime expands
// an operation of its own (the STS and SSO calls of the credential
// providers).
#[cfg(any(feature = "sts-credentials", feature = "sso-credentials"))]
extern crate self as opgen;

mod blob;
mod byte_stream;
pub mod checksum;
mod client;
mod compression;
mod config;
pub mod credentials;
#[cfg(feature = "rustls")]
mod default_http_client;
mod encoding;
pub mod endpoint;
mod error;
pub mod event_stream;
mod headers;
mod http_client;
mod operation;
mod paginator;
mod presign;
pub mod profile;
mod random;
pub mod region;
mod retry;
pub mod sigv4;
#[cfg(feature = "test-util")]
pub mod test_util;
mod waiter;

#[doc(hidden)]
pub mod __private;

pub use blob::{BigNumber, Blob, DateTime, Document, Unit};
pub use byte_stream::ByteStream;
pub use checksum::{
    ChecksumAlgorithm, ChecksumMembers, ChecksumMismatch, HttpChecksum, RequestChecksumCalculation,
    ResponseChecksumValidation,
};
pub use client::Client;
pub use compression::{compress_request, RequestCompression, DEFAULT_MIN_COMPRESSION_SIZE};
pub use config::{
    Config, ConfigBuilder, DEFAULT_EVENT_STREAM_IDLE_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY,
    MAX_ERROR_RESPONSE_BODY,
};
pub use credentials::{
    Credentials, CredentialsError, EnvironmentCredentials, ProvideCredentials,
    ProvideCredentialsFuture, SharedCredentialsProvider,
};
#[cfg(feature = "rustls")]
pub use default_http_client::DefaultHttpClient;
#[cfg(feature = "rustls")]
#[allow(deprecated)]
pub use default_http_client::ReqwestHttpClient;
pub use endpoint::Endpoint;
pub use error::{
    BuildError, EndpointError, Error, ErrorMetadata, PaginationError, ProvideErrorMetadata,
    ResponseError, ServiceError, TimeoutError, TransportError, UnhandledError,
};
pub use http_client::{HttpClient, HttpClientFuture, HttpClientStreamingFuture, SharedHttpClient};
pub use operation::{Operation, OperationInput, Protocol, ServiceMetadata};
pub use paginator::{Items, Paginator};
pub use presign::{presign, PresignedRequest, PresigningConfig, MAX_PRESIGNED_EXPIRY};
pub use retry::{AsyncSleep, RetryConfig, SleepFuture};
pub use waiter::{Acceptor, AcceptorState, MatchAcceptor, Waiter, WaiterError, WaiterSuccess};
