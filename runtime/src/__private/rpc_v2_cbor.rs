//! Smithy RPC v2 CBOR (`smithy.protocols#rpcv2Cbor`): every operation is a
//! `POST /service/{service}/operation/{operation}` whose input, output and
//! errors are CBOR maps.

use super::cbor::{self, Map, Value};
use super::rest;
use crate::{ErrorMetadata, ResponseError};
use bytes::Bytes;

/// The media type of request and response bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// The value of the `smithy-protocol` header that names the protocol.
pub const PROTOCOL: &str = "rpc-v2-cbor";

/// The request of `operation` of the service named `service_name` (the
/// service shape's name, without namespace). `body` is the input structure,
/// `None` for an operation without input: that request has neither body
/// nor `Content-Type`, while an input, even an empty one, is always sent. A
/// `@awsQueryCompatible` service is told so with `x-amzn-query-mode`.
pub fn request(
    service_name: &str,
    operation: &str,
    body: Option<Value>,
    query_compatible: bool,
) -> rest::RequestBuilder {
    let mut builder = rest::RequestBuilder::new("POST");
    builder.path("/service/");
    builder.path(&rest::percent_encode(service_name, false));
    builder.path("/operation/");
    builder.path(&rest::percent_encode(operation, false));
    builder.header("smithy-protocol", PROTOCOL.to_string());
    builder.header("accept", CONTENT_TYPE.to_string());
    if query_compatible {
        builder.header("x-amzn-query-mode", "true".to_string());
    }
    if let Some(body) = body {
        builder.body(Bytes::from(cbor::encode(&body)), CONTENT_TYPE);
    }
    builder
}

/// The CBOR map of a successful response's body; an empty body is an empty
/// map (an output with no members may be sent without body).
pub fn body(response: &http::Response<Bytes>) -> Result<Map, ResponseError> {
    let bytes = response.body();
    if bytes.is_empty() {
        return Ok(Map::new());
    }
    match cbor::decode(bytes) {
        Ok(Value::Map(map)) => Ok(map),
        Ok(other) => Err(ResponseError::new(
            format!("expected a CBOR map body, found {}", cbor::kind(&other)),
            response,
        )),
        Err(e) => Err(ResponseError::new(
            format!("invalid CBOR body: {e}"),
            response,
        )),
    }
}

/// Code, message and request id of an error response.
///
/// The code is the `__type` of the body, a shape id whose namespace is
/// dropped. A service marked `@awsQueryCompatible` (`query_compatible`) may
/// also send `x-amzn-query-error: Code;Fault`, the code its awsQuery
/// clients knew, which then wins. Without `__type`, the code is the
/// `x-amzn-errortype` header: an event stream's `exception` message names
/// its error in a header (`:exception-type`), which the receiver passes so.
pub fn error_metadata(
    response: &http::Response<Bytes>,
    body: &Map,
    query_compatible: bool,
) -> ErrorMetadata {
    let query_code = query_compatible
        .then(|| rest::header(response, "x-amzn-query-error"))
        .flatten()
        .map(|value| {
            let code = value
                .split_once(';')
                .map_or(value.as_str(), |(code, _)| code);
            code.trim().to_string()
        })
        .filter(|code| !code.is_empty());
    let code = query_code
        .or_else(|| match body.get("__type") {
            Some(Value::Text(code)) => Some(rest::sanitize_error_code(code).to_string()),
            _ => None,
        })
        .or_else(|| rest::header(response, "x-amzn-errortype"))
        .filter(|code| !code.is_empty());
    let message = ["message", "Message"]
        .iter()
        .find_map(|key| match body.get(*key) {
            Some(Value::Text(message)) => Some(message.clone()),
            _ => None,
        });
    let request_id = rest::header(response, "x-amzn-requestid");
    ErrorMetadata::new(code, message, request_id)
}

