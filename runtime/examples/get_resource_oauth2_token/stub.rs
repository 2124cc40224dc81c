//! A loopback stand-in for the Bedrock AgentCore data plane, so that
//! `GetResourceOauth2Token` can be called without an AWS account.
//!
//! [`Server`] is a small hand-written HTTP/1.1 server on 127.0.0.1 (one
//! request per connection) that records what it receives and answers with
//! whatever its handler says. [`agentcore`] is the handler that plays the
//! service: it verifies the SigV4 signature as AWS does, checks the request
//! against the model's constraints and answers as the service would.
//!
//! `tests/tests/end_to_end.rs` includes this file too (with `#[path]`) and
//! drives the server with its own handlers.

// The example and the end-to-end tests each use a different part of this
// module.
#![allow(dead_code)]

use opgen::sigv4::{sign, SignableBody, SignableRequest, SigningParams, SigningSettings};
use opgen::Credentials;
use serde_json::{json, Map, Value};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The region and signing name the service expects in the credential scope.
pub const REGION: &str = "us-east-1";
pub const SIGNING_NAME: &str = "bedrock-agentcore";

/// Limits that keep a misbehaving client from holding the stub.
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 1024 * 1024;
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// AWS refuses requests signed more than 15 minutes away from its clock.
const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// A request as read off the socket. Header names are lowercase.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response to write. `content-length` and `connection: close` are added
/// when it is written.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a raw body, a content type and a fresh request id.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![
                ("content-type".into(), content_type.into()),
                ("x-amzn-requestid".into(), unique_id()),
            ],
            body: body.into(),
        }
    }

    /// A JSON response.
    pub fn json(status: u16, body: &Value) -> Response {
        Response::raw(status, "application/json", body.to_string())
    }

    /// An AWS error as restJson1 services send it: the code in
    /// `x-amzn-errortype`, `message` and any other members in the body.
    pub fn error(status: u16, code: &str, message: &str, members: Value) -> Response {
        let mut body = match members {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        body.insert("message".into(), message.into());
        Response::json(status, &Value::Object(body)).header("x-amzn-errortype", code)
    }

    /// The same response with header `name` set to `value` (replacing it).
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\n",
            self.status,
            reason_phrase(self.status)
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        // One request per connection keeps the parser simple; `close` stops
        // the client from reusing a connection the stub is about to drop.
        head.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// What the server does with a request.
#[derive(Debug)]
pub enum Reply {
    /// Writes the response, then closes the connection.
    Respond(Response),
    /// Closes the connection without a word.
    Close,
    /// Keeps the connection open and never answers.
    Stall,
}

impl From<Response> for Reply {
    fn from(response: Response) -> Reply {
        Reply::Respond(response)
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A loopback server; stops (with its open connections) when dropped.
pub struct Server {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    task: JoinHandle<()>,
}

impl Server {
    /// Listens on a free port of 127.0.0.1 and answers each request with
    /// `handler`.
    pub async fn start(
        handler: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            // Owned by this task, so aborting it also aborts the connections.
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                while connections.try_join_next().is_some() {}
                connections.spawn(serve(stream, Arc::clone(&handler), Arc::clone(&recorded)));
            }
        });
        Ok(Server {
            url,
            requests,
            task,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, requests: Arc<Mutex<Vec<Request>>>) {
    let request = match tokio::time::timeout(READ_TIMEOUT, read_request(&mut stream)).await {
        Ok(Ok(request)) => request,
        Ok(Err(problem)) => {
            let response = Response::raw(400, "text/plain", problem);
            let _ = stream.write_all(&response.to_bytes()).await;
            return;
        }
        Err(_elapsed) => return,
    };
    // Recorded before the handler runs, so that a test sees the request even
    // if its handler panics.
    requests
        .lock()
        .expect("requests lock")
        .push(request.clone());
    match handler(&request) {
        Reply::Respond(response) => {
            // The client may already have given up; nothing to do then.
            let _ = stream.write_all(&response.to_bytes()).await;
            let _ = stream.shutdown().await;
        }
        Reply::Close => drop(stream),
        Reply::Stall => std::future::pending::<()>().await,
    }
}

/// Reads one HTTP/1.1 request with a `content-length` body (what the opgen
/// client sends); anything else is an error message for a 400.
async fn read_request(stream: &mut TcpStream) -> Result<Request, String> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if data.len() > MAX_HEAD {
            return Err("request head too large".into());
        }
        let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the end of the request head".into());
        }
        data.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&data[..head_end]).map_err(|_| "request head is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let (method, target) = match request_line.split(' ').collect::<Vec<_>>()[..] {
        [method, target, "HTTP/1.1"] => (method.to_owned(), target.to_owned()),
        _ => return Err(format!("bad request line `{request_line}`")),
    };
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line `{line}`"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut request = Request {
        method,
        target,
        headers,
        body: data[head_end + 4..].to_vec(),
    };
    if request.header("transfer-encoding").is_some() {
        return Err("only content-length bodies are supported".into());
    }
    let length: usize = match request.header("content-length") {
        Some(value) => value.parse().map_err(|_| "bad content-length")?,
        None => 0,
    };
    if length > MAX_BODY {
        return Err("request body too large".into());
    }
    while request.body.len() < length {
        let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed in the request body".into());
        }
        request.body.extend_from_slice(&chunk[..n]);
    }
    request.body.truncate(length);
    Ok(request)
}

