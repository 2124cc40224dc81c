//! Calls Bedrock AgentCore `GetResourceOauth2Token` through a client that
//! `opgen::include_operation!` generates at compile time from the bundled
//! Smithy model.
//!
//! ```text
//! cargo run --example get_resource_oauth2_token                   # against a local stub
//! cargo run --example get_resource_oauth2_token -- --endpoint URL # against a real endpoint
//! cargo run --example get_resource_oauth2_token -- --help
//! ```
//!
//! By default it starts, in this process, a stub of the service on
//! 127.0.0.1 (`stub.rs`) that verifies the SigV4 signature and answers as
//! the service does, then sends:
//!
//! 1. the reference request with every parameter (`USER_FEDERATION`): the
//!    answer is an authorization URL for the user and a session in progress;
//! 2. an `M2M` request: the answer is an access token;
//! 3. an invalid request: the typed `ValidationException`, with its fields;
//! 4. a request signed with the wrong secret: the service's 403, which the
//!    model does not declare, so it arrives as `Unhandled`.
//!
//! It exits with 0 when every answer is the expected one.
//!
//! With `--endpoint URL` (or `AWS_ENDPOINT_URL` set) it calls that endpoint
//! instead, with credentials from `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` and the region from
//! `AWS_REGION` (default `us-east-1`), sends the first request only and
//! prints the result or the error.

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}
mod stub;

use agentcore::{
    GetResourceOauth2TokenError, GetResourceOauth2TokenRequest, GetResourceOauth2TokenResponse,
    Oauth2FlowType, SessionStatus,
};
use opgen::{Client, Config, Credentials};
use std::error::Error as _;
use std::process::ExitCode;

const USAGE: &str = "\
Calls Bedrock AgentCore GetResourceOauth2Token with an opgen-generated client.

usage: get_resource_oauth2_token [OPTIONS]

Without --endpoint (and without AWS_ENDPOINT_URL), starts a local stub of the
service that checks the SigV4 signature, and shows the USER_FEDERATION, M2M
and error paths. Exits with 0 when every answer is as expected.

With an endpoint, sends one request there, signed with the credentials of
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN for the region
AWS_REGION (default us-east-1).

options (defaults are the demo values):
  --endpoint URL         call URL instead of starting the stub
                         (e.g. https://bedrock-agentcore.us-east-1.amazonaws.com)
  --workload-token TOKEN workload identity token (or $AGENTCORE_WORKLOAD_TOKEN)
  --provider NAME        resource credential provider name [github-provider]
  --scope SCOPE          an OAuth scope, repeatable [repo, read:user]
  --flow FLOW            USER_FEDERATION or M2M [USER_FEDERATION]
  --session-uri URI      session to continue [urn:ietf:params:oauth:request_uri:demo-session]
  --return-url URL       callback URL [https://app.example.com/oauth2/callback]
  --help                 this text
";

/// The values of the request, from the command line.
#[derive(Debug)]
struct Args {
    endpoint: Option<String>,
    workload_token: String,
    provider: String,
    scopes: Vec<String>,
    flow: Oauth2FlowType,
    session_uri: String,
    return_url: String,
}

impl Args {
    /// `None` for `--help`.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
        let mut parsed = Args {
            endpoint: None,
            workload_token: std::env::var("AGENTCORE_WORKLOAD_TOKEN")
                .unwrap_or_else(|_| "demo-workload-identity-token".into()),
            provider: "github-provider".into(),
            scopes: Vec::new(),
            flow: Oauth2FlowType::UserFederation,
            session_uri: "urn:ietf:params:oauth:request_uri:demo-session".into(),
            return_url: "https://app.example.com/oauth2/callback".into(),
        };
        while let Some(flag) = args.next() {
            if flag == "--help" || flag == "-h" {
                return Ok(None);
            }
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--endpoint" => parsed.endpoint = Some(value()?),
                "--workload-token" => parsed.workload_token = value()?,
                "--provider" => parsed.provider = value()?,
                "--scope" => parsed.scopes.push(value()?),
                "--flow" => parsed.flow = Oauth2FlowType::from(value()?.to_uppercase().as_str()),
                "--session-uri" => parsed.session_uri = value()?,
                "--return-url" => parsed.return_url = value()?,
                _ => return Err(format!("unknown option `{flag}`")),
            }
        }
        if parsed.scopes.is_empty() {
            parsed.scopes = vec!["repo".into(), "read:user".into()];
        }
        Ok(Some(parsed))
    }
}

