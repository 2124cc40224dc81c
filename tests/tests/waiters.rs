//! Waiters against a scripted HTTP client, on tokio's paused clock (the
//! waiter sleeps on it, so hours of waiting take no time): success after
//! retries, `failure` acceptors, `errorType` acceptors (DynamoDB
//! `TableNotExists`, S3 `ObjectNotExists`), `allStringEquals` and
//! `anyStringEquals` over a projection, `inputOutput`, filters, the
//! delays between `minDelay` and `maxDelay`, and `max_wait` running out.
//!
//! The hand-made model is `ui/models/waiters.json`; the real ones are in
//! `../shared/models/protocols` beside the workspace, and `build.rs` sets
//! `cfg(opgen_shared_protocols)` only when it is there.

use bytes::Bytes;
use opgen::{
    AcceptorState, Client, Config, Credentials, HttpClient, HttpClientFuture, WaiterError,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

mod waits {
    opgen::include_operation!("GetFleet", model = "ui/models/waiters.json");
}

#[cfg(opgen_shared_protocols)]
mod dynamodb {
    opgen::include_operation!(
        "DescribeTable",
        "DescribeKinesisStreamingDestination",
        model = "../../shared/models/protocols/dynamodb-2012-08-10.json"
    );
}

#[cfg(opgen_shared_protocols)]
mod s3 {
    opgen::include_operation!(
        "HeadObject",
        model = "../../shared/models/protocols/s3-2006-03-01.json"
    );
}

/// Answers the `n`th request (from 0) with `responses[n]` (the last one
/// again after the end), recording when each request came on tokio's
/// clock and its body.
#[derive(Debug, Clone)]
struct Scripted {
    responses: Arc<Vec<(u16, String)>>,
    requests: Arc<Mutex<Vec<(Instant, String)>>>,
}

impl HttpClient for Scripted {
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
        let mut requests = self.requests.lock().unwrap();
        let n = requests.len().min(self.responses.len() - 1);
        let body = String::from_utf8_lossy(request.body()).into_owned();
        requests.push((Instant::now(), body));
        let (status, body) = self.responses[n].clone();
        let response = http::Response::builder()
            .status(status)
            .header("content-type", "application/x-amz-json-1.0")
            .body(Bytes::from(body))
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

type Requests = Arc<Mutex<Vec<(Instant, String)>>>;

fn scripted(responses: &[(u16, &str)]) -> (Client, Requests) {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None))
            .endpoint_url("https://waits.invalid")
            .retry_config(opgen::RetryConfig::disabled())
            .http_client(Scripted {
                responses: Arc::new(responses.iter().map(|(s, b)| (*s, b.to_string())).collect()),
                requests: Arc::clone(&requests),
            })
            .build(),
    );
    (client, requests)
}

/// The gaps between consecutive requests.
fn gaps(requests: &Requests) -> Vec<Duration> {
    let requests = requests.lock().unwrap();
    requests.windows(2).map(|w| w[1].0 - w[0].0).collect()
}

fn fleet_input(expected: i32) -> waits::GetFleetInput {
    waits::GetFleetInput::builder()
        .fleet_id("f-1")
        .expected_count(expected)
        .build()
        .unwrap()
}

const NOT_FOUND: (u16, &str) = (
    400,
    r#"{"__type":"example.waits#FleetNotFound","message":"no fleet"}"#,
);
const PENDING: (u16, &str) = (
    200,
    r#"{"fleet":{"status":"ACTIVE","nodes":[{"state":"running"},{"state":"pending"}]}}"#,
);
const RUNNING: (u16, &str) = (
    200,
    r#"{"fleet":{"status":"ACTIVE","nodes":[{"state":"running"},{"state":"running"}]}}"#,
);