/// Why the service refused a request's authentication: a 403 with `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFailure {
    pub code: &'static str,
    pub message: String,
}

impl AuthFailure {
    fn new(code: &'static str, message: impl Into<String>) -> AuthFailure {
        AuthFailure {
            code,
            message: message.into(),
        }
    }

    /// The 403 the service sends. These codes are not modeled for the
    /// operation, so the client sees them as `Unhandled`.
    pub fn response(&self) -> Response {
        Response::error(403, self.code, &self.message, json!({}))
    }
}

/// Checks the SigV4 signature of `request` the way AWS does: the scope
/// (access key, date, region, service), the clock skew, the session token,
/// then the signature itself, recomputed from the method, target, signed
/// headers and body.
pub fn verify_signature(
    request: &Request,
    credentials: &Credentials,
    now: SystemTime,
) -> Result<(), AuthFailure> {
    let incomplete = |what: &str| AuthFailure::new("IncompleteSignatureException", what);
    let authorization = request.header("authorization").ok_or_else(|| {
        AuthFailure::new(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        )
    })?;
    let fields = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or_else(|| incomplete("Unsupported authorization type"))?;
    let field = |name: &str| {
        fields
            .split(',')
            .find_map(|part| part.trim().strip_prefix(name)?.strip_prefix('='))
            .ok_or_else(|| incomplete(&format!("Authorization header requires '{name}' parameter")))
    };
    let (credential, signed_headers, signature) = (
        field("Credential")?,
        field("SignedHeaders")?,
        field("Signature")?,
    );

    let [access_key, date, region, service, "aws4_request"] =
        credential.split('/').collect::<Vec<_>>()[..]
    else {
        return Err(incomplete(
            "Credential is not access-key/date/region/service/aws4_request",
        ));
    };
    if access_key != credentials.access_key_id() {
        return Err(AuthFailure::new(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ));
    }
    if region != REGION {
        return Err(AuthFailure::new(
            "InvalidSignatureException",
            format!("Credential should be scoped to a valid region, not '{region}'."),
        ));
    }
    if service != SIGNING_NAME {
        return Err(AuthFailure::new(
            "InvalidSignatureException",
            format!("Credential should be scoped to correct service: '{SIGNING_NAME}'."),
        ));
    }

    let amz_date = request.header("x-amz-date").ok_or_else(|| {
        incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    let signed_at = parse_amz_date(amz_date)
        .ok_or_else(|| incomplete(&format!("Invalid X-Amz-Date '{amz_date}'")))?;
    if !amz_date.starts_with(date) {
        return Err(AuthFailure::new(
            "InvalidSignatureException",
            format!("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{date}' != '{amz_date}'"),
        ));
    }
    let skew = now
        .duration_since(signed_at)
        .or_else(|_| signed_at.duration_since(now))
        .unwrap_or_default();
    if skew > MAX_CLOCK_SKEW {
        return Err(AuthFailure::new(
            "InvalidSignatureException",
            format!("Signature expired: {amz_date} is more than 15 minutes away from the server's clock."),
        ));
    }
    if request.header("x-amz-security-token") != credentials.session_token() {
        return Err(AuthFailure::new(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ));
    }
    let signed: Vec<&str> = signed_headers.split(';').collect();
    if !signed.contains(&"host") || !signed.contains(&"x-amz-date") {
        return Err(incomplete("'Host' and 'X-Amz-Date' must be signed"));
    }

    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(name, _)| signed.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let params = SigningParams {
        credentials,
        region: REGION,
        service: SIGNING_NAME,
        time: signed_at,
        settings: SigningSettings::default(),
    };
    let signable = SignableRequest {
        method: &request.method,
        uri: &request.target,
        headers: &headers,
        body: SignableBody::Bytes(&request.body),
    };
    let expected = sign(&signable, &params)
        .map_err(|e| AuthFailure::new("InvalidSignatureException", e.to_string()))?;
    if expected.signature() != signature {
        return Err(AuthFailure::new(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. \
             Consult the service documentation for details.",
        ));
    }
    Ok(())
}

/// The service: a handler that answers `GetResourceOauth2Token` for a
/// caller signing with `credentials`.
///
/// - `USER_FEDERATION`: 200 with an authorization URL and a new session,
///   `IN_PROGRESS` (there is no user here to complete the consent, so a
///   session never turns into a token);
/// - `M2M`: 200 with an access token;
/// - a request that breaks the model's constraints: 400
///   `ValidationException` naming each field;
/// - a bad signature: 403 (`InvalidSignatureException` and friends).
pub fn agentcore(credentials: Credentials) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
    move |request| Reply::Respond(answer(request, &credentials))
}

fn answer(request: &Request, credentials: &Credentials) -> Response {
    if let Err(failure) = verify_signature(request, credentials, SystemTime::now()) {
        return failure.response();
    }
    let path = request.target.split('?').next().unwrap_or_default();
    if (request.method.as_str(), path) != ("POST", "/identities/oauth2/token") {
        return Response::error(
            404,
            "UnknownOperationException",
            &format!("No operation at {} {path}", request.method),
            json!({}),
        );
    }
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(body)) => body,
        _ => return validation_error("CannotParse", &[]),
    };
    let problems = validate(&body);
    if !problems.is_empty() {
        return validation_error("FieldValidationFailed", &problems);
    }

    let provider = body["resourceCredentialProviderName"]
        .as_str()
        .unwrap_or_default();
    match body["oauth2Flow"].as_str() {
        Some("M2M") => Response::json(
            200,
            &json!({ "accessToken": format!("stub-m2m-token-{provider}-{}", unique_id()) }),
        ),
        _ => {
            let session = format!("urn:ietf:params:oauth:request_uri:{}", unique_id());
            // Points at the stub itself, which does not serve it: there is
            // no consent page here.
            let host = request.header("host").unwrap_or("localhost");
            let authorization_url = format!(
                "http://{host}/identities/oauth2/authorize?request_uri={}",
                session.replace(':', "%3A")
            );
            Response::json(
                200,
                &json!({
                    "authorizationUrl": authorization_url,
                    "sessionUri": session,
                    "sessionStatus": "IN_PROGRESS",
                }),
            )
        }
    }
}

