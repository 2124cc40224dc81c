//! restJson1 HTTP bindings: building requests and reading responses.

pub use crate::encoding::percent_encode;
use crate::encoding::{base64_decode, base64_encode};
use crate::{BuildError, Endpoint, ErrorMetadata, ResponseError};
use bytes::Bytes;
use serde_json::{Map, Value};

/// Assembles an HTTP request from its restJson1 parts.
#[derive(Debug)]
pub struct RequestBuilder {
    method: &'static str,
    path: String,
    query: Vec<(String, Option<String>)>,
    query_map: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<(Bytes, &'static str)>,
}

impl RequestBuilder {
    pub fn new(method: &'static str) -> Self {
        RequestBuilder {
            method,
            path: String::new(),
            query: Vec::new(),
            query_map: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// A `{label}` of the URI pattern (`greedy` for `{label+}`).
    ///
    /// An empty value cannot be sent, and neither can a `.` or `..` path
    /// segment (the whole value, or a segment of a greedy one): the dots are
    /// unreserved, so they stay as they are, and the URL parser of the HTTP
    /// stack would then resolve them, sending a correctly signed request to
    /// another path (`DELETE /things/..` becomes `DELETE /`). Empty segments
    /// of a greedy label are sent as they are.
    pub fn label(
        &mut self,
        shape: &'static str,
        member: &'static str,
        value: &str,
        greedy: bool,
    ) -> Result<(), BuildError> {
        if value.is_empty() {
            return Err(BuildError::invalid_member(
                shape,
                member,
                "an HTTP label may not be empty",
            ));
        }
        let is_dot_segment = |segment: &&str| *segment == "." || *segment == "..";
        let text = if greedy {
            value.trim_start_matches('/')
        } else {
            value
        };
        let dots = if greedy {
            text.split('/').find(is_dot_segment)
        } else {
            // A `/` of a plain label is encoded, so the value is one segment.
            Some(text).filter(is_dot_segment)
        };
        if let Some(dots) = dots {
            return Err(BuildError::invalid_member(
                shape,
                member,
                format!(
                    "an HTTP label may not hold a `{dots}` path segment, \
                     which would send the request to another path"
                ),
            ));
        }
        self.path.push_str(&percent_encode(text, greedy));
        Ok(())
    }

    /// A literal query part of the URI pattern (`?key` or `?key=value`).
    pub fn literal_query(&mut self, name: &str, value: Option<&str>) {
        self.query
            .push((name.to_string(), value.map(str::to_string)));
    }

    pub fn query(&mut self, name: &str, value: &str) {
        self.query.push((name.to_string(), Some(value.to_string())));
    }

    /// `@httpQueryParams` entries. They are added when the request is built,
    /// after every `@httpQuery` member, so a name those set wins whatever
    /// the member order.
    pub fn query_params<'a>(&mut self, entries: impl IntoIterator<Item = (&'a str, &'a str)>) {
        let mut entries: Vec<(String, String)> = entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // Map iteration order is random; the wire order should not be.
        entries.sort();
        self.query_map.extend(entries);
    }

    pub fn header(&mut self, name: &str, value: String) {
        self.headers.push((name.to_string(), value));
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    pub fn json_body(&mut self, body: Value) {
        let text = body.to_string();
        self.body = Some((Bytes::from(text), "application/json"));
    }

    pub fn body(&mut self, bytes: Bytes, content_type: &'static str) {
        self.body = Some((bytes, content_type));
    }

    /// `Content-MD5` of the body, for operations marked
    /// `@httpChecksumRequired`.
    pub fn content_md5(&mut self) {
        use md5::{Digest, Md5};
        let body = self
            .body
            .as_ref()
            .map(|(b, _)| b.as_ref())
            .unwrap_or_default();
        let digest = Md5::digest(body);
        self.header("Content-MD5", base64_encode(&digest));
    }

    pub fn build(mut self, endpoint: &Endpoint) -> Result<http::Request<Bytes>, BuildError> {
        let named: Vec<String> = self.query.iter().map(|(n, _)| n.clone()).collect();
        for (name, value) in std::mem::take(&mut self.query_map) {
            if !named.contains(&name) {
                self.query.push((name, Some(value)));
            }
        }
        let mut uri = String::with_capacity(endpoint.url().len() + self.path.len() + 32);
        uri.push_str(endpoint.url());
        uri.push_str(&self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            uri.push(if i == 0 { '?' } else { '&' });
            uri.push_str(&percent_encode(name, false));
            if let Some(value) = value {
                uri.push('=');
                uri.push_str(&percent_encode(value, false));
            }
        }
        let mut request = http::Request::builder().method(self.method).uri(&uri);
        for (name, value) in endpoint.headers().iter().chain(&self.headers) {
            // Checked one by one so that the error can name the header; the
            // value is never shown, as it may be `@sensitive`.
            if http::HeaderValue::from_str(value).is_err() {
                return Err(BuildError::other(format!(
                    "invalid value for header `{name}`"
                )));
            }
            request = request.header(name.as_str(), value.as_str());
        }
        let body = match self.body {
            Some((bytes, content_type)) => {
                if !self
                    .headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                {
                    request = request.header("content-type", content_type);
                }
                bytes
            }
            None => Bytes::new(),
        };
        // Only the cause: the URI's labels and query may hold secrets.
        request
            .body(body)
            .map_err(|e| BuildError::other(format!("invalid HTTP request: {e}")))
    }
}

/// Quotes a header list item that holds a comma or a quote.
pub fn header_list_item(item: &str) -> String {
    if item.contains(',') || item.contains('"') {
        format!("\"{}\"", item.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        item.to_string()
    }
}

/// Splits a header list value on commas outside quotes and unquotes items.
pub fn split_header_list(value: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_string()),
            c => current.push(c),
        }
    }
    items.push(current.trim().to_string());
    items
}

/// All values of header `name`, joined with `, ` as HTTP allows.
pub fn header<B>(response: &http::Response<B>, name: &str) -> Option<String> {
    let mut values = response.headers().get_all(name).iter().peekable();
    values.peek()?;
    let texts: Vec<&str> = values.filter_map(|v| v.to_str().ok()).collect();
    Some(texts.join(", "))
}

/// The response's headers whose name starts with `prefix`, the prefix
/// removed (names lowercase, as HTTP/1.1 receives them).
pub fn prefix_headers<B>(
    response: &http::Response<B>,
    prefix: &str,
) -> std::collections::HashMap<String, String> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out = std::collections::HashMap::new();
    for name in response.headers().keys() {
        if let Some(rest) = name.as_str().strip_prefix(&prefix) {
            if let Some(value) = header(response, name.as_str()) {
                out.insert(rest.to_string(), value);
            }
        }
    }
    out
}

