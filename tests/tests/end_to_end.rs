//! The generated `GetResourceOauth2Token` client against a loopback server:
//! the signed request as it arrives, and every kind of answer (success,
//! each modeled error, unmodeled errors, a non-JSON 500, a malformed 200, a
//! dropped connection, a stall).
//!
//! The server is the example's stub (`runtime/examples/get_resource_oauth2_token/stub.rs`),
//! with the stub's AgentCore handler for the success cases and a canned
//! answer for the others. Each test starts its own server and stops it when
//! the server is dropped; everything is bounded by [`BOUND`].
//!
//! Retries are disabled here (one attempt per call), so that a 429 or a 500
//! surfaces as it is; `fault_injection.rs` tests them.

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

#[path = "../../runtime/examples/get_resource_oauth2_token/stub.rs"]
mod stub;

use agentcore::*;
use opgen::{Client, Config, Credentials, Error};
use serde_json::{json, Value};
use std::future::Future;
use std::time::{Duration, Instant, SystemTime};
use stub::{Reply, Request, Response, Server};

/// No test waits longer than this, whatever the client or server does.
const BOUND: Duration = Duration::from_secs(20);
const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "end-to-end-session-token";

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET, Some(TOKEN.into()))
}

/// Runs `test` within [`BOUND`].
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, test)
        .await
        .expect("the test did not finish within the bound")
}

/// A server answering every request with `handler`, and a client for it.
async fn start(
    handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    tune: impl FnOnce(opgen::ConfigBuilder) -> opgen::ConfigBuilder,
) -> (Server, Client) {
    let server = Server::start(handler).await.expect("start the server");
    let config = Config::builder()
        .region("us-east-1")
        .credentials_provider(credentials())
        .endpoint_url(server.url())
        .app_name("end-to-end")
        // One attempt per call, so that each answer is seen as it is;
        // retries are tested in fault_injection.rs.
        .retry_config(opgen::RetryConfig::disabled());
    let client = Client::new(tune(config).build());
    (server, client)
}

/// A server always answering `response`.
async fn answering(response: Response) -> (Server, Client) {
    start(move |_| Reply::Respond(response.clone()), |c| c).await
}

fn seed_input() -> GetResourceOauth2TokenRequest {
    GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("workload-token")
        .resource_credential_provider_name("github-provider")
        .scopes(["repo", "read:user"])
        .oauth2_flow(Oauth2FlowType::UserFederation)
        .session_uri("urn:ietf:params:oauth:request_uri:abc123")
        .resource_oauth2_return_url("https://app.example.com/callback")
        .force_authentication(true)
        .custom_parameters([("prompt", "consent"), ("audience", "api")])
        .custom_state("csrf-state")
        .build()
        .expect("a complete request")
}

fn m2m_input() -> GetResourceOauth2TokenRequest {
    GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("workload-token")
        .resource_credential_provider_name("billing-api")
        .scopes(["invoices:read"])
        .oauth2_flow(Oauth2FlowType::M2m)
        .build()
        .expect("a complete request")
}

