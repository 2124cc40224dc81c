//! The builder of the bundled `GetResourceOauth2Token` takes every parameter
//! of the seed request, and the getters give each one back.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

use agentcore::{GetResourceOauth2TokenRequest, Oauth2FlowType};

fn main() {
    let request = GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("workload-token")
        .resource_credential_provider_name("github-provider")
        .scopes(["repo", "read:user"])
        .oauth2_flow(Oauth2FlowType::UserFederation)
        .session_uri("urn:ietf:params:oauth:request_uri:abc123")
        .resource_oauth2_return_url("https://app.example.com/callback")
        .force_authentication(true)
        .custom_parameters([("prompt", "consent")])
        .custom_state("csrf-state")
        .build()
        .unwrap();

    assert_eq!(request.workload_identity_token(), Some("workload-token"));
    assert_eq!(
        request.resource_credential_provider_name(),
        Some("github-provider")
    );
    assert_eq!(request.scopes(), ["repo", "read:user"]);
    assert_eq!(request.oauth2_flow(), Some(&Oauth2FlowType::UserFederation));
    assert_eq!(
        request.session_uri(),
        Some("urn:ietf:params:oauth:request_uri:abc123")
    );
    assert_eq!(
        request.resource_oauth2_return_url(),
        Some("https://app.example.com/callback")
    );
    assert_eq!(request.force_authentication(), Some(true));
    let custom = request.custom_parameters().unwrap();
    assert_eq!(custom.get("prompt").map(String::as_str), Some("consent"));
    assert_eq!(request.custom_state(), Some("csrf-state"));

    // The sans-IO operation puts the request on the wire.
    let endpoint = opgen::Endpoint::new("https://bedrock-agentcore.us-east-1.amazonaws.com");
    let http =
        <agentcore::GetResourceOauth2Token as opgen::Operation>::serialize(&request, &endpoint)
            .unwrap();
    assert_eq!(http.uri().path(), "/identities/oauth2/token");
}