/// The body of an error response, lenient: a body that is not a CBOR map
/// still yields an (unmodeled) error rather than a parse failure.
pub fn error_body(response: &http::Response<Bytes>) -> Map {
    body(response).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Endpoint;

    fn response(body: &[u8], headers: &[(&str, &str)]) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(400);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::copy_from_slice(body)).unwrap()
    }

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    #[test]
    fn requests_post_to_the_operation_path_with_protocol_headers() {
        let endpoint = Endpoint::new("https://example.com/base/").with_header("x-extra", "1");
        let built = request("Sample", "GetThing", Some(Value::Map(Map::new())), false)
            .build(&endpoint)
            .unwrap();
        assert_eq!(built.method(), http::Method::POST);
        assert_eq!(
            built.uri().to_string(),
            "https://example.com/base/service/Sample/operation/GetThing"
        );
        let headers = built.headers();
        assert_eq!(headers["smithy-protocol"], "rpc-v2-cbor");
        assert_eq!(headers["accept"], "application/cbor");
        assert_eq!(headers["content-type"], "application/cbor");
        assert_eq!(headers["x-extra"], "1");
        // An empty input structure is still sent: an empty map.
        assert_eq!(built.body().as_ref(), [0xa0]);

        let mut input = Map::new();
        input.insert("id".into(), text("x"));
        let built = request("Sample", "GetThing", Some(Value::Map(input)), true)
            .build(&endpoint)
            .unwrap();
        assert_eq!(built.headers()["x-amzn-query-mode"], "true");
        assert_eq!(built.body().as_ref(), b"\xa1\x62id\x61x");
    }

    #[test]
    fn operations_without_input_send_no_body_and_no_content_type() {
        let built = request("Sample", "Ping", None, false)
            .build(&Endpoint::new("http://localhost:8080"))
            .unwrap();
        assert_eq!(
            built.uri().to_string(),
            "http://localhost:8080/service/Sample/operation/Ping"
        );
        assert!(built.body().is_empty());
        assert!(built.headers().get("content-type").is_none());
        assert_eq!(built.headers()["smithy-protocol"], "rpc-v2-cbor");
    }

    #[test]
    fn bodies_are_maps_and_empty_is_empty() {
        assert_eq!(body(&response(b"", &[])).unwrap(), Map::new());
        let map = body(&response(b"\xbf\x61a\x01\xff", &[])).unwrap();
        assert_eq!(map.get("a"), Some(&Value::Integer(1)));
        let error = body(&response(b"\x83\x01\x02\x03", &[])).unwrap_err();
        assert!(
            error.reason().contains("found an array"),
            "{}",
            error.reason()
        );
        assert_eq!(error.body().as_ref(), b"\x83\x01\x02\x03");
        let error = body(&response(b"\xa1\x61", &[])).unwrap_err();
        assert!(
            error.reason().starts_with("invalid CBOR body: truncated"),
            "{}",
            error.reason()
        );
        assert_eq!(error_body(&response(b"\xa1\x61", &[])), Map::new());
        assert_eq!(error_body(&response(b"\xf6", &[])), Map::new());
    }

    #[test]
    fn error_code_comes_from_type_without_namespace() {
        let mut body = Map::new();
        body.insert("__type".into(), text("smithy.example#InvalidGreeting"));
        body.insert("Message".into(), text("Hi"));
        let response = response(b"", &[("x-amzn-requestid", "req-1")]);
        let meta = error_metadata(&response, &body, false);
        assert_eq!(meta.code(), Some("InvalidGreeting"));
        assert_eq!(meta.message(), Some("Hi"));
        assert_eq!(meta.request_id(), Some("req-1"));

        body.insert("message".into(), text("lower wins"));
        body.insert("__type".into(), text("NoNamespace"));
        let meta = error_metadata(&response, &body, false);
        assert_eq!(meta.code(), Some("NoNamespace"));
        assert_eq!(meta.message(), Some("lower wins"));

        let meta = error_metadata(&response, &Map::new(), false);
        assert_eq!((meta.code(), meta.message()), (None, None));
        body.insert("__type".into(), Value::Integer(3));
        assert_eq!(error_metadata(&response, &body, false).code(), None);
    }

    #[test]
    fn query_compatible_services_take_the_code_from_the_query_error_header() {
        let mut body = Map::new();
        body.insert("__type".into(), text("aws.protocoltests#CustomCodeError"));
        let response = response(b"", &[("x-amzn-query-error", "Customized;Sender")]);
        assert_eq!(
            error_metadata(&response, &body, true).code(),
            Some("Customized")
        );
        // Without the trait, the header means nothing.
        assert_eq!(
            error_metadata(&response, &body, false).code(),
            Some("CustomCodeError")
        );
        let bare = super::tests::response(b"", &[("x-amzn-query-error", "Bare")]);
        assert_eq!(error_metadata(&bare, &body, true).code(), Some("Bare"));
        let empty = super::tests::response(b"", &[("x-amzn-query-error", ";Sender")]);
        assert_eq!(
            error_metadata(&empty, &body, true).code(),
            Some("CustomCodeError")
        );
    }
}
