//! URI labels on the wire: what the server receives is what was built and
//! signed, for every character a label can hold.
//!
//! The danger is the URL parser of the HTTP stack: it resolves `.` and `..`
//! segments, so a label `..` in `DELETE /things/{id}` would otherwise reach
//! the server as a correctly signed `DELETE /`. Each request goes through
//! the real client (reqwest) to a loopback server that records the request
//! target as read off the socket.

mod things {
    opgen::include_operation!("DeleteThing", "GetObject", model = "ui/models/labels.json");
}

#[path = "../../runtime/examples/get_resource_oauth2_token/stub.rs"]
mod stub;

use bytes::Bytes;
use opgen::sigv4::{sign, SignableBody, SignableRequest, SigningParams, SigningSettings};
use opgen::{
    BuildError, Client, Config, Credentials, Error, HttpClient, HttpClientFuture, ReqwestHttpClient,
};
use serde_json::json;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use stub::{Reply, Response, Server};
use things::*;

/// No test waits longer than this, whatever the client or server does.
const BOUND: Duration = Duration::from_secs(60);

async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, test)
        .await
        .expect("the test did not finish within the bound")
}

fn credentials() -> Credentials {
    Credentials::new("AKIDEXAMPLE", "label-secret", None)
}

/// The request as the client handed it to the HTTP stack: built and signed.
#[derive(Debug, Clone)]
struct Signed {
    method: String,
    path_and_query: String,
    headers: Vec<(String, String)>,
}

/// The real client, recording each request it is given.
#[derive(Debug)]
struct Recording {
    inner: ReqwestHttpClient,
    sent: Arc<Mutex<Vec<Signed>>>,
}

impl HttpClient for Recording {
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
        let headers = request
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
            .collect();
        self.sent.lock().unwrap().push(Signed {
            method: request.method().as_str().to_owned(),
            path_and_query: request.uri().path_and_query().unwrap().as_str().to_owned(),
            headers,
        });
        self.inner.call(request)
    }
}

struct Harness {
    server: Server,
    client: Client,
    sent: Arc<Mutex<Vec<Signed>>>,
}

async fn harness() -> Harness {
    let server = Server::start(|_| Reply::Respond(Response::json(200, &json!({}))))
        .await
        .expect("start the server");
    let sent = Arc::new(Mutex::new(Vec::new()));
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials_provider(credentials())
            .endpoint_url(server.url())
            .retry_config(opgen::RetryConfig::disabled())
            .http_client(Recording {
                inner: ReqwestHttpClient::new().expect("the HTTP client"),
                sent: Arc::clone(&sent),
            })
            .build(),
    );
    Harness {
        server,
        client,
        sent,
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no `{name}` header in {headers:?}"))
}

/// Signs `method target` with the signed headers of `signed` at its
/// `x-amz-date`, under `settings`; returns the canonical request and the
/// signature.
fn resign(signed: &Signed, target: &str, settings: SigningSettings) -> (String, String) {
    let authorization = header(&signed.headers, "authorization");
    let names: Vec<&str> = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("SignedHeaders")
        .split(';')
        .collect();
    let headers: Vec<(&str, &str)> = signed
        .headers
        .iter()
        .filter(|(n, _)| names.contains(&n.as_str()))
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let amz_date = header(&signed.headers, "x-amz-date");
    let params = SigningParams {
        credentials: &credentials(),
        region: "us-east-1",
        service: "things",
        time: parse_amz_date(amz_date),
        settings,
    };
    let request = SignableRequest {
        method: &signed.method,
        uri: target,
        headers: &headers,
        body: SignableBody::Bytes(b""),
    };
    let output = sign(&request, &params).expect("sign");
    (
        output.canonical_request().to_owned(),
        output.signature().to_owned(),
    )
}

