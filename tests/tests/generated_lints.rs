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

/// Waiters: `wait_until_*` and their acceptor functions.
pub mod waits {
    opgen::include_operation!("GetFleet", model = "ui/models/waiters.json");
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

/// Input event streams, one way and bidirectional (restJson1).
pub mod listen {
    opgen::include_operation!(
        "StartListening",
        "Upload",
        model = "ui/models/event-stream-input.json"
    );
}

/// awsQuery: form-encoded requests, XML responses.
pub mod query {
    opgen::include_operation!("PutThings", "Ping", model = "ui/models/query.json");
}

/// The same service spoken as ec2Query.
pub mod ec2 {
    opgen::include_operation!(
        "PutThings",
        "Ping",
        model = "ui/models/query.json",
        protocol = "ec2Query"
    );
}

/// Output event streams: restJson1 (events bound from the payload) and
/// rpcv2Cbor (initial response, `@eventHeader`).
pub mod streams {
    opgen::include_operation!("WatchThings", model = "ui/models/event-stream.json");
}

/// rpcv2Cbor output event stream.
pub mod watch {
    opgen::include_operation!("Watch", model = "ui/models/event-stream-cbor.json");
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

    // The query protocols' bodies, key naming included.
    let input = query::PutThingsInput::builder()
        .name("n")
        .tags([query::Tag::builder().key("k").value("v").build().unwrap()])
        .flat(["a"])
        .kind(query::Kind::Big)
        .token("t")
        .build()
        .unwrap();
    let endpoint = opgen::Endpoint::new("https://example.com");
    let body = |request: opgen::__private::http::Request<opgen::__private::bytes::Bytes>| {
        String::from_utf8(request.body().to_vec()).unwrap()
    };
    use opgen::Operation;
    assert_eq!(
        body(query::PutThings::serialize(&input, &endpoint).unwrap()),
        "Action=PutThings&Version=2024-01-01&Name=n&Tags.member.1.Key=k&Tags.member.1.Value=v\
         &Flat.1=a&Kind=big&Token=t"
    );
    let input = ec2::PutThingsInput::builder()
        .name("n")
        .tags([ec2::Tag::builder().key("k").build().unwrap()])
        .flat(["a"])
        .token("t")
        .build()
        .unwrap();
    assert_eq!(
        body(ec2::PutThings::serialize(&input, &endpoint).unwrap()),
        "Action=PutThings&Version=2024-01-01&Name=n&Tags.1.Key=k&Flat.1=a&Token=t"
    );
}