/// The bytes of a `@streaming` request payload, which must be in memory so
/// that it can be signed and sent again on retry.
pub fn stream_body(stream: &crate::ByteStream) -> Result<Bytes, BuildError> {
    stream.bytes().cloned().ok_or_else(|| {
        BuildError::other(
            "a request payload must be in memory: build the ByteStream from bytes, not from an HTTP body",
        )
    })
}

/// Parses a successful response whose body is the output's payload stream:
/// `parse` reads the head and takes the stream. A head that does not fit
/// the model is a response error keeping `raw`, the body's bytes when they
/// are already in memory (empty while the body is still arriving).
pub fn parse_streaming<T, E>(
    response: http::Response<crate::ByteStream>,
    raw: Bytes,
    parse: impl FnOnce(&http::Response<()>, crate::ByteStream) -> Result<T, String>,
) -> Result<T, crate::Error<E>> {
    let (head, body) = response.into_parts();
    let head = http::Response::from_parts(head, ());
    parse(&head, body)
        .map_err(|reason| crate::Error::Response(ResponseError::new(reason, &head.map(|()| raw))))
}

/// The JSON object of a response body; an empty body is an empty object.
pub fn json_body(response: &http::Response<Bytes>) -> Result<Map<String, Value>, ResponseError> {
    let body = response.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(ResponseError::new(
            super::json::expected("a JSON object body", &other),
            response,
        )),
        Err(e) => Err(ResponseError::new(
            format!("invalid JSON body: {e}"),
            response,
        )),
    }
}

