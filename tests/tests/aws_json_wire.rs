//! awsJson1_0 clients generated from the real DynamoDB and SQS models,
//! sans-IO: the exact request, and what becomes of every kind of failed
//! response (malformed JSON, a body that is not an object, a modeled error
//! in a foreign namespace, an unknown code, SQS's query-compatible codes, an
//! HTML page from a proxy).
//!
//! The models are `../shared/models/protocols` beside the workspace.
//! `build.rs` sets `cfg(opgen_shared_protocols)` only when they are there, so
//! that without them this file still compiles and its tests say they are
//! skipped.

#[cfg(not(opgen_shared_protocols))]
#[test]
fn aws_json_wire_tests_are_skipped_without_the_shared_models() {
    println!(
        "skipped: ../shared/models/protocols is absent (the real models live beside the workspace)"
    );
}

#[cfg(opgen_shared_protocols)]
mod dynamodb {
    opgen::include_operation!(
        "GetItem",
        "PutItem",
        model = "../../shared/models/protocols/dynamodb-2012-08-10.json"
    );
}

#[cfg(opgen_shared_protocols)]
mod sqs {
    opgen::include_operation!(
        "GetQueueUrl",
        model = "../../shared/models/protocols/sqs-2012-11-05.json"
    );
}

#[cfg(opgen_shared_protocols)]
mod wire {
    use super::{dynamodb, sqs};
    use bytes::Bytes;
    use opgen::Operation;

    const SECRET: &str = "tok-SECRET";

