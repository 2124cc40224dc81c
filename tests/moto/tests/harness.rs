//! The harness on its own, with raw HTTP and no generated code: moto starts,
//! answers awsJson1_0 requests the way the models expect, and is gone once
//! the server is dropped. Also records what moto does with rpcv2Cbor.

use opgen_moto_tests::{authorization_for, find_moto_server, raw_request, MotoServer, RawResponse};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// An awsJson1_0 call: `X-Amz-Target: {target}`, routed by `service`.
fn aws_json(server: &MotoServer, service: &str, target: &str, body: &str) -> RawResponse {
    let auth = authorization_for(service);
    raw_request(
        server.port(),
        "POST",
        "/",
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", target),
        ],
        body.as_bytes(),
    )
    .unwrap_or_else(|e| panic!("{target}: {e}; moto said: {}", server.log_tail()))
}

#[test]
fn harness_starts_moto_answers_aws_json_and_stops_on_drop() {
    let bin = match find_moto_server() {
        Ok(Some(bin)) => bin,
        Ok(None) => {
            println!("moto harness: skipped (moto_server not found; bash .ci/run installs it)");
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let server = MotoServer::start_with(&bin).unwrap_or_else(|e| panic!("{e}"));
    let port = server.port();

    // DynamoDB, awsJson1_0.
    let tables = aws_json(&server, "dynamodb", "DynamoDB_20120810.ListTables", "{}");
    assert_eq!(tables.status, 200, "ListTables: {}", tables.text());
    assert!(
        tables.text().contains("\"TableNames\""),
        "ListTables: {}",
        tables.text()
    );

    // SQS, awsJson1_0 with @awsQueryCompatible: the JSON error type and the
    // query error code in its own header.
    let missing = aws_json(
        &server,
        "sqs",
        "AmazonSQS.GetQueueUrl",
        r#"{"QueueName":"opgen-harness-missing"}"#,
    );
    assert_eq!(missing.status, 400, "GetQueueUrl: {}", missing.text());
    assert!(
        missing.text().contains("QueueDoesNotExist"),
        "GetQueueUrl: {}",
        missing.text()
    );
    assert_eq!(
        missing.header("x-amzn-query-error"),
        Some("AWS.SimpleQueueService.NonExistentQueue;Sender"),
        "GetQueueUrl headers: {:?}",
        missing.headers
    );

    // CloudWatch, awsJson1_0.
    let metrics = aws_json(
        &server,
        "monitoring",
        "GraniteServiceVersion20100801.ListMetrics",
        "{}",
    );
    assert_eq!(metrics.status, 200, "ListMetrics: {}", metrics.text());
    assert!(
        metrics.text().contains("\"Metrics\""),
        "ListMetrics: {}",
        metrics.text()
    );

    // CloudWatch, rpcv2Cbor: recorded, not asserted (moto 5.2 has no route
    // for it and answers 404).
    let auth = authorization_for("monitoring");
    match raw_request(
        port,
        "POST",
        "/service/GraniteServiceVersion20100801/operation/ListMetrics",
        &[
            ("Authorization", &auth),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("Content-Type", "application/cbor"),
            ("Accept", "application/cbor"),
        ],
        &[0xa0],
    ) {
        Ok(cbor) => println!(
            "moto harness: rpcv2Cbor ListMetrics answered HTTP {} ({})",
            cbor.status,
            cbor.header("content-type").unwrap_or("no content-type")
        ),
        Err(e) => println!("moto harness: rpcv2Cbor ListMetrics failed: {e}"),
    }

    drop(server);
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err(),
        "moto still listens on {port} after the server was dropped"
    );
    println!(
        "moto harness: ok ({} started, answered awsJson1_0 for dynamodb, sqs and monitoring, stopped)",
        bin.display()
    );
}