/// `20240102T030405Z` as a time.
fn parse_amz_date(text: &str) -> SystemTime {
    let n = |range: std::ops::Range<usize>| text[range].parse::<u64>().unwrap();
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + n(9..11) * 3600 + n(11..13) * 60 + n(13..15);
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// The second line of a canonical request.
fn canonical_uri(canonical_request: &str) -> &str {
    canonical_request
        .lines()
        .nth(1)
        .expect("canonical URI line")
}

/// Sends one request through `harness` and checks that the path the server
/// received is the one the builder produced, and that the signature covers
/// exactly that path: it verifies against the received target, and signing
/// normalizes nothing away (no dot segment survived into the path).
async fn check_sent(
    harness: &Harness,
    label: &str,
    call: impl Future<Output = Result<(), Error<String>>>,
) {
    let before = harness.server.requests().len();
    call.await
        .unwrap_or_else(|e| panic!("label {label:?}: the call failed: {e:?}"));
    let received = harness.server.requests();
    assert_eq!(received.len(), before + 1, "label {label:?}");
    let received = received.last().unwrap();
    let signed = harness.sent.lock().unwrap().last().cloned().unwrap();

    assert_eq!(
        received.target, signed.path_and_query,
        "label {label:?}: the server got another path than the one built"
    );
    let (canonical, signature) = resign(&signed, &received.target, SigningSettings::default());
    assert!(
        header(&signed.headers, "authorization").ends_with(&format!("Signature={signature}")),
        "label {label:?}: the signature does not cover {:?}",
        received.target
    );
    let unnormalized = SigningSettings {
        normalize_path: false,
        ..SigningSettings::default()
    };
    let (as_sent, _) = resign(&signed, &received.target, unnormalized);
    // Normalization also folds duplicate slashes, which a greedy label may
    // hold; those reach the server as built, so only dot segments matter.
    if !received.target.contains("//") {
        assert_eq!(
            canonical_uri(&canonical),
            canonical_uri(&as_sent),
            "label {label:?}: the signed path is not the path sent"
        );
    }
}

/// Every label the tests try: each single character U+0000..=U+00FF (so
/// every byte value, as UTF-8 where it is not ASCII), then dot forms.
fn labels() -> Vec<String> {
    let mut labels: Vec<String> = (0u8..=0xFF).map(|b| char::from(b).to_string()).collect();
    labels.extend(
        [
            ".", "..", "...", ".a", "a.", "a..b", "%2e", "%2E%2E", "\\..", ".\\",
        ]
        .map(String::from),
    );
    labels
}

fn is_dot_segment(segment: &str) -> bool {
    segment == "." || segment == ".."
}

fn assert_names_member(error: &Error<String>, member: &str, label: &str) {
    match error {
        Error::Build(e) => {
            assert_eq!(e.member(), Some(member), "label {label:?}: {e}");
            assert!(
                e.to_string().contains("segment"),
                "label {label:?}: the reason is not given: {e}"
            );
        }
        other => panic!("label {label:?}: expected a build error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_plain_label_reaches_the_server_as_built_and_signed() {
    bounded(async {
        let harness = harness().await;
        let mut refused = 0;
        for label in labels() {
            let input = DeleteThingInput::builder().id(&label).build().unwrap();
            let call = async {
                harness
                    .client
                    .send(input)
                    .await
                    .map(drop)
                    .map_err(|e| e.map_service_error(|e| e.to_string()))
            };
            if is_dot_segment(&label) {
                let error = call.await.expect_err("a dot segment is refused");
                assert_names_member(&error, "id", &label);
                refused += 1;
            } else {
                check_sent(&harness, &label, call).await;
            }
        }
        // `.` is in the byte range and among the dot forms.
        assert_eq!(refused, 3, "the refused labels");
        assert_eq!(
            harness.server.requests().len(),
            labels().len() - refused,
            "a refused label reached the server"
        );
    })
    .await;
}

#[tokio::test]
async fn a_greedy_label_reaches_the_server_as_built_and_signed() {
    bounded(async {
        let harness = harness().await;
        let mut keys: Vec<String> = labels().iter().map(|l| format!("a/{l}/b")).collect();
        keys.extend(
            [
                "a/./b", "a/../b", "../x", "./x", "x/..", "x/.", "/..", "a//b", "a/b/", "/lead",
                "a/.../b", "a/.b/c",
            ]
            .map(String::from),
        );
        let keys_len = keys.len();
        let mut refused = 0;
        for key in keys {
            let input = GetObjectInput::builder().key(&key).build().unwrap();
            let call = async {
                harness
                    .client
                    .send(input)
                    .await
                    .map(drop)
                    .map_err(|e| e.map_service_error(|e| e.to_string()))
            };
            if key.split('/').any(is_dot_segment) {
                let error = call.await.expect_err("a dot segment is refused");
                assert_names_member(&error, "key", &key);
                refused += 1;
            } else {
                check_sent(&harness, &key, call).await;
            }
        }
        // `a/{l}/b` for the three dot labels, and seven of the others.
        assert_eq!(refused, 3 + 7, "the refused keys");
        assert_eq!(
            harness.server.requests().len(),
            keys_len - refused,
            "a refused key reached the server"
        );
    })
    .await;
}

#[test]
fn a_dot_segment_label_is_a_build_error_naming_the_member() {
    use opgen::Operation;
    let endpoint = opgen::Endpoint::new("https://things.example.com");
    for id in [".", ".."] {
        let input = DeleteThingInput::builder().id(id).build().unwrap();
        let error: BuildError = DeleteThing::serialize(&input, &endpoint).unwrap_err();
        assert_eq!(error.member(), Some("id"));
        assert_eq!(error.shape(), Some("DeleteThingInput"));
    }
    for key in ["..", "a/../b", "a/./b", "a/.."] {
        let input = GetObjectInput::builder().key(key).build().unwrap();
        let error = GetObject::serialize(&input, &endpoint).unwrap_err();
        assert_eq!(error.member(), Some("key"), "{key:?}");
    }
    for key in ["a//b", "...", "a/.b", "b./c"] {
        let input = GetObjectInput::builder().key(key).build().unwrap();
        assert!(GetObject::serialize(&input, &endpoint).is_ok(), "{key:?}");
    }
}
