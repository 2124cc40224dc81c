//! What generated awsQuery and ec2Query operations call: every request is a
//! `POST /` whose form-encoded body names the operation (`Action`) and the
//! API version (`Version`), then lists the input's members as `key=value`
//! pairs whose keys spell the path to each value (`Filter.1.Name=x`); the
//! two protocols differ only in how generated code builds the keys.
//! Responses are XML (read with `__private::xml`): awsQuery wraps the
//! output in `<{Op}Response><{Op}Result>`, ec2Query in `<{Op}Response>`;
//! errors are `<ErrorResponse><Error>` (awsQuery) or
//! `<Response><Errors><Error>` (ec2Query), whose code, message and
//! request id `rest_xml` reads.

use super::rest::RequestBuilder;
use super::rest_xml::body_document;
use super::xml::{FromXml, XmlDocument, XmlNode};
use crate::encoding::percent_encode;
use crate::ResponseError;
use bytes::Bytes;

/// The media type of request bodies.
pub const CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// A form body being written: `Action` and `Version` first, then one pair
/// per value, each key and value percent-encoded per RFC 3986 (so `:` is
/// `%3A` and `=` is `%3D`, as the services' own SDKs send them).
pub struct Writer {
    body: String,
}

/// The body holds the input's values, `@sensitive` ones included
/// (`CreateLoginProfile`'s password): only its size is shown.
impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Writer {
    /// A body for `action` of the API `version`.
    pub fn new(action: &str, version: &str) -> Writer {
        let mut writer = Writer {
            body: String::with_capacity(64),
        };
        writer.value("Action", action);
        writer.value("Version", version);
        writer
    }

    /// Appends `key=value`; an empty `value` is sent as `key=` (how
    /// awsQuery spells an empty list).
    pub fn value(&mut self, key: &str, value: &str) {
        if !self.body.is_empty() {
            self.body.push('&');
        }
        self.body.push_str(&percent_encode(key, false));
        self.body.push('=');
        self.body.push_str(&percent_encode(value, false));
    }

    /// The body written so far.
    pub fn as_str(&self) -> &str {
        &self.body
    }
}

/// The key of member `name` under `prefix` (`""` at the top level).
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The key of the item at `index` (0-based) of a list under `key`: items
/// count from 1, and `member` is the list member's name, `None` for a
/// flattened list (and every ec2Query list).
pub fn item_key(key: &str, member: Option<&str>, index: usize) -> String {
    let position = index.saturating_add(1);
    match member {
        Some(member) => format!("{key}.{member}.{position}"),
        None => format!("{key}.{position}"),
    }
}

/// The key of the entry at `index` (0-based) of a map under `key`:
/// `Key.entry.N`, or `Key.N` when the map is flattened.
pub fn entry_key(key: &str, flattened: bool, index: usize) -> String {
    item_key(key, (!flattened).then_some("entry"), index)
}

/// Structures and unions that write themselves into a form body.
pub trait ToQuery {
    /// Writes every set member under `prefix` (`""` for the input itself).
    fn to_query(&self, writer: &mut Writer, prefix: &str);
}

/// The request of an operation whose body `writer` holds.
pub fn request(writer: Writer) -> RequestBuilder {
    let mut request = RequestBuilder::new("POST");
    request.path("/");
    request.body(Bytes::from(writer.body), CONTENT_TYPE);
    request
}

/// An element with no content, read where a response has no body or no
/// result element: an output without members may be sent either way.
const EMPTY: &[u8] = b"<Empty/>";

/// The output of a successful response: the children of `<{Op}Result>`
/// (`result`, awsQuery) or of the root element (`None`, ec2Query). A
/// missing body or result element is an output without members; a body
/// that is not XML, or does not fit `T`, is a [`ResponseError`] keeping
/// the response.
pub fn read_output<T: FromXml>(
    response: &http::Response<Bytes>,
    result: Option<&str>,
) -> Result<T, ResponseError> {
    let fail = |reason: String| ResponseError::new(reason, response);
    let document = body_document(response).map_err(fail)?;
    let node = document
        .as_ref()
        .map(XmlDocument::root)
        .and_then(|root| match result {
            Some(name) => root.child(name),
            None => Some(root),
        });
    match node {
        Some(node) => T::from_xml(node),
        None => {
            let empty = XmlDocument::parse(EMPTY).map_err(fail)?;
            T::from_xml(empty.root())
        }
    }
    .map_err(fail)
}