#[tokio::test(start_paused = true)]
async fn success_after_retries_with_delays_within_min_and_max() {
    // Not found, then some nodes pending, then all running.
    let (client, requests) = scripted(&[NOT_FOUND, NOT_FOUND, PENDING, PENDING, PENDING, RUNNING]);
    let done =
        waits::GetFleet::wait_until_fleet_ready(&client, fleet_input(2), Duration::from_secs(600))
            .await
            .unwrap();
    assert_eq!(done.attempts(), 6);
    assert_eq!(done.acceptor().index(), 0);
    assert_eq!(done.acceptor().waiter(), "FleetReady");
    assert_eq!(done.acceptor().state(), AcceptorState::Success);
    assert_eq!(
        done.acceptor().matcher(),
        "output `fleet.nodes[].state` allStringEquals `running`"
    );
    assert_eq!(done.output().unwrap().fleet().unwrap().nodes().len(), 2);
    assert!(done.error().is_none());
    // FleetReady: minDelay 1 s, maxDelay 8 s; the ceiling doubles from 1 s.
    let gaps = gaps(&requests);
    assert_eq!(gaps.len(), 5);
    for (attempt, gap) in gaps.iter().enumerate() {
        let ceiling = Duration::from_secs((1u64 << attempt).min(8));
        assert!(
            *gap >= Duration::from_secs(1) && *gap <= ceiling,
            "attempt {}: {gap:?} not within 1 s ..= {ceiling:?}",
            attempt + 1
        );
    }
    assert_eq!(done.elapsed(), gaps.iter().sum::<Duration>());
}