    fn endpoint() -> opgen::Endpoint {
        opgen::Endpoint::new("https://dynamodb.us-east-1.amazonaws.com")
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_string())).unwrap()
    }

    fn get_item_input() -> dynamodb::GetItemInput {
        use dynamodb::AttributeValue::S;
        dynamodb::GetItemInput::builder()
            .table_name("Music")
            .key([
                ("Artist", S("No One You Know".to_string())),
                ("SongTitle", S("Call Me Today".to_string())),
            ])
            .build()
            .unwrap()
    }

    /// The `ResponseError` of a failed `GetItem`, after checking that it is
    /// one.
    fn get_item_response_error(
        response: http::Response<Bytes>,
    ) -> (opgen::ResponseError, opgen::Error<dynamodb::GetItemError>) {
        let err = dynamodb::GetItem::deserialize(response).unwrap_err();
        match &err {
            opgen::Error::Response(e) => (e.clone(), err),
            other => panic!("expected a response error, got {other:?}"),
        }
    }

    /// `err` and every error in its `source` chain, `Display`ed.
    fn display_chain(err: &dyn std::error::Error) -> String {
        let mut text = err.to_string();
        let mut source = err.source();
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        text
    }

    #[test]
    fn get_item_request_posts_the_target_and_the_whole_input_as_json() {
        let request = dynamodb::GetItem::serialize(&get_item_input(), &endpoint()).unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri().path(), "/");
        assert_eq!(
            request.uri().to_string(),
            "https://dynamodb.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            request.headers()["x-amz-target"],
            "DynamoDB_20120810.GetItem"
        );
        assert_eq!(
            request.headers()["content-type"],
            "application/x-amz-json-1.0"
        );
        // DynamoDB is not query-compatible.
        assert!(!request.headers().contains_key("x-amzn-query-mode"));
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "TableName": "Music",
                "Key": {
                    "Artist": {"S": "No One You Know"},
                    "SongTitle": {"S": "Call Me Today"}
                }
            })
        );
    }

    #[test]
    fn malformed_json_success_body_is_a_response_error_keeping_the_body() {
        let body = format!(r#"{{"Item": {{"token": {{"S": "{SECRET}""#);
        let (e, _) = get_item_response_error(response(200, &[], &body));
        assert_eq!(e.status(), 200);
        assert_eq!(e.body(), body.as_bytes());
        assert!(e.reason().contains("JSON"), "{}", e.reason());
    }

    #[test]
    fn malformed_json_success_body_is_not_printed_by_display_or_debug() {
        let body = format!(r#"{{"Item": {{"token": {{"S": "{SECRET}""#);
        let (e, err) = get_item_response_error(response(200, &[], &body));
        for text in [
            err.to_string(),
            display_chain(&err),
            format!("{err:?}"),
            format!("{err:#?}"),
            e.to_string(),
            format!("{e:?}"),
        ] {
            assert!(!text.contains(SECRET), "the body leaks: {text}");
        }
        assert_eq!(err.to_string(), "failed to parse the response (HTTP 200)");
    }

    #[test]
    fn json_success_body_that_is_not_an_object_is_a_response_error() {
        let (e, _) = get_item_response_error(response(200, &[], "[1,2]"));
        assert_eq!(e.status(), 200);
        assert_eq!(&e.body()[..], b"[1,2]");
        assert!(e.reason().contains("object"), "{}", e.reason());
    }

    #[test]
    fn json_success_body_that_is_not_an_object_is_not_printed() {
        let body = format!(r#"["{SECRET}"]"#);
        let (e, err) = get_item_response_error(response(200, &[], &body));
        for text in [display_chain(&err), format!("{err:?}"), e.to_string()] {
            assert!(!text.contains(SECRET), "the body leaks: {text}");
        }
    }

    #[test]
    fn modeled_error_in_another_namespace_matches_by_shape_name() {
        let body = r#"{"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": "The conditional request failed"}"#;
        let err =
            dynamodb::PutItem::deserialize(response(400, &[("x-amzn-requestid", "req-ccf")], body))
                .unwrap_err();
        let opgen::Error::Service(service) = &err else {
            panic!("expected a service error, got {err:?}")
        };
        assert_eq!(service.status(), 400);
        let dynamodb::PutItemError::ConditionalCheckFailedException(e) = service.err() else {
            panic!("expected ConditionalCheckFailedException, got {service:?}")
        };
        assert_eq!(e.message(), Some("The conditional request failed"));
        assert_eq!(e.meta().code(), Some("ConditionalCheckFailedException"));
        assert_eq!(e.meta().request_id(), Some("req-ccf"));
        assert!(e.item().is_none());
        let error = err.into_service_error();
        assert!(error.is_conditional_check_failed_exception());
        assert_eq!(error.message(), Some("The conditional request failed"));
    }

    #[test]
    fn unknown_error_code_is_unhandled_with_its_code_and_message() {
        let body = r#"{"__type": "com.example#BrandNewException", "message": "new"}"#;
        let err = dynamodb::PutItem::deserialize(response(400, &[], body))
            .unwrap_err()
            .into_service_error();
        let dynamodb::PutItemError::Unhandled(e) = &err else {
            panic!("expected Unhandled, got {err:?}")
        };
        assert_eq!(e.meta().code(), Some("BrandNewException"));
        assert_eq!(e.meta().message(), Some("new"));
        assert_eq!(e.status(), Some(http::StatusCode::BAD_REQUEST));
        assert_eq!(e.body().map(|b| &b[..]), Some(body.as_bytes()));
    }

    #[test]
    fn get_queue_url_request_says_query_mode() {
        let input = sqs::GetQueueUrlRequest::builder()
            .queue_name("orders")
            .build()
            .unwrap();
        let endpoint = opgen::Endpoint::new("https://sqs.us-east-1.amazonaws.com");
        let request = sqs::GetQueueUrl::serialize(&input, &endpoint).unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri().path(), "/");
        assert_eq!(request.headers()["x-amzn-query-mode"], "true");
        assert_eq!(request.headers()["x-amz-target"], "AmazonSQS.GetQueueUrl");
        assert_eq!(
            request.headers()["content-type"],
            "application/x-amz-json-1.0"
        );
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(body, serde_json::json!({"QueueName": "orders"}));
    }

    #[test]
    fn query_compatible_error_is_typed_with_the_query_code() {
        let err = sqs::GetQueueUrl::deserialize(response(
            400,
            &[(
                "x-amzn-query-error",
                "AWS.SimpleQueueService.NonExistentQueue;Sender",
            )],
            r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#,
        ))
        .unwrap_err()
        .into_service_error();
        let sqs::GetQueueUrlError::QueueDoesNotExist(e) = &err else {
            panic!("expected QueueDoesNotExist, got {err:?}")
        };
        assert_eq!(
            e.meta().code(),
            Some("AWS.SimpleQueueService.NonExistentQueue")
        );
        assert_eq!(e.message(), Some("gone"));
        assert_eq!(err.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
    }

    #[test]
    fn non_json_error_page_is_unhandled_keeping_the_response() {
        let page = "<html><head><title>503 Service Temporarily Unavailable</title></head>\
                    <body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>";
        let err =
            dynamodb::GetItem::deserialize(response(503, &[("content-type", "text/html")], page))
                .unwrap_err();
        let opgen::Error::Service(service) = &err else {
            panic!("expected a service error, got {err:?}")
        };
        assert_eq!(service.status(), 503);
        assert_eq!(service.body(), page.as_bytes());
        let dynamodb::GetItemError::Unhandled(e) = service.err() else {
            panic!("expected Unhandled, got {service:?}")
        };
        assert_eq!(e.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(e.body().map(|b| &b[..]), Some(page.as_bytes()));
        assert_eq!(e.headers().unwrap()["content-type"], "text/html");
    }
}
