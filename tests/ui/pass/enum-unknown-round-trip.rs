//! An enum value the model does not know is kept as `Unknown(String)` and
//! goes back on the wire unchanged, in both directions.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

use agentcore::{
    GetResourceOauth2Token, GetResourceOauth2TokenRequest, Oauth2FlowType, SessionStatus,
};
use opgen::Operation;

fn main() {
    // Known values map to their variants, in every conversion.
    assert_eq!(Oauth2FlowType::from("M2M"), Oauth2FlowType::M2m);
    assert_eq!(
        "USER_FEDERATION".parse::<Oauth2FlowType>(),
        Ok(Oauth2FlowType::UserFederation)
    );
    assert_eq!(Oauth2FlowType::M2m.to_string(), "M2M");
    assert_eq!(Oauth2FlowType::values(), ["USER_FEDERATION", "M2M"]);

    // A newer model's value survives as Unknown with its raw text.
    let newer = Oauth2FlowType::from("ON_BEHALF_OF_TOKEN_EXCHANGE");
    assert_eq!(
        newer,
        Oauth2FlowType::Unknown("ON_BEHALF_OF_TOKEN_EXCHANGE".to_string())
    );
    assert_eq!(newer.as_str(), "ON_BEHALF_OF_TOKEN_EXCHANGE");
    assert_eq!(newer.to_string(), "ON_BEHALF_OF_TOKEN_EXCHANGE");
    assert_eq!(Oauth2FlowType::from(newer.as_str()), newer);

    // Request: the unknown value is serialized as written.
    let request = GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("t")
        .resource_credential_provider_name("p")
        .scopes(["s"])
        .oauth2_flow(newer)
        .build()
        .unwrap();
    let http =
        GetResourceOauth2Token::serialize(&request, &opgen::Endpoint::new("https://example.com"))
            .unwrap();
    let body: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
    assert_eq!(body["oauth2Flow"], "ON_BEHALF_OF_TOKEN_EXCHANGE");

    // Response: an unknown value is parsed, not rejected.
    let response = http::Response::builder()
        .status(200)
        .body(bytes::Bytes::from_static(br#"{"sessionStatus":"PAUSED"}"#))
        .unwrap();
    let output = GetResourceOauth2Token::deserialize(response).unwrap();
    assert_eq!(
        output.session_status(),
        Some(&SessionStatus::Unknown("PAUSED".to_string()))
    );
    assert_eq!(
        output.session_status().map(SessionStatus::as_str),
        Some("PAUSED")
    );
}