/// One field of the request that breaks a constraint.
struct FieldProblem {
    name: String,
    constraint: String,
}

fn validation_error(reason: &str, problems: &[FieldProblem]) -> Response {
    let message = if problems.is_empty() {
        "Could not parse the request body as a JSON object".to_owned()
    } else {
        // Values are never echoed: several members are sensitive.
        let details: Vec<String> = problems
            .iter()
            .map(|p| {
                format!(
                    "Value at '{}' failed to satisfy constraint: {}",
                    p.name, p.constraint
                )
            })
            .collect();
        let count = problems.len();
        let plural = if count == 1 { "" } else { "s" };
        format!(
            "{count} validation error{plural} detected: {}",
            details.join("; ")
        )
    };
    let field_list: Vec<Value> = problems
        .iter()
        .map(|p| json!({ "name": p.name, "message": p.constraint }))
        .collect();
    Response::error(
        400,
        "ValidationException",
        &message,
        json!({ "reason": reason, "fieldList": field_list }),
    )
    // Real services append the Coral namespace; the client strips it.
    .header(
        "x-amzn-errortype",
        "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
    )
}

/// A `@pattern` of the model and a hand-written matcher for it (the stub
/// does without a regex engine).
type Pattern = (&'static str, fn(&str) -> bool);

const PROVIDER_NAME: Pattern = ("^[a-zA-Z0-9\\-_]+$", |v| {
    v.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
});
const RETURN_URL: Pattern = ("^\\w+:(\\/?\\/?)[^\\s]+$", |v| {
    v.split_once(':').is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !rest.trim_start_matches('/').is_empty()
            && !rest.chars().any(char::is_whitespace)
    })
});
const SESSION_URI: Pattern = (
    "^urn:ietf:params:oauth:request_uri:[a-zA-Z0-9-._~]+$",
    |v| {
        v.strip_prefix("urn:ietf:params:oauth:request_uri:")
            .is_some_and(|id| {
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
            })
    },
);
const CUSTOM_KEY: Pattern = ("^[a-zA-Z0-9\\-_\\.]+$", |v| {
    v.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
});