/// The one request `server` received, checked as AWS would check it: the
/// signature verifies, the scope is `…/us-east-1/bedrock-agentcore/aws4_request`,
/// and the protocol and SDK headers are there.
fn the_signed_request(server: &Server) -> Request {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one attempt, no retry: {requests:?}");
    let request = requests.into_iter().next().expect("one request");
    if let Err(failure) = stub::verify_signature(&request, &credentials(), SystemTime::now()) {
        panic!("signature refused: {failure:?}\n{request:?}");
    }
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/identities/oauth2/token");

    let header = |name: &str| {
        request
            .header(name)
            .unwrap_or_else(|| panic!("no `{name}` header: {request:?}"))
    };
    let amz_date = header("x-amz-date");
    assert_eq!(amz_date.len(), 16, "{amz_date}");
    let authorization = header("authorization");
    let scope = format!(
        "Credential={ACCESS_KEY}/{}/us-east-1/bedrock-agentcore/aws4_request, ",
        &amz_date[..8]
    );
    assert!(
        authorization.starts_with(&format!("AWS4-HMAC-SHA256 {scope}")),
        "{authorization}"
    );
    for signed in ["content-type", "host", "x-amz-date", "x-amz-security-token"] {
        assert!(
            authorization.contains(signed),
            "`{signed}` is not signed: {authorization}"
        );
    }
    assert_eq!(header("x-amz-security-token"), TOKEN);
    assert_eq!(header("content-type"), "application/json");
    assert_eq!(
        header("content-length"),
        request.body.len().to_string().as_str()
    );
    let user_agent = header("user-agent");
    assert!(user_agent.starts_with("opgen/"), "{user_agent}");
    assert!(user_agent.ends_with(" app/end-to-end"), "{user_agent}");
    assert!(
        header("x-amz-user-agent").contains("api/bedrock-agentcore#"),
        "{request:?}"
    );
    let invocation_id = header("amz-sdk-invocation-id");
    assert_eq!(invocation_id.len(), 36, "{invocation_id}");
    assert_eq!(invocation_id.matches('-').count(), 4, "{invocation_id}");
    assert_eq!(header("amz-sdk-request"), "attempt=1; max=1");
    request
}

fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

#[tokio::test]
async fn user_federation_returns_an_authorization_url_and_a_session() {
    bounded(async {
        let (server, client) = start(stub::agentcore(credentials()), |c| c).await;

        let output = client.send(seed_input()).await.expect("the call succeeds");
        assert_eq!(output.session_status(), Some(&SessionStatus::InProgress));
        let session = output.session_uri().expect("a session URI");
        assert!(
            session.starts_with("urn:ietf:params:oauth:request_uri:"),
            "{session}"
        );
        let url = output.authorization_url().expect("an authorization URL");
        assert!(url.contains("request_uri="), "{url}");
        assert_eq!(output.access_token(), None);

        let request = the_signed_request(&server);
        assert_eq!(
            json_body(&request),
            json!({
                "workloadIdentityToken": "workload-token",
                "resourceCredentialProviderName": "github-provider",
                "scopes": ["repo", "read:user"],
                "oauth2Flow": "USER_FEDERATION",
                "sessionUri": "urn:ietf:params:oauth:request_uri:abc123",
                "resourceOauth2ReturnUrl": "https://app.example.com/callback",
                "forceAuthentication": true,
                "customParameters": {"prompt": "consent", "audience": "api"},
                "customState": "csrf-state"
            })
        );
    })
    .await;
}

#[tokio::test]
async fn m2m_returns_an_access_token() {
    bounded(async {
        let (server, client) = start(stub::agentcore(credentials()), |c| c).await;

        let output = client.send(m2m_input()).await.expect("the call succeeds");
        let token = output.access_token().expect("an access token");
        assert!(token.starts_with("stub-m2m-token-billing-api-"), "{token}");
        assert_eq!(output.session_status(), None);
        assert_eq!(output.authorization_url(), None);

        let request = the_signed_request(&server);
        assert_eq!(
            json_body(&request),
            json!({
                "workloadIdentityToken": "workload-token",
                "resourceCredentialProviderName": "billing-api",
                "scopes": ["invoices:read"],
                "oauth2Flow": "M2M"
            })
        );
    })
    .await;
}