/// Strips a restJson1 error code to the shape name: `ns#Name:http://…` →
/// `Name`.
pub fn sanitize_error_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// Code (`x-amzn-errortype` header, else `__type` or `code` of the body),
/// message and request id of an error response.
pub fn error_metadata(
    response: &http::Response<Bytes>,
    body: &Map<String, Value>,
) -> ErrorMetadata {
    let code = header(response, "x-amzn-errortype")
        .or_else(|| {
            body.get("__type")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .or_else(|| body.get("code").and_then(Value::as_str).map(str::to_string))
        .map(|c| sanitize_error_code(&c).to_string())
        .filter(|c| !c.is_empty());
    let message = ["message", "Message", "errorMessage"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_str))
        .map(str::to_string);
    let request_id =
        header(response, "x-amzn-requestid").or_else(|| header(response, "x-amz-request-id"));
    ErrorMetadata::new(code, message, request_id)
}

/// The body of an error response, lenient: a body that is not a JSON object
/// still yields an (unmodeled) error rather than a parse failure.
pub fn error_body(response: &http::Response<Bytes>) -> Map<String, Value> {
    json_body(response).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_errors_show_neither_the_query_nor_header_values() {
        let mut builder = RequestBuilder::new("GET");
        builder.path("/things");
        builder.query("token", "secret-query");
        builder.header("x-thing", "secret-value\n".to_owned());
        let error = builder
            .build(&Endpoint::new("https://things.example"))
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("`x-thing`"), "{shown}");
    }

    #[test]
    fn values_that_do_not_parse_are_not_quoted() {
        use super::super::json::TimestampFormat;
        let errors = [
            i32::from_text("secret").unwrap_err(),
            f64::from_text("secret").unwrap_err(),
            bool::from_text("secret").unwrap_err(),
            crate::BigNumber::from_text("secret").unwrap_err(),
            timestamp_from_text("secret", TimestampFormat::DateTime).unwrap_err(),
            host_label("Shape", "member", Some("secret.value!"))
                .unwrap_err()
                .to_string(),
        ];
        for error in errors {
            assert!(!error.contains("secret"), "{error}");
        }
    }

    #[test]
    fn header_epoch_seconds_that_are_not_a_time_of_years_1_to_9999_are_errors() {
        use super::super::json::TimestampFormat;
        for text in [
            "NaN",
            "nan",
            "inf",
            "-infinity",
            "1e400",
            "1e300",
            "9223372036854775807",
            "253402300800",
        ] {
            let error = timestamp_from_text(text, TimestampFormat::EpochSeconds).unwrap_err();
            assert!(error.contains("invalid timestamp"), "{text}: {error}");
        }
        assert_eq!(
            timestamp_from_text(" 1576540098.52 ", TimestampFormat::EpochSeconds).unwrap(),
            crate::DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000)
        );
    }

    #[test]
    fn error_codes_are_sanitized() {
        for (raw, code) in [
            ("FooError", "FooError"),
            (
                "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                "FooError",
            ),
            ("aws.protocoltests.restjson#FooError", "FooError"),
            (
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/",
                "FooError",
            ),
        ] {
            assert_eq!(sanitize_error_code(raw), code);
        }
    }

    #[test]
    fn labels_and_query_are_percent_encoded() {
        let mut b = RequestBuilder::new("GET");
        b.path("/things/");
        b.label("S", "id", "a b/c", false).unwrap();
        b.path("/");
        b.label("S", "rest", "/x y/z", true).unwrap();
        b.query("q", "1&2");
        let request = b.build(&Endpoint::new("https://example.com/")).unwrap();
        assert_eq!(
            request.uri().to_string(),
            "https://example.com/things/a%20b%2Fc/x%20y/z?q=1%262"
        );
        let mut empty = RequestBuilder::new("GET");
        assert_eq!(
            empty.label("S", "id", "", false).unwrap_err().member(),
            Some("id")
        );
    }

    #[test]
    fn header_lists_round_trip_quoted_items() {
        let items = ["a", "b,c", "d\"e"];
        let joined: Vec<String> = items.iter().map(|i| header_list_item(i)).collect();
        assert_eq!(split_header_list(&joined.join(", ")), items);
    }
}

/// Values with a text form in labels, query strings and headers.
pub trait TextValue: Sized {
    fn to_text(&self) -> String;
    fn from_text(text: &str) -> Result<Self, String>;
}

impl TextValue for String {
    fn to_text(&self) -> String {
        self.clone()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        Ok(text.to_string())
    }
}

