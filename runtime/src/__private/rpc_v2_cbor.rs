//! Smithy RPC v2 CBOR (`smithy.protocols#rpcv2Cbor`): every operation is a
//! `POST /service/{service}/operation/{operation}` whose input, output and
//! errors are CBOR maps.

use super::cbor::{self, Map, Value};
use super::rest;
use crate::{BuildError, Endpoint, ErrorMetadata, ResponseError};
use bytes::Bytes;

/// The media type of request and response bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// The value of the `smithy-protocol` header that names the protocol.
pub const PROTOCOL: &str = "rpc-v2-cbor";

/// The request of `operation` of the service named `service_name` (the
/// service shape's name, without namespace). `body` is the input structure,
/// `None` for an operation without input: that request has neither body
/// nor `Content-Type`, while an input, even an empty one, is always sent.
pub fn request(
    service_name: &str,
    operation: &str,
    body: Option<Value>,
    endpoint: &Endpoint,
) -> Result<http::Request<Bytes>, BuildError> {
    let mut builder = rest::RequestBuilder::new("POST");
    builder.path("/service/");
    builder.path(&rest::percent_encode(service_name, false));
    builder.path("/operation/");
    builder.path(&rest::percent_encode(operation, false));
    builder.header("smithy-protocol", PROTOCOL.to_string());
    builder.header("accept", CONTENT_TYPE.to_string());
    if let Some(body) = body {
        builder.body(Bytes::from(cbor::encode(&body)), CONTENT_TYPE);
    }
    builder.build(endpoint)
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
            format!(
                "the body is not a CBOR map: {}",
                cbor::expected("a map", &other)
            ),
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
/// clients knew, which then wins.
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
