//! The sans-IO API: build, sign and parse `GetResourceOauth2Token` messages
//! without `opgen::Client` and without a network, e.g. to send them through
//! another HTTP stack, to presign them, or to test against recorded traffic.
//!
//! Run: `cargo run --example sans_io`

use bytes::Bytes;
use opgen::sigv4::{sign_http_request, SigningParams, SigningSettings};
use opgen::{Credentials, Endpoint, Operation};
use std::time::SystemTime;

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}
use agentcore::{
    GetResourceOauth2Token, GetResourceOauth2TokenError, GetResourceOauth2TokenRequest,
    Oauth2FlowType,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Input → unsigned HTTP request, for any endpoint.
    let input = GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("workload-token")
        .resource_credential_provider_name("github-provider")
        .scopes(["repo"])
        .oauth2_flow(Oauth2FlowType::M2m)
        .build()?;
    let endpoint = Endpoint::new("https://bedrock-agentcore.eu-west-1.amazonaws.com");
    let mut request = GetResourceOauth2Token::serialize(&input, &endpoint)?;

    // 2. Sign it with SigV4; the signing name comes from the model.
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    );
    sign_http_request(
        &mut request,
        &SigningParams {
            credentials: &credentials,
            region: "eu-west-1",
            service: GetResourceOauth2Token::SERVICE.signing_name,
            time: SystemTime::now(),
            settings: SigningSettings::default(),
        },
    )?;
    println!("{} {}", request.method(), request.uri());
    for (name, value) in request.headers() {
        let shown = if name == "authorization" {
            // Only the scope part: the signature changes with the clock.
            value
                .to_str()?
                .split(", Signature=")
                .next()
                .unwrap_or_default()
                .to_string()
        } else {
            value.to_str()?.to_string()
        };
        println!("{name}: {shown}");
    }
    println!("{}\n", String::from_utf8_lossy(request.body()));

    // 3. A recorded response → typed output.
    let ok = http::Response::builder()
        .status(200)
        .body(Bytes::from_static(br#"{"accessToken":"eyJhbGciOi..."}"#))?;
    let output = GetResourceOauth2Token::deserialize(ok)?;
    println!(
        "parsed output: access token of {} characters",
        output.access_token().map_or(0, str::len)
    );

    // 4. A recorded error response → typed error.
    let throttled = http::Response::builder()
        .status(429)
        .header("x-amzn-errortype", "ThrottlingException")
        .header("x-amzn-requestid", "4f1c-example")
        .body(Bytes::from_static(br#"{"message":"Rate exceeded"}"#))?;
    match GetResourceOauth2Token::deserialize(throttled).map_err(opgen::Error::into_service_error) {
        Err(GetResourceOauth2TokenError::ThrottlingException(e)) => {
            println!("parsed error: {e} (request id {:?})", e.meta().request_id());
        }
        other => return Err(format!("unexpected: {other:?}").into()),
    }
    Ok(())
}