/// The reference request: every parameter of the operation.
fn seed_request(args: &Args) -> Result<GetResourceOauth2TokenRequest, opgen::BuildError> {
    GetResourceOauth2TokenRequest::builder()
        .workload_identity_token(&args.workload_token)
        .resource_credential_provider_name(&args.provider)
        .scopes(&args.scopes)
        .oauth2_flow(args.flow.clone())
        .session_uri(&args.session_uri)
        .resource_oauth2_return_url(&args.return_url)
        .force_authentication(true)
        .custom_parameters([
            ("prompt", "consent"),
            ("audience", "https://api.example.com"),
        ])
        .custom_state("csrf-7f3a9c")
        .build()
}

// One thread is enough: the stub and the client are both async and take
// turns on it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(problem) => {
            eprintln!("error: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let endpoint = args.endpoint.clone().or_else(|| {
        std::env::var("AWS_ENDPOINT_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
    });
    let outcome = match endpoint {
        Some(url) => against_endpoint(&url, &args).await,
        None => against_stub(&args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("error: {problem}");
            ExitCode::FAILURE
        }
    }
}

/// Sends the reference request to a real endpoint.
async fn against_endpoint(url: &str, args: &Args) -> Result<(), String> {
    let config = Config::from_env();
    let region = config.region().unwrap_or("us-east-1").to_owned();
    let client = Client::new(
        config
            .to_builder()
            .region(&region)
            .endpoint_url(url)
            .build(),
    );
    println!("calling {url} (region {region})");

    let request = seed_request(args).map_err(|e| e.to_string())?;
    print_request(&request);
    match client.send(request).await {
        Ok(output) => {
            print_response(&output);
            Ok(())
        }
        Err(error) => {
            // The chain says which stage failed and why, down to the cause.
            let mut chain = format!("{error}");
            let mut source = error.source();
            while let Some(cause) = source {
                chain.push_str(&format!("\n  caused by: {cause}"));
                source = cause.source();
            }
            Err(chain)
        }
    }
}