/// The modeled error `E` read from the `<Error>` element.
pub fn read_error<E: FromXml>(error: Option<XmlNode<'_, '_>>) -> Result<E, String> {
    match error {
        Some(node) => E::from_xml(node),
        None => Err("the error response has no <Error> element".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Endpoint;

    #[test]
    fn the_body_starts_with_action_and_version() {
        let writer = Writer::new("GetCallerIdentity", "2011-06-15");
        assert_eq!(
            writer.as_str(),
            "Action=GetCallerIdentity&Version=2011-06-15"
        );
    }

    #[test]
    fn keys_and_values_are_percent_encoded_per_rfc_3986() {
        let mut writer = Writer::new("Op", "2020-01-08");
        writer.value("Time", "2015-01-25T08:00:00Z");
        writer.value("Blob", "dmFsdWU=");
        writer.value("Text", "a b+c&d/é~-._");
        writer.value("Odd key", "x");
        assert_eq!(
            writer.as_str(),
            "Action=Op&Version=2020-01-08\
             &Time=2015-01-25T08%3A00%3A00Z\
             &Blob=dmFsdWU%3D\
             &Text=a%20b%2Bc%26d%2F%C3%A9~-._\
             &Odd%20key=x"
        );
    }

    #[test]
    fn debug_does_not_show_the_values() {
        let mut writer = Writer::new("CreateLoginProfile", "2010-05-08");
        writer.value("Password", "hunter2");
        let shown = format!("{writer:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("body_len"), "{shown}");
    }

    #[test]
    fn empty_values_keep_their_key() {
        let mut writer = Writer::new("Op", "1");
        writer.value("ListArg", "");
        assert_eq!(writer.as_str(), "Action=Op&Version=1&ListArg=");
    }

    #[test]
    fn keys_spell_the_path_to_a_value() {
        assert_eq!(key("", "Name"), "Name");
        assert_eq!(key("Outer.Inner", "Name"), "Outer.Inner.Name");
        assert_eq!(item_key("List", Some("member"), 0), "List.member.1");
        assert_eq!(item_key("List", Some("item"), 1), "List.item.2");
        assert_eq!(item_key("List", None, 2), "List.3");
        assert_eq!(entry_key("Map", false, 0), "Map.entry.1");
        assert_eq!(entry_key("Map", true, 9), "Map.10");
    }

    #[test]
    fn requests_post_the_form_to_the_endpoint_root() {
        let mut writer = Writer::new("Publish", "2010-03-31");
        writer.value("Message", "hi");
        let request = request(writer)
            .build(&Endpoint::new("https://sns.us-east-1.amazonaws.com"))
            .unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(
            request.uri().to_string(),
            "https://sns.us-east-1.amazonaws.com/"
        );
        assert_eq!(request.headers()["content-type"], CONTENT_TYPE);
        assert_eq!(
            request.body().as_ref(),
            b"Action=Publish&Version=2010-03-31&Message=hi"
        );
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_string())).unwrap()
    }

    /// The text of the first child element, as a test output type.
    #[derive(Debug, PartialEq)]
    struct Greeting(Option<String>);

    impl FromXml for Greeting {
        fn from_xml(node: XmlNode<'_, '_>) -> Result<Self, String> {
            match node.child("greeting") {
                Some(child) => Ok(Greeting(Some(child.text()?.into_owned()))),
                None => Ok(Greeting(None)),
            }
        }
    }

    #[test]
    fn aws_query_outputs_are_read_inside_the_result_element() {
        let body = "<GreetResponse xmlns=\"https://example.com/\"><GreetResult><greeting>hi</greeting></GreetResult>\
                    <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GreetResponse>";
        let output: Greeting = read_output(&response(200, &[], body), Some("GreetResult")).unwrap();
        assert_eq!(output, Greeting(Some("hi".into())));
        // ec2Query reads the root, where a Result wrapper would be unknown.
        let output: Greeting = read_output(&response(200, &[], body), None).unwrap();
        assert_eq!(output, Greeting(None));
    }

    #[test]
    fn an_empty_body_or_missing_result_is_an_empty_output() {
        for body in ["", "  \n", "<GreetResponse/>"] {
            let output: Greeting =
                read_output(&response(200, &[], body), Some("GreetResult")).unwrap();
            assert_eq!(output, Greeting(None), "{body:?}");
        }
    }

    #[test]
    fn a_body_that_is_not_xml_is_a_response_error_keeping_the_body() {
        let error = read_output::<Greeting>(&response(200, &[], "<a><b></a>"), None).unwrap_err();
        assert!(error.reason().contains("invalid XML"), "{}", error.reason());
        assert_eq!(error.body().as_ref(), b"<a><b></a>");
    }

    /// The error functions are `rest_xml`'s; these pin the query shapes.
    fn error_parts(
        response: &http::Response<Bytes>,
    ) -> (crate::ErrorMetadata, Result<Greeting, String>) {
        use super::super::rest_xml::{error_document, error_element, error_metadata};
        let document = error_document(response);
        let error = read_error(document.as_ref().and_then(error_element));
        (error_metadata(response, true), error)
    }

    #[test]
    fn aws_query_errors_carry_code_message_request_id_and_members() {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code>\
                    <Message>Hi</Message><greeting>x</greeting></Error><RequestId>foo-id</RequestId></ErrorResponse>";
        let (meta, error) = error_parts(&response(400, &[], body));
        assert_eq!(meta.code(), Some("InvalidGreeting"));
        assert_eq!(meta.message(), Some("Hi"));
        assert_eq!(meta.request_id(), Some("foo-id"));
        assert_eq!(error.unwrap(), Greeting(Some("x".into())));
    }

    #[test]
    fn ec2_query_errors_are_under_errors_with_a_request_id() {
        let body = "<Response><Errors><Error><Code>InvalidGreeting</Code><Message>Hi</Message>\
                    <greeting>y</greeting></Error></Errors><RequestID>foo-id</RequestID></Response>";
        let (meta, error) = error_parts(&response(400, &[], body));
        assert_eq!(meta.code(), Some("InvalidGreeting"));
        assert_eq!(meta.message(), Some("Hi"));
        assert_eq!(meta.request_id(), Some("foo-id"));
        assert_eq!(error.unwrap(), Greeting(Some("y".into())));
    }

    #[test]
    fn error_bodies_that_are_not_xml_still_make_metadata() {
        let response = response(
            503,
            &[("x-amzn-requestid", "hdr-id")],
            "Service Unavailable",
        );
        let (meta, error) = error_parts(&response);
        assert_eq!((meta.code(), meta.message()), (None, None));
        assert_eq!(meta.request_id(), Some("hdr-id"));
        assert!(error.unwrap_err().contains("no <Error>"));
    }
}