#[tokio::test]
async fn each_modeled_error_becomes_its_variant_with_message_and_request_id() {
    // The variant is the one named like the code: its `Debug` starts with it.
    let cases = [
        ("AccessDeniedException", 403),
        ("InternalServerException", 500),
        ("ResourceNotFoundException", 404),
        ("ThrottlingException", 429),
        ("UnauthorizedException", 401),
        ("ValidationException", 400),
    ];
    bounded(async {
        for (code, status) in cases {
            let request_id = format!("req-{code}");
            let message = format!("{code} from the loopback server");
            // ValidationException has required members besides `message`.
            let members = json!({
                "reason": "FieldValidationFailed",
                "fieldList": [{"name": "scopes", "message": "Member must not be empty"}]
            });
            let response = Response::error(status, code, &message, members)
                .header("x-amzn-requestid", &request_id);
            let (server, client) = answering(response).await;

            let error = client.send(seed_input()).await.unwrap_err();
            let Error::Service(service) = &error else {
                panic!("{code}: expected a service error, got {error:?}")
            };
            assert_eq!(service.status().as_u16(), status, "{code}");
            let e = service.err();
            assert!(
                format!("{e:?}").starts_with(&format!("{code}(")),
                "{code}: {e:?}"
            );
            assert_eq!(e.code(), Some(code));
            assert_eq!(e.message(), Some(message.as_str()));
            assert_eq!(e.meta().request_id(), Some(request_id.as_str()));
            assert_eq!(
                error.to_string(),
                format!(
                    "service error (HTTP {status}): {code}: {message} (request id: {request_id})"
                )
            );
            if let GetResourceOauth2TokenError::ValidationException(e) = e {
                assert_eq!(
                    e.reason(),
                    &ValidationExceptionReason::FieldValidationFailed
                );
                assert_eq!(e.field_list().len(), 1);
                assert_eq!(e.field_list()[0].name(), "scopes");
            }
            the_signed_request(&server);
        }
    })
    .await;
}

#[tokio::test]
async fn the_stubs_validation_exception_names_each_field() {
    bounded(async {
        let (_server, client) = start(stub::agentcore(credentials()), |c| c).await;
        let input = GetResourceOauth2TokenRequest::builder()
            .workload_identity_token("workload-token")
            .resource_credential_provider_name("github provider")
            .scopes(Vec::<String>::new())
            .oauth2_flow(Oauth2FlowType::M2m)
            .build()
            .expect("complete, though invalid for the service");

        let error = client.send(input).await.unwrap_err();
        let Some(GetResourceOauth2TokenError::ValidationException(e)) = error.as_service_error()
        else {
            panic!("expected a ValidationException, got {error:?}")
        };
        assert_eq!(
            e.reason(),
            &ValidationExceptionReason::FieldValidationFailed
        );
        let fields: Vec<&str> = e.field_list().iter().map(|f| f.name()).collect();
        assert_eq!(fields, ["resourceCredentialProviderName", "scopes"]);
        assert!(
            e.message().starts_with("2 validation errors detected"),
            "{}",
            e.message()
        );
        assert!(e.meta().request_id().is_some());
    })
    .await;
}

#[tokio::test]
async fn a_wrong_secret_is_refused_with_an_unmodeled_403() {
    bounded(async {
        let wrong = Credentials::new(ACCESS_KEY, "not-the-secret", Some(TOKEN.into()));
        let (_server, client) = start(stub::agentcore(credentials()), |c| {
            c.credentials_provider(wrong)
        })
        .await;

        let error = client.send(seed_input()).await.unwrap_err();
        let Some(GetResourceOauth2TokenError::Unhandled(e)) = error.as_service_error() else {
            panic!("expected Unhandled, got {error:?}")
        };
        assert_eq!(e.status().map(|s| s.as_u16()), Some(403));
        assert_eq!(e.meta().code(), Some("InvalidSignatureException"));
        assert!(
            e.meta()
                .message()
                .is_some_and(|m| m.starts_with("The request signature we calculated")),
            "{e:?}"
        );
        assert!(e.meta().request_id().is_some());
    })
    .await;
}

#[tokio::test]
async fn an_unmodeled_error_is_unhandled_with_the_raw_response() {
    bounded(async {
        let response = Response::error(
            503,
            "ServiceUnavailableException",
            "Service is busy",
            json!({}),
        )
        .header("x-amzn-requestid", "req-503");
        let (_server, client) = answering(response).await;

        let error = client.send(seed_input()).await.unwrap_err();
        let Some(GetResourceOauth2TokenError::Unhandled(e)) = error.as_service_error() else {
            panic!("expected Unhandled, got {error:?}")
        };
        assert_eq!(e.meta().code(), Some("ServiceUnavailableException"));
        assert_eq!(e.meta().message(), Some("Service is busy"));
        assert_eq!(e.meta().request_id(), Some("req-503"));
        assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
        let body = e.body().expect("the raw body");
        assert!(body.starts_with(b"{"), "{body:?}");
    })
    .await;
}

