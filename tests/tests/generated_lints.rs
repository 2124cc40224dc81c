//! Generated code is documented and warning-free in a crate that denies
//! both: users with strict lints can include operations without allowances.
#![deny(missing_docs, warnings, unreachable_pub)]

/// The bundled operation, expanded into a public module.
pub mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

/// Paginated operations: `paginate`, `paginate_items` and their helpers.
pub mod pages {
    opgen::include_operation!(
        "ListWidgets",
        "ListNames",
        model = "ui/models/paginated.json"
    );
}

/// `@httpChecksum` operations: `HTTP_CHECKSUM` and `checksum_members`.
pub mod files {
    opgen::include_operation!(
        "DeleteFiles",
        "PutFile",
        "GetFile",
        "ReadFile",
        model = "ui/models/checksums.json"
    );
}

#[test]
fn strict_lints_accept_generated_code() {
    // Compiling this file is the test; also touch the public surface.
    let request = agentcore::GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("t")
        .resource_credential_provider_name("p")
        .scopes(["s"])
        .oauth2_flow(agentcore::Oauth2FlowType::M2m)
        .build()
        .unwrap();
    assert_eq!(request.scopes(), ["s"]);
}