/// The constraints of `GetResourceOauth2TokenRequest` in the model (required
/// members, types, lengths, patterns, enum values), plus one of the stub's:
/// `scopes` must not be empty, as there would be nothing to ask for.
fn validate(body: &Map<String, Value>) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let strings: [(&str, bool, usize, usize, Option<Pattern>); 5] = [
        ("workloadIdentityToken", true, 1, 131_072, None),
        (
            "resourceCredentialProviderName",
            true,
            1,
            128,
            Some(PROVIDER_NAME),
        ),
        ("sessionUri", false, 1, 1024, Some(SESSION_URI)),
        ("resourceOauth2ReturnUrl", false, 1, 2048, Some(RETURN_URL)),
        ("customState", false, 1, 4096, None),
    ];
    for (name, required, min, max, pattern) in strings {
        let constraint = match body.get(name) {
            None | Some(Value::Null) if required => Some("Member must not be null".to_owned()),
            None | Some(Value::Null) => None,
            Some(Value::String(value)) => string_problem(value, min, max, pattern),
            Some(_) => Some("Member must be a string".to_owned()),
        };
        problems.extend(constraint.map(|constraint| FieldProblem {
            name: name.to_owned(),
            constraint,
        }));
    }

    let mut problem = |name: &str, constraint: &str| {
        problems.push(FieldProblem {
            name: name.to_owned(),
            constraint: constraint.to_owned(),
        })
    };
    match body.get("scopes") {
        None | Some(Value::Null) => problem("scopes", "Member must not be null"),
        Some(Value::Array(scopes)) if scopes.is_empty() => problem(
            "scopes",
            "Member must have length greater than or equal to 1",
        ),
        Some(Value::Array(scopes)) => {
            for (i, scope) in scopes.iter().enumerate() {
                let constraint = match scope.as_str() {
                    Some(scope) => string_problem(scope, 1, 128, None),
                    None => Some("Member must be a string".to_owned()),
                };
                if let Some(constraint) = constraint {
                    problem(&format!("scopes.{}.member", i + 1), &constraint);
                }
            }
        }
        Some(_) => problem("scopes", "Member must be a list"),
    }
    match body.get("oauth2Flow") {
        None | Some(Value::Null) => problem("oauth2Flow", "Member must not be null"),
        Some(Value::String(flow)) if flow == "USER_FEDERATION" || flow == "M2M" => {}
        Some(_) => problem(
            "oauth2Flow",
            "Member must satisfy enum value set: [USER_FEDERATION, M2M]",
        ),
    }
    match body.get("forceAuthentication") {
        None | Some(Value::Null | Value::Bool(_)) => {}
        Some(_) => problem("forceAuthentication", "Member must be a boolean"),
    }
    match body.get("customParameters") {
        None | Some(Value::Null) => {}
        Some(Value::Object(parameters)) => {
            for (key, value) in parameters {
                let name = format!("customParameters.{key}");
                if let Some(constraint) = string_problem(key, 1, 256, Some(CUSTOM_KEY)) {
                    problem(
                        &name,
                        &format!("Map keys must satisfy constraint: {constraint}"),
                    );
                }
                let constraint = match value.as_str() {
                    Some(value) => string_problem(value, 1, 2048, None),
                    None => Some("Member must be a string".to_owned()),
                };
                if let Some(constraint) = constraint {
                    problem(&name, &constraint);
                }
            }
        }
        Some(_) => problem("customParameters", "Member must be a map"),
    }
    problems
}

/// The `@length` (in Unicode scalar values, as Smithy counts) or
/// `@pattern` constraint that `value` breaks, if any.
fn string_problem(value: &str, min: usize, max: usize, pattern: Option<Pattern>) -> Option<String> {
    let length = value.chars().count();
    if length < min {
        return Some(format!(
            "Member must have length greater than or equal to {min}"
        ));
    }
    if length > max {
        return Some(format!(
            "Member must have length less than or equal to {max}"
        ));
    }
    let (pattern, matches) = pattern?;
    (!matches(value)).then(|| format!("Member must satisfy regular expression pattern: {pattern}"))
}

/// `20150830T123600Z` as a `SystemTime`.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let basic = text.as_bytes();
    if basic.len() != 16 || basic[8] != b'T' || basic[15] != b'Z' {
        return None;
    }
    // The same instant in RFC 3339, which opgen's DateTime parses.
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    let time = opgen::DateTime::parse_date_time(&rfc3339)?;
    let seconds = u64::try_from(time.secs()).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(seconds))
}

/// A UUID-shaped id, unique within the process (request ids, sessions).
pub fn unique_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |salt: u64| {
        // `RandomState` is randomly keyed; the counter keeps ids distinct.
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(count);
        hasher.write_u64(salt);
        hasher.finish()
    };
    let hex = format!("{:016x}{:016x}", half(0), half(1));
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}