/// Runs the four calls against a local stub and checks every answer.
async fn against_stub(args: &Args) -> Result<(), String> {
    // The documentation's example keys: the stub knows them too.
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    );
    let server = stub::Server::start(stub::agentcore(credentials.clone()))
        .await
        .map_err(|e| format!("cannot start the stub: {e}"))?;
    println!("stub Bedrock AgentCore listening on {}", server.url());
    let config = Config::builder()
        .region(stub::REGION)
        .credentials_provider(credentials)
        .endpoint_url(server.url())
        .build();
    let client = Client::new(config.clone());

    println!("\n== 1. USER_FEDERATION with every parameter ==");
    let request = seed_request(args).map_err(|e| e.to_string())?;
    print_request(&request);
    let output = client
        .send(request)
        .await
        .map_err(|e| format!("the reference request failed: {e}"))?;
    print_response(&output);
    if output.session_status() != Some(&SessionStatus::InProgress)
        || output.authorization_url().is_none()
    {
        return Err("expected an authorization URL and a session IN_PROGRESS".into());
    }

    println!("\n== 2. M2M ==");
    let request = GetResourceOauth2TokenRequest::builder()
        .workload_identity_token(&args.workload_token)
        .resource_credential_provider_name("billing-api")
        .scopes(["invoices:read"])
        .oauth2_flow(Oauth2FlowType::M2m)
        .build()
        .map_err(|e| e.to_string())?;
    print_request(&request);
    let output = client
        .send(request)
        .await
        .map_err(|e| format!("the M2M request failed: {e}"))?;
    print_response(&output);
    if output.access_token().is_none() {
        return Err("expected an access token".into());
    }

    println!("\n== 3. an invalid request: no scopes, a space in the provider name ==");
    let request = GetResourceOauth2TokenRequest::builder()
        .workload_identity_token(&args.workload_token)
        .resource_credential_provider_name("github provider")
        .scopes(Vec::<String>::new())
        .oauth2_flow(Oauth2FlowType::M2m)
        .build()
        .map_err(|e| e.to_string())?;
    match client.send(request).await {
        Err(error) => match error.as_service_error() {
            Some(GetResourceOauth2TokenError::ValidationException(e)) => {
                println!("error: {error}");
                println!("  reason: {}", e.reason());
                for field in e.field_list() {
                    println!("  field {}: {}", field.name(), field.message());
                }
                println!("  request id: {}", e.meta().request_id().unwrap_or("-"));
            }
            _ => return Err(format!("expected a ValidationException, got: {error}")),
        },
        Ok(output) => return Err(format!("expected a ValidationException, got {output:?}")),
    }

    println!("\n== 4. signed with the wrong secret ==");
    let impostor = Client::new(
        config
            .to_builder()
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "not-the-secret", None))
            .build(),
    );
    let request = seed_request(args).map_err(|e| e.to_string())?;
    match impostor.send(request).await {
        // Authentication errors are not in the model: `Unhandled`, with the
        // code and status the service sent.
        Err(error) => match error.as_service_error() {
            Some(GetResourceOauth2TokenError::Unhandled(e))
                if e.meta().code() == Some("InvalidSignatureException") =>
            {
                println!("error: {error}");
            }
            _ => return Err(format!("expected InvalidSignatureException, got: {error}")),
        },
        Ok(output) => return Err(format!("expected a 403, got {output:?}")),
    }

    println!(
        "\nall {} requests answered as expected",
        server.requests().len()
    );
    Ok(())
}

/// The request's members. `Debug` redacts the `@sensitive` ones (the
/// workload token, the custom parameter values, the state), so the others
/// are printed one by one.
fn print_request(request: &GetResourceOauth2TokenRequest) {
    println!("request: POST /identities/oauth2/token");
    let members = [
        (
            "resourceCredentialProviderName",
            request.resource_credential_provider_name(),
        ),
        (
            "oauth2Flow",
            request.oauth2_flow().map(Oauth2FlowType::as_str),
        ),
        ("sessionUri", request.session_uri()),
        (
            "resourceOauth2ReturnUrl",
            request.resource_oauth2_return_url(),
        ),
    ];
    for (name, value) in members {
        if let Some(value) = value {
            println!("  {name}: {value}");
        }
    }
    println!("  scopes: {:?}", request.scopes());
    if let Some(force) = request.force_authentication() {
        println!("  forceAuthentication: {force}");
    }
    if let Some(parameters) = request.custom_parameters() {
        let mut keys: Vec<&str> = parameters.keys().map(String::as_str).collect();
        keys.sort_unstable();
        println!("  customParameters: {keys:?} (values are sensitive)");
    }
    println!("  Debug: {request:?}");
}

/// The response's members. The access token is a secret, so only its
/// length is shown; the authorization URL is what the user must open.
fn print_response(output: &GetResourceOauth2TokenResponse) {
    println!("response:");
    if let Some(status) = output.session_status() {
        println!("  sessionStatus: {status}");
    }
    if let Some(session) = output.session_uri() {
        println!("  sessionUri: {session}");
    }
    if let Some(url) = output.authorization_url() {
        println!("  authorizationUrl: {url}");
    }
    if let Some(token) = output.access_token() {
        println!("  accessToken: ({} characters)", token.len());
    }
    println!("  Debug: {output:?}");
}
