//! What generated awsJson1_0 / awsJson1_1 operations call: every request is
//! a `POST /` naming the operation in `X-Amz-Target`, with the whole input
//! as its JSON body; errors name their shape in `__type`.

use super::rest::{error_metadata as rest_error_metadata, header, RequestBuilder};
use crate::ErrorMetadata;
use bytes::Bytes;
use serde_json::{Map, Value};

/// The request of an operation: `target` is `{service name}.{operation}`,
/// `content_type` the protocol's (`application/x-amz-json-1.0` or `1.1`).
/// An operation without input still sends `{}`. A `@awsQueryCompatible`
/// service is told so with `x-amzn-query-mode`, and then answers with the
/// query-era error codes.
pub fn request(
    content_type: &'static str,
    target: &str,
    body: Value,
    query_compatible: bool,
) -> RequestBuilder {
    let mut request = RequestBuilder::new("POST");
    request.path("/");
    request.header("x-amz-target", target.to_string());
    if query_compatible {
        request.header("x-amzn-query-mode", "true".to_string());
    }
    request.body(Bytes::from(body.to_string()), content_type);
    request
}

/// Code, message and request id of an error response: the code from
/// `x-amzn-errortype`, else the body's `__type` (or `code`), stripped to the
/// shape name. A service marked `@awsQueryCompatible` (SQS) also sends
/// `x-amzn-query-error: Code;Fault`, whose code is the one its query-era
/// clients matched on, so that code wins.
pub fn error_metadata(
    response: &http::Response<Bytes>,
    body: &Map<String, Value>,
    query_compatible: bool,
) -> ErrorMetadata {
    let meta = rest_error_metadata(response, body);
    let query_code = query_compatible
        .then(|| header(response, "x-amzn-query-error"))
        .flatten()
        .and_then(|value| {
            let code = value.split(';').next().unwrap_or_default().trim();
            (!code.is_empty()).then(|| code.to_string())
        });
    match query_code {
        Some(code) => ErrorMetadata::new(
            Some(code),
            meta.message().map(str::to_string),
            meta.request_id().map(str::to_string),
        ),
        None => meta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(400);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_string())).unwrap()
    }

    fn object(body: &str) -> Map<String, Value> {
        serde_json::from_str(body).unwrap()
    }

    #[test]
    fn request_posts_the_target_and_the_body_to_the_endpoint_path() {
        let endpoint = crate::Endpoint::new("https://example.com/custom");
        let request = request(
            "application/x-amz-json-1.0",
            "DynamoDB_20120810.GetItem",
            serde_json::json!({"TableName": "t"}),
            false,
        )
        .build(&endpoint)
        .unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(request.uri().to_string(), "https://example.com/custom/");
        assert_eq!(
            request.headers()["x-amz-target"],
            "DynamoDB_20120810.GetItem"
        );
        assert_eq!(
            request.headers()["content-type"],
            "application/x-amz-json-1.0"
        );
        assert_eq!(&request.body()[..], br#"{"TableName":"t"}"#);
        assert!(!request.headers().contains_key("x-amzn-query-mode"));
    }

    #[test]
    fn error_code_comes_from_type_stripped_to_the_shape_name() {
        let body = r#"{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message": "no table"}"#;
        let meta = error_metadata(&response(&[], body), &object(body), false);
        assert_eq!(meta.code(), Some("ResourceNotFoundException"));
        assert_eq!(meta.message(), Some("no table"));
    }

    #[test]
    fn query_compatible_services_take_the_code_from_the_query_error_header() {
        let body = r#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "gone"}"#;
        let headers = [(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        )];
        let meta = error_metadata(&response(&headers, body), &object(body), true);
        assert_eq!(meta.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(meta.message(), Some("gone"));
        // Without the trait the header means nothing.
        let meta = error_metadata(&response(&headers, body), &object(body), false);
        assert_eq!(meta.code(), Some("QueueDoesNotExist"));
    }
}
