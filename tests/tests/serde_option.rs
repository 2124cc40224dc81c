//! `include_operation!(…, serde)`: the generated types derive serde with the
//! model's member names, round-trip, and the wire format does not change.

mod with_serde {
    opgen::include_operation!("GetResourceOauth2Token", serde);
}
mod without_serde {
    opgen::include_operation!("GetResourceOauth2Token");
}

use opgen::Operation;

fn request() -> with_serde::GetResourceOauth2TokenRequest {
    with_serde::GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("token")
        .resource_credential_provider_name("github")
        .scopes(["repo"])
        .oauth2_flow(with_serde::Oauth2FlowType::from("ON_BEHALF_OF"))
        .custom_parameters([("prompt", "consent")])
        .build()
        .unwrap()
}

#[test]
fn serde_uses_model_member_names_and_round_trips() {
    let input = request();
    let json = serde_json::to_value(&input).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "workloadIdentityToken": "token",
            "resourceCredentialProviderName": "github",
            "scopes": ["repo"],
            "oauth2Flow": "ON_BEHALF_OF",
            "customParameters": {"prompt": "consent"}
        })
    );
    let back: with_serde::GetResourceOauth2TokenRequest = serde_json::from_value(json).unwrap();
    assert_eq!(back, input);
}

#[test]
fn errors_and_unknown_enum_values_round_trip() {
    let text = r#"{"message":"bad","reason":"NewReason","fieldList":[{"name":"a","message":"b"}]}"#;
    let error: with_serde::ValidationException = serde_json::from_str(text).unwrap();
    assert_eq!(error.reason().as_str(), "NewReason");
    let again: serde_json::Value = serde_json::to_value(&error).unwrap();
    assert_eq!(
        again,
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
}

#[test]
fn wire_format_does_not_depend_on_serde() {
    let endpoint = opgen::Endpoint::new("https://example.com");
    let with = with_serde::GetResourceOauth2Token::serialize(&request(), &endpoint).unwrap();
    let plain_input = without_serde::GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("token")
        .resource_credential_provider_name("github")
        .scopes(["repo"])
        .oauth2_flow(without_serde::Oauth2FlowType::from("ON_BEHALF_OF"))
        .custom_parameters([("prompt", "consent")])
        .build()
        .unwrap();
    let without =
        without_serde::GetResourceOauth2Token::serialize(&plain_input, &endpoint).unwrap();
    assert_eq!(with.uri(), without.uri());
    assert_eq!(with.headers(), without.headers());
    assert_eq!(with.body(), without.body());
}