impl TextValue for bool {
    fn to_text(&self) -> String {
        self.to_string()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        match text.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err("expected true or false".to_owned()),
        }
    }
}

macro_rules! text_numbers {
    ($($t:ty),*) => {$(
        impl TextValue for $t {
            fn to_text(&self) -> String {
                self.to_string()
            }
            fn from_text(text: &str) -> Result<Self, String> {
                text.trim().parse().map_err(|_| "expected a number".to_owned())
            }
        }
    )*};
}
text_numbers!(i8, i16, i32, i64);

macro_rules! text_floats {
    ($($t:ty),*) => {$(
        impl TextValue for $t {
            fn to_text(&self) -> String {
                if self.is_nan() {
                    "NaN".into()
                } else if self.is_infinite() {
                    if *self > 0.0 { "Infinity".into() } else { "-Infinity".into() }
                } else {
                    self.to_string()
                }
            }
            fn from_text(text: &str) -> Result<Self, String> {
                match text.trim() {
                    "NaN" => Ok(<$t>::NAN),
                    "Infinity" => Ok(<$t>::INFINITY),
                    "-Infinity" => Ok(<$t>::NEG_INFINITY),
                    t => t.parse().map_err(|_| "expected a number".to_owned()),
                }
            }
        }
    )*};
}
text_floats!(f32, f64);

impl TextValue for crate::BigNumber {
    fn to_text(&self) -> String {
        self.as_str().to_string()
    }
    fn from_text(text: &str) -> Result<Self, String> {
        crate::BigNumber::parse(text).ok_or_else(|| "expected a number".to_owned())
    }
}

impl TextValue for crate::Blob {
    fn to_text(&self) -> String {
        base64_encode(self.as_bytes())
    }
    fn from_text(text: &str) -> Result<Self, String> {
        base64_decode(text.trim()).map(crate::Blob::new)
    }
}

pub fn timestamp_text(value: &crate::DateTime, format: super::json::TimestampFormat) -> String {
    use super::json::TimestampFormat;
    match format {
        TimestampFormat::DateTime => value.fmt_date_time(),
        TimestampFormat::HttpDate => value.fmt_http_date(),
        TimestampFormat::EpochSeconds => value.fmt_epoch_seconds(),
    }
}

pub fn timestamp_from_text(
    text: &str,
    format: super::json::TimestampFormat,
) -> Result<crate::DateTime, String> {
    use super::json::TimestampFormat;
    let text = text.trim();
    let parsed = match format {
        TimestampFormat::DateTime => crate::DateTime::parse_date_time(text),
        TimestampFormat::HttpDate => crate::DateTime::parse_http_date(text),
        // The exact decimal reading of JSON bodies, which also refuses
        // `NaN`, `inf` and times outside years 0001–9999.
        TimestampFormat::EpochSeconds => super::json::epoch_seconds_from_text(text),
    };
    parsed.ok_or_else(|| "invalid timestamp".to_owned())
}

/// A `@mediaType` string header: base64 of the text.
pub fn base64_text(text: &str) -> Result<String, String> {
    let bytes = base64_decode(text.trim())?;
    String::from_utf8(bytes).map_err(|_| "the decoded header is not UTF-8".to_string())
}

/// Items of a header list; http-dates hold a comma of their own, so they
/// are split at every second comma.
pub fn split_header_values(text: &str, http_dates: bool) -> Vec<String> {
    if !http_dates {
        return split_header_list(text);
    }
    let parts: Vec<&str> = text.split(',').collect();
    parts
        .chunks(2)
        .map(|pair| pair.join(",").trim().to_string())
        .collect()
}

/// A `@hostLabel` value, checked to be a valid host label (dots allowed).
pub fn host_label(
    shape: &'static str,
    member: &'static str,
    value: Option<&str>,
) -> Result<String, BuildError> {
    let value = value.ok_or_else(|| BuildError::missing_member(shape, member))?;
    let valid = !value.is_empty()
        && value.split('.').all(|part| {
            !part.is_empty()
                && part.len() <= 63
                && !part.starts_with('-')
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if valid {
        Ok(value.to_string())
    } else {
        Err(BuildError::invalid_member(
            shape,
            member,
            "not a valid host label (1 to 63 letters, digits or `-` per `.`-separated part)",
        ))
    }
}