const HTML_500: &str = "<html><body><h1>500 Internal Server Error</h1></body></html>";

#[tokio::test]
async fn a_500_with_a_non_json_body_and_no_code_is_unhandled() {
    bounded(async {
        let response =
            Response::raw(500, "text/html", HTML_500).header("x-amzn-requestid", "req-html");
        let (_server, client) = answering(response).await;

        let error = client.send(seed_input()).await.unwrap_err();
        let Error::Service(service) = &error else {
            panic!("expected a service error, got {error:?}")
        };
        assert_eq!(service.status().as_u16(), 500);
        assert_eq!(service.body().as_ref(), HTML_500.as_bytes());
        let GetResourceOauth2TokenError::Unhandled(e) = service.err() else {
            panic!("expected Unhandled, got {error:?}")
        };
        assert_eq!(e.meta().code(), None);
        assert_eq!(e.meta().request_id(), Some("req-html"));
    })
    .await;
}

/// The code comes from `x-amzn-errortype` (DESIGN: "error type from
/// x-amzn-errortype / __type / code"), so a body that is not JSON must not
/// hide which error it is.
#[tokio::test]
async fn a_500_with_a_non_json_body_follows_its_error_type_header() {
    bounded(async {
        let response = Response::raw(500, "text/html", HTML_500)
            .header("x-amzn-errortype", "InternalServerException")
            .header("x-amzn-requestid", "req-html");
        let (_server, client) = answering(response).await;

        let error = client.send(seed_input()).await.unwrap_err();
        let Error::Service(service) = &error else {
            panic!("expected a service error, got {error:?}")
        };
        assert_eq!(service.status().as_u16(), 500);
        let GetResourceOauth2TokenError::InternalServerException(e) = service.err() else {
            panic!("expected InternalServerException, got {error:?}")
        };
        assert_eq!(e.message(), None);
        assert_eq!(e.meta().request_id(), Some("req-html"));
    })
    .await;
}

#[tokio::test]
async fn malformed_json_in_a_200_is_a_response_error_with_status_and_body() {
    bounded(async {
        let raw = r#"{"accessToken": "abc"#;
        let (_server, client) = answering(Response::raw(200, "application/json", raw)).await;

        let error = client.send(m2m_input()).await.unwrap_err();
        let Error::Response(e) = &error else {
            panic!("expected a response error, got {error:?}")
        };
        assert_eq!(e.status().as_u16(), 200);
        assert_eq!(e.body().as_ref(), raw.as_bytes());
        assert!(e.reason().contains("invalid JSON body"), "{}", e.reason());
    })
    .await;
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    bounded(async {
        let (server, client) = start(|_| Reply::Close, |c| c).await;

        let error = client.send(seed_input()).await.unwrap_err();
        let Error::Transport(e) = &error else {
            panic!("expected a transport error, got {error:?}")
        };
        assert!(
            std::error::Error::source(e).is_some(),
            "the cause is kept: {e:?}"
        );
        // The request did arrive, signed, before the peer hung up.
        the_signed_request(&server);
    })
    .await;
}

#[tokio::test]
async fn a_stall_hits_the_attempt_timeout() {
    bounded(async {
        let limit = Duration::from_millis(300);
        let (server, client) = start(|_| Reply::Stall, |c| c.attempt_timeout(limit)).await;

        let started = Instant::now();
        let error = client.send(seed_input()).await.unwrap_err();
        let elapsed = started.elapsed();
        let Error::Timeout(e) = &error else {
            panic!("expected a timeout, got {error:?}")
        };
        assert_eq!(e.which(), "attempt");
        assert_eq!(e.after(), limit);
        assert!(elapsed >= limit && elapsed < limit * 10, "took {elapsed:?}");
        the_signed_request(&server);
    })
    .await;
}
