//! URI labels on the wire: what the server receives is what was built and
//! signed, for every character a label can hold.
//!
//! The danger is the URL parser of the HTTP stack: it resolves `.` and `..`
//! segments, so a label `..` in `DELETE /things/{id}` would otherwise reach
//! the server as a correctly signed `DELETE /`. Each request goes through
//! the real client (hyper) to a loopback server that records the request
//! target as read off the socket.

mod things {
    opgen::include_operation!("DeleteThing", "GetObject", model = "ui/models/labels.json");
}

#[path = "../../runtime/examples/get_resource_oauth2_token/stub.rs"]
mod stub;

use bytes::Bytes;
use opgen::{
    BuildError, Client, Config, Credentials, DefaultHttpClient, Error, HttpClient,
    HttpClientFuture, Operation, OperationInput,
};
use serde_json::json;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
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

/// The real client, recording the path and query of each request it is
/// given: what the builder produced, as signed.
#[derive(Debug)]
struct Recording {
    inner: DefaultHttpClient,
    built: Arc<Mutex<Vec<String>>>,
}

impl HttpClient for Recording {
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
        let target = request.uri().path_and_query().unwrap().as_str().to_owned();
        self.built.lock().unwrap().push(target);
        self.inner.call(request)
    }
}

struct Harness {
    server: Server,
    client: Client,
    built: Arc<Mutex<Vec<String>>>,
}

async fn harness() -> Harness {
    let server = Server::start(|_| Reply::Respond(Response::json(200, &json!({}))))
        .await
        .expect("start the server");
    let built = Arc::new(Mutex::new(Vec::new()));
    let client = Client::new(
        Config::builder()
            // The stub verifies signatures for this region and service.
            .region(stub::REGION)
            .credentials_provider(credentials())
            .endpoint_url(server.url())
            .retry_config(opgen::RetryConfig::disabled())
            .http_client(Recording {
                inner: DefaultHttpClient::new().expect("the HTTP client"),
                built: Arc::clone(&built),
            })
            .build(),
    );
    Harness {
        server,
        client,
        built,
    }
}

fn is_dot_segment(segment: &str) -> bool {
    segment == "." || segment == ".."
}

/// Sends `input`, whose label member `member` is `label`. A label with a
/// dot segment must be refused before anything is sent, with a build error
/// naming the member; any other must reach the server as built, with a
/// signature that verifies against the path received. Since signing
/// normalizes dot segments away, the signed path is the path sent only when
/// the path has none, which is checked too. Returns whether it was refused.
async fn check<I: OperationInput>(harness: &Harness, input: I, member: &str, label: &str) -> bool
where
    <I::Operation as Operation>::Output: std::fmt::Debug,
{
    let before = harness.server.requests().len();
    let result = harness.client.send(input).await;
    let received = harness.server.requests();
    // Splitting at `/` is right for plain labels too: none of those tried
    // has a `/` beside a dot.
    if label.split('/').any(is_dot_segment) {
        match result {
            Err(Error::Build(e)) => {
                assert_eq!(e.member(), Some(member), "label {label:?}: {e}");
                assert!(e.to_string().contains("segment"), "label {label:?}: {e}");
            }
            other => panic!("label {label:?}: expected a build error, got {other:?}"),
        }
        assert_eq!(received.len(), before, "label {label:?} was sent");
        return true;
    }
    if let Err(e) = result {
        panic!("label {label:?}: the call failed: {e:?}");
    }
    assert_eq!(received.len(), before + 1, "label {label:?}");
    let received = received.last().unwrap();
    let built = harness.built.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        received.target, built,
        "label {label:?}: the server got another path than the one built"
    );
    if let Err(failure) = stub::verify_signature(received, &credentials(), SystemTime::now()) {
        panic!("label {label:?}: signature refused for {received:?}: {failure:?}");
    }
    let path = received.target.split('?').next().unwrap();
    assert!(
        !path.split('/').any(is_dot_segment),
        "label {label:?}: the signed path differs from {path:?}"
    );
    false
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

#[tokio::test]
async fn a_plain_label_reaches_the_server_as_built_and_signed() {
    bounded(async {
        let harness = harness().await;
        let mut refused = 0;
        for label in labels() {
            let input = DeleteThingInput::builder().id(&label).build().unwrap();
            refused += usize::from(check(&harness, input, "id", &label).await);
        }
        // `.` is in the byte range and among the dot forms.
        assert_eq!(refused, 3, "the refused labels");
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
        let mut refused = 0;
        for key in keys {
            let input = GetObjectInput::builder().key(&key).build().unwrap();
            refused += usize::from(check(&harness, input, "key", &key).await);
        }
        // `a/{l}/b` for the three dot labels, and seven of the others.
        assert_eq!(refused, 3 + 7, "the refused keys");
    })
    .await;
}

#[test]
fn a_dot_segment_label_is_a_build_error_naming_the_member() {
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
