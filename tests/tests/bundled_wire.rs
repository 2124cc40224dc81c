//! The generated client of the bundled `GetResourceOauth2Token`: the exact
//! wire request for the seed's parameters, and parsing of every response.

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

use agentcore::*;
use bytes::Bytes;
use opgen::Operation;

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
        .unwrap()
}

#[test]
fn seed_request_is_exact_on_the_wire() {
    let endpoint = opgen::Endpoint::new("https://bedrock-agentcore.us-east-1.amazonaws.com");
    let request = GetResourceOauth2Token::serialize(&seed_input(), &endpoint).unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri().to_string(),
        "https://bedrock-agentcore.us-east-1.amazonaws.com/identities/oauth2/token"
    );
    assert_eq!(request.headers()["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
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
}

#[test]
fn missing_required_member_is_named() {
    let err = GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("t")
        .scopes(["a"])
        .oauth2_flow(Oauth2FlowType::M2m)
        .build()
        .unwrap_err();
    assert_eq!(err.member(), Some("resourceCredentialProviderName"));
    assert_eq!(
        err.to_string(),
        "missing required member `resourceCredentialProviderName` of `GetResourceOauth2TokenRequest`"
    );
}

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Bytes::from(body.to_string())).unwrap()
}

#[test]
fn success_response_is_parsed() {
    let output = GetResourceOauth2Token::deserialize(response(
        200,
        &[("x-amzn-requestid", "req-1")],
        r#"{"authorizationUrl":"https://auth.example.com/authorize?x=1","sessionUri":"urn:ietf:params:oauth:request_uri:s1","sessionStatus":"IN_PROGRESS"}"#,
    ))
    .unwrap();
    assert_eq!(
        output.authorization_url(),
        Some("https://auth.example.com/authorize?x=1")
    );
    assert_eq!(output.access_token(), None);
    assert_eq!(
        output.session_uri(),
        Some("urn:ietf:params:oauth:request_uri:s1")
    );
    assert_eq!(output.session_status(), Some(&SessionStatus::InProgress));
}

#[test]
fn each_modeled_error_becomes_its_variant() {
    // The variant is the one named like the code: its `Debug` starts with it.
    let cases = [
        ("AccessDeniedException", 403),
        ("InternalServerException", 500),
        ("ResourceNotFoundException", 404),
        ("ThrottlingException", 429),
        ("UnauthorizedException", 401),
        ("ValidationException", 400),
    ];
    for (code, status) in cases {
        let body = r#"{"message":"went wrong","reason":"FieldValidationFailed"}"#;
        let err = GetResourceOauth2Token::deserialize(response(
            status,
            &[
                (
                    "x-amzn-errortype",
                    &format!("{code}:http://internal.amazon.com/coral/"),
                ),
                ("x-amzn-requestid", "req-7"),
            ],
            body,
        ))
        .unwrap_err();
        let service = err
            .as_service_error()
            .unwrap_or_else(|| panic!("{code}: {err:?}"));
        assert!(
            format!("{service:?}").starts_with(&format!("{code}(")),
            "{code}: {service:?}"
        );
        assert_eq!(service.code(), Some(code));
        assert_eq!(service.message(), Some("went wrong"));
        assert_eq!(service.meta().request_id(), Some("req-7"));
        assert_eq!(
            err.to_string(),
            format!("service error (HTTP {status}): {code}: went wrong (request id: req-7)")
        );
    }
}

#[test]
fn error_code_from_body_type_with_namespace() {
    let err = GetResourceOauth2Token::deserialize(response(
        400,
        &[],
        r#"{"__type":"com.amazonaws.bedrockagentcore#ValidationException","message":"bad","reason":"CannotParse","fieldList":[{"name":"scopes","message":"empty"}]}"#,
    ))
    .unwrap_err()
    .into_service_error();
    let GetResourceOauth2TokenError::ValidationException(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.message(), "bad");
    assert_eq!(e.reason(), &ValidationExceptionReason::CannotParse);
    assert_eq!(e.field_list()[0].name(), "scopes");
}

#[test]
fn unmodeled_error_is_unhandled_with_raw_response() {
    let err = GetResourceOauth2Token::deserialize(response(
        418,
        &[("x-amzn-requestid", "req-9")],
        r#"{"code":"TeapotException","Message":"short and stout"}"#,
    ))
    .unwrap_err()
    .into_service_error();
    let GetResourceOauth2TokenError::Unhandled(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.meta().code(), Some("TeapotException"));
    assert_eq!(e.meta().message(), Some("short and stout"));
    assert_eq!(e.status().map(|s| s.as_u16()), Some(418));
    assert!(e.body().unwrap().starts_with(b"{\"code\""));
}

#[test]
fn malformed_body_is_a_response_error_with_status_and_raw_body() {
    let raw = r#"{"accessToken": 42"#;
    let err = GetResourceOauth2Token::deserialize(response(200, &[], raw)).unwrap_err();
    let opgen::Error::Response(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status().as_u16(), 200);
    assert_eq!(e.body().as_ref(), raw.as_bytes());
    assert!(e.reason().contains("invalid JSON body"), "{}", e.reason());

    let wrong_type =
        GetResourceOauth2Token::deserialize(response(200, &[], r#"{"accessToken": 42}"#))
            .unwrap_err();
    let opgen::Error::Response(e) = &wrong_type else {
        panic!("{wrong_type:?}")
    };
    assert_eq!(
        e.reason(),
        "GetResourceOauth2TokenResponse.accessToken: expected a string, found a number"
    );
}

#[test]
fn sensitive_members_are_redacted_in_debug() {
    let shown = format!("{:?}", seed_input());
    assert!(!shown.contains("workload-token"), "{shown}");
    assert!(!shown.contains("csrf-state"), "{shown}");
    // customParameters values target a @sensitive string: a map of secrets.
    assert!(!shown.contains("consent"), "{shown}");
    assert!(shown.contains("*** Sensitive Data Redacted ***"));
    assert!(shown.contains("github-provider"));
}

#[test]
fn unknown_enum_value_round_trips() {
    let flow = Oauth2FlowType::from("ON_BEHALF_OF_TOKEN_EXCHANGE");
    assert_eq!(
        flow,
        Oauth2FlowType::Unknown("ON_BEHALF_OF_TOKEN_EXCHANGE".into())
    );
    assert_eq!(flow.as_str(), "ON_BEHALF_OF_TOKEN_EXCHANGE");
    assert_eq!(Oauth2FlowType::from("M2M"), Oauth2FlowType::M2m);
    assert_eq!(Oauth2FlowType::values(), ["USER_FEDERATION", "M2M"]);
}
