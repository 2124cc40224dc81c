//! Leaving out a required member compiles; `build()` returns an
//! `opgen::BuildError` that names the member as the model spells it.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

use agentcore::{GetResourceOauth2TokenRequest, Oauth2FlowType};

fn main() {
    let error: opgen::BuildError = GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("t")
        .scopes(["s"])
        .oauth2_flow(Oauth2FlowType::M2m)
        .build()
        .unwrap_err();
    assert_eq!(error.member(), Some("resourceCredentialProviderName"));
    assert_eq!(error.shape(), Some("GetResourceOauth2TokenRequest"));
    assert!(
        error
            .to_string()
            .contains("`resourceCredentialProviderName`"),
        "{error}"
    );
}