#[tokio::test(start_paused = true)]
async fn any_string_equals_over_a_projection_fails_the_wait() {
    let failed =
        r#"{"fleet":{"status":"ACTIVE","nodes":[{"state":"running"},{"state":"failed"}]}}"#;
    let (client, requests) = scripted(&[PENDING, (200, failed)]);
    let error =
        waits::GetFleet::wait_until_fleet_ready(&client, fleet_input(2), Duration::from_secs(600))
            .await
            .unwrap_err();
    let WaiterError::Failure {
        acceptor,
        result,
        attempts,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((acceptor.index(), *attempts), (1, 2));
    assert_eq!(acceptor.state(), AcceptorState::Failure);
    assert!(result.is_ok());
    assert_eq!(requests.lock().unwrap().len(), 2);
    assert_eq!(
        error.to_string(),
        "the wait failed: acceptor 1 of waiter FleetReady (output `fleet.nodes[].state` anyStringEquals `failed`) matched"
    );
}

#[tokio::test(start_paused = true)]
async fn all_string_equals_needs_a_non_empty_list_and_enums_compare_by_wire_string() {
    // No nodes: allStringEquals does not match an empty list; the enum
    // status `DELETED` matches the failure acceptor by its wire string.
    let deleted = r#"{"fleet":{"status":"DELETED","nodes":[]}}"#;
    let (client, _) = scripted(&[(200, deleted)]);
    let error =
        waits::GetFleet::wait_until_fleet_ready(&client, fleet_input(2), Duration::from_secs(60))
            .await
            .unwrap_err();
    assert!(
        matches!(&error, WaiterError::Failure { acceptor, .. } if acceptor.index() == 2),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn error_type_acceptor_succeeds_on_the_error() {
    let (client, _) = scripted(&[RUNNING, RUNNING, NOT_FOUND]);
    let done =
        waits::GetFleet::wait_until_fleet_gone(&client, fleet_input(0), Duration::from_secs(600))
            .await
            .unwrap();
    assert_eq!(done.attempts(), 3);
    assert_eq!(
        done.acceptor().matcher(),
        "errorType `example.waits#FleetNotFound`"
    );
    let error = done.error().unwrap().as_service_error().unwrap();
    assert!(
        matches!(error, waits::GetFleetError::FleetNotFound(_)),
        "{error:?}"
    );
    assert!(done.output().is_none());
}

#[tokio::test(start_paused = true)]
async fn boolean_equals_reads_a_boolean_member() {
    let (client, _) = scripted(&[(200, r#"{"fleet":{"ready":false}}"#)]);
    let error =
        waits::GetFleet::wait_until_fleet_gone(&client, fleet_input(0), Duration::from_secs(600))
            .await
            .unwrap_err();
    assert!(
        matches!(&error, WaiterError::Failure { acceptor, .. } if acceptor.index() == 1),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_error_no_acceptor_matches_ends_the_wait() {
    let (client, requests) = scripted(&[PENDING, (500, r#"{"__type":"InternalFailure"}"#)]);
    let error =
        waits::GetFleet::wait_until_fleet_ready(&client, fleet_input(2), Duration::from_secs(600))
            .await
            .unwrap_err();
    let WaiterError::Operation {
        error: cause,
        attempts,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts, 2);
    assert!(matches!(cause, opgen::Error::Service(_)), "{cause:?}");
    assert!(std::error::Error::source(&error).is_some());
    assert_eq!(requests.lock().unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn input_output_paths_and_filters_read_both() {
    // Two running nodes: enough for expectedCount 2, not for 3.
    let (client, requests) = scripted(&[
        (
            200,
            r#"{"fleet":{"ready":true,"nodes":[{"state":"running"},{"state":"pending","tags":["t"]}]}}"#,
        ),
        (
            200,
            r#"{"fleet":{"ready":true,"nodes":[{"state":"running"},{"state":"running"}]}}"#,
        ),
    ]);
    let done =
        waits::GetFleet::wait_until_fleet_scaled(&client, fleet_input(2), Duration::from_secs(600))
            .await
            .unwrap();
    assert_eq!((done.attempts(), done.acceptor().index()), (2, 0));
    assert!(requests.lock().unwrap()[0]
        .1
        .contains(r#""expectedCount":2"#));

    // `contains` over a flattened projection: a broken tag fails it.
    let broken = r#"{"fleet":{"ready":true,"nodes":[{"state":"running","tags":["a","broken"]}]}}"#;
    let (client, _) = scripted(&[(200, broken)]);
    let error =
        waits::GetFleet::wait_until_fleet_scaled(&client, fleet_input(3), Duration::from_secs(600))
            .await
            .unwrap_err();
    assert!(
        matches!(&error, WaiterError::Failure { acceptor, .. } if acceptor.index() == 1),
        "{error:?}"
    );

    // `!ready && length(nodes) > 0` fails it too; an empty fleet does not.
    let (client, _) = scripted(&[
        (200, r#"{"fleet":{"ready":false,"nodes":[]}}"#),
        (
            200,
            r#"{"fleet":{"ready":false,"nodes":[{"state":"pending"}]}}"#,
        ),
    ]);
    let error =
        waits::GetFleet::wait_until_fleet_scaled(&client, fleet_input(3), Duration::from_secs(600))
            .await
            .unwrap_err();
    assert!(
        matches!(&error, WaiterError::Failure { acceptor, attempts: 2, .. } if acceptor.index() == 1),
        "{error:?}"
    );

    // `success: false`: any error succeeds this waiter.
    let (client, _) = scripted(&[NOT_FOUND]);
    let done =
        waits::GetFleet::wait_until_fleet_scaled(&client, fleet_input(3), Duration::from_secs(600))
            .await
            .unwrap();
    assert_eq!(done.acceptor().index(), 3);
}

#[tokio::test(start_paused = true)]
async fn max_wait_runs_out_and_the_last_call_fits_in_it() {
    let (client, requests) = scripted(&[PENDING]);
    let start = Instant::now();
    let max_wait = Duration::from_secs(100);
    let error = waits::GetFleet::wait_until_fleet_ready(&client, fleet_input(2), max_wait)
        .await
        .unwrap_err();
    let WaiterError::MaxWaitExceeded { elapsed, attempts } = error else {
        panic!("{error:?}")
    };
    let requests = requests.lock().unwrap();
    assert_eq!(attempts as usize, requests.len());
    // Calls take no time on the paused clock: the last goes out no later
    // than max_wait minus minDelay (1 s), and the wait ends there.
    let last = requests.last().unwrap().0 - start;
    assert!(last <= max_wait - Duration::from_secs(1), "{last:?}");
    assert!(last >= max_wait - Duration::from_secs(9), "{last:?}");
    assert_eq!(elapsed, last);
    // At least ~100 s / 8 s of calls, never a tight loop.
    assert!((12..=100).contains(&attempts), "{attempts}");
}

#[cfg(opgen_shared_protocols)]
#[tokio::test(start_paused = true)]
async fn dynamodb_table_exists_and_table_not_exists() {
    let missing = (
        400,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"no table"}"#,
    );
    let creating = (
        200,
        r#"{"Table":{"TableName":"t","TableStatus":"CREATING"}}"#,
    );
    let active = (200, r#"{"Table":{"TableName":"t","TableStatus":"ACTIVE"}}"#);
    let input = || {
        dynamodb::DescribeTableInput::builder()
            .table_name("t")
            .build()
            .unwrap()
    };

    let (client, requests) = scripted(&[missing, creating, active]);
    let done = dynamodb::DescribeTable::wait_until_table_exists(
        &client,
        input(),
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    assert_eq!(done.attempts(), 3);
    assert_eq!(
        done.into_output().unwrap().table().unwrap().table_status(),
        Some(&dynamodb::TableStatus::Active)
    );
    // minDelay 20 s for TableExists.
    for gap in gaps(&requests) {
        assert!(
            gap >= Duration::from_secs(20) && gap <= Duration::from_secs(120),
            "{gap:?}"
        );
    }

    // TableNotExists: the table is there (no acceptor: retry), then gone.
    let (client, _) = scripted(&[active, active, missing]);
    let done = dynamodb::DescribeTable::wait_until_table_not_exists(
        &client,
        input(),
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    assert_eq!(done.attempts(), 3);
    assert_eq!(
        done.acceptor().matcher(),
        "errorType `ResourceNotFoundException`"
    );
    assert!(matches!(
        done.error().and_then(|e| e.as_service_error()),
        Some(dynamodb::DescribeTableError::ResourceNotFoundException(_))
    ));
}

#[cfg(opgen_shared_protocols)]
#[tokio::test(start_paused = true)]
async fn dynamodb_kinesis_destination_filters_and_lengths() {
    let input = || {
        dynamodb::DescribeKinesisStreamingDestinationInput::builder()
            .table_name("t")
            .build()
            .unwrap()
    };
    // Every destination disabled or failed: the failure acceptor.
    let (client, _) = scripted(&[(
        200,
        r#"{"KinesisDataStreamDestinations":[{"DestinationStatus":"DISABLED"},{"DestinationStatus":"ENABLE_FAILED"}]}"#,
    )]);
    let error = dynamodb::DescribeKinesisStreamingDestination::wait_until_kinesis_streaming_destination_active(
        &client,
        input(),
        Duration::from_secs(3600),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&error, WaiterError::Failure { acceptor, .. } if acceptor.index() == 1),
        "{error:?}"
    );
    // One enabling among disabled ones: retry, then one active: success.
    let (client, _) = scripted(&[
        (
            200,
            r#"{"KinesisDataStreamDestinations":[{"DestinationStatus":"DISABLED"},{"DestinationStatus":"ENABLING"}]}"#,
        ),
        (
            200,
            r#"{"KinesisDataStreamDestinations":[{"DestinationStatus":"DISABLED"},{"DestinationStatus":"ACTIVE"}]}"#,
        ),
    ]);
    let done = dynamodb::DescribeKinesisStreamingDestination::wait_until_kinesis_streaming_destination_active(
        &client,
        input(),
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    assert_eq!((done.attempts(), done.acceptor().index()), (2, 0));
}

#[cfg(opgen_shared_protocols)]
#[tokio::test(start_paused = true)]
async fn s3_object_not_exists_on_a_404_head() {
    let (client, requests) = scripted(&[(200, ""), (404, "")]);
    let input = s3::HeadObjectInput::builder()
        .bucket("my-bucket")
        .key("k")
        .build()
        .unwrap();
    let done = s3::HeadObject::wait_until_object_not_exists(
        &client,
        input.clone(),
        Duration::from_secs(600),
    )
    .await
    .unwrap();
    assert_eq!(done.attempts(), 2);
    assert_eq!(done.acceptor().matcher(), "errorType `NotFound`");
    assert_eq!(requests.lock().unwrap().len(), 2);

    // ObjectExists retries on NotFound, then succeeds.
    let (client, _) = scripted(&[(404, ""), (200, "")]);
    let done = s3::HeadObject::wait_until_object_exists(&client, input, Duration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(done.attempts(), 2);
    assert!(done.output().is_some());
}
