//! restXml: the HTTP bindings of `rest` with XML bodies (`xml`).

use super::rest::header;
use super::xml::{XmlDocument, XmlNode};
use crate::ErrorMetadata;
use bytes::Bytes;

/// The document of a response body; `None` for an empty body (an output
/// whose members are all in headers). A body that is not well-formed XML
/// is an error.
pub fn body_document(response: &http::Response<Bytes>) -> Result<Option<XmlDocument<'_>>, String> {
    let body = response.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    XmlDocument::parse(body).map(Some)
}

/// The document of an error body, lenient: an empty or malformed body
/// (a HEAD response, an HTML page from a proxy) yields no members.
pub fn error_document(response: &http::Response<Bytes>) -> Option<XmlDocument<'_>> {
    body_document(response).ok().flatten()
}

/// The `<Error>` element of an error document, wherever a service puts
/// it: the root (`noErrorWrapping`, as S3 sends it), a child of the root
/// (`<ErrorResponse><Error>`), or a grandchild (ec2Query's
/// `<Response><Errors><Error>`). Members of modeled errors are read from
/// it.
///
/// Without one, the root: an `exception` event's payload is the error
/// structure itself (`<SomeException><Message>…`).
pub fn error_element<'d, 'a>(document: &'d XmlDocument<'a>) -> Option<XmlNode<'d, 'a>> {
    let root = document.root();
    if root.name() == "Error" {
        return Some(root);
    }
    root.child("Error")
        .or_else(|| root.children().find_map(|c| c.child("Error")))
        .or(Some(root))
}

/// The `<Error>` element where the service's protocol puts it: the root
/// when `wrapped` is false (restXml `noErrorWrapping`), else inside the
/// root (`<ErrorResponse><Error>`, restXml and awsQuery) or its
/// `<Errors>` (`<Response><Errors><Error>`, ec2Query).
fn service_error_element<'d, 'a>(
    document: &'d XmlDocument<'a>,
    wrapped: bool,
) -> Option<XmlNode<'d, 'a>> {
    let root = document.root();
    if wrapped {
        root.child("Error").or_else(|| {
            root.child("Errors")
                .and_then(|errors| errors.child("Error"))
        })
    } else {
        Some(root).filter(|r| r.name() == "Error")
    }
}

/// Code (`<Code>`), message (`<Message>`) and request id (`<RequestId>`,
/// or ec2Query's `<RequestID>`, else the `x-amz-request-id` or
/// `x-amzn-requestid` header) of an error response (restXml, awsQuery,
/// ec2Query).
///
/// `wrapped` is false for services with `noErrorWrapping` (S3), whose
/// error body is rooted at `<Error>`. An error without a body (the answer
/// to a HEAD request) is named by its status, as S3 names them: 404 is
/// `NotFound`, 403 `Forbidden`.
pub fn error_metadata(response: &http::Response<Bytes>, wrapped: bool) -> ErrorMetadata {
    let document = error_document(response);
    // The event receiver names an `exception` event's error in this
    // header; its payload is the error structure, rooted at its own name.
    let exception = header(response, "x-amzn-errortype");
    let error = document.as_ref().and_then(|d| match exception {
        Some(_) => Some(d.root()),
        None => service_error_element(d, wrapped),
    });
    let text = |node: Option<XmlNode<'_, '_>>, name: &str| {
        node.and_then(|n| n.child(name))
            .and_then(|n| n.text().ok())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let code = text(error, "Code").or(exception).or_else(|| {
        response
            .body()
            .iter()
            .all(u8::is_ascii_whitespace)
            .then(|| status_code_name(response.status()))
            .flatten()
    });
    let message = text(error, "Message");
    let root = document.as_ref().map(XmlDocument::root);
    // ec2Query spells it `RequestID`.
    let request_id = text(root, "RequestId")
        .or_else(|| text(root, "RequestID"))
        .or_else(|| text(error, "RequestId"))
        .or_else(|| header(response, "x-amz-request-id"))
        .or_else(|| header(response, "x-amzn-requestid"));
    ErrorMetadata::new(code, message, request_id)
}

/// Whether `body` is an `<Error>` document, which S3 sends with a 200
/// status when a copy or an upload completion fails after the status went
/// out. Only the root element's name is looked at, after any XML
/// declaration, comments and whitespace.
pub fn is_error_document(body: &[u8]) -> bool {
    let mut rest = body;
    loop {
        rest = rest.trim_ascii_start();
        let skipped = if rest.starts_with(b"<?") {
            after(rest, b"?>")
        } else if rest.starts_with(b"<!--") {
            after(rest, b"-->")
        } else {
            None
        };
        match skipped {
            Some(next) => rest = next,
            None => break,
        }
    }
    rest.strip_prefix(b"<Error")
        .and_then(|r| r.first())
        .is_some_and(|b| *b == b'>' || b.is_ascii_whitespace() || *b == b'/')
}

/// What follows the first `end` in `text`.
fn after<'t>(text: &'t [u8], end: &[u8]) -> Option<&'t [u8]> {
    text.windows(end.len())
        .position(|w| w == end)
        .and_then(|at| text.get(at + end.len()..))
}

/// The code of an error response without a body (the answer to a HEAD
/// request, which cannot carry one): the status's reason without spaces,
/// as S3 names them (`NotFound` for 404, the error `HeadObject` models).
fn status_code_name(status: http::StatusCode) -> Option<String> {
    status.canonical_reason().map(|reason| {
        reason
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect()
    })
}

/// The body of a request: the document `writer` built.
pub fn xml_body(writer: super::xml::XmlWriter) -> Bytes {
    Bytes::from(writer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &'static str) -> http::Response<Bytes> {
        http::Response::builder()
            .status(status)
            .header("x-amz-request-id", "header-id")
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn wrapped_and_unwrapped_errors_give_their_code_and_message() {
        let wrapped = response(
            400,
            "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidGreeting</Code><Message>Hi</Message></Error><RequestId>foo-id</RequestId></ErrorResponse>",
        );
        let meta = error_metadata(&wrapped, true);
        assert_eq!(meta.code(), Some("InvalidGreeting"));
        assert_eq!(meta.message(), Some("Hi"));
        assert_eq!(meta.request_id(), Some("foo-id"));
        let bare = response(
            404,
            "<Error><Code>NoSuchKey</Code><Message>gone</Message></Error>",
        );
        let meta = error_metadata(&bare, false);
        assert_eq!(meta.code(), Some("NoSuchKey"));
        assert_eq!(meta.request_id(), Some("header-id"));
        // Each service's errors are found only where its protocol puts them.
        assert_eq!(error_metadata(&bare, true).code(), None);
        assert_eq!(error_metadata(&wrapped, false).code(), None);
    }

    #[test]
    fn an_error_without_a_body_is_named_by_its_status() {
        let meta = error_metadata(&response(404, ""), false);
        assert_eq!(meta.code(), Some("NotFound"));
        assert_eq!(
            error_metadata(&response(403, " "), true).code(),
            Some("Forbidden")
        );
        assert_eq!(
            error_metadata(&response(412, ""), false).code(),
            Some("PreconditionFailed")
        );
    }

    #[test]
    fn error_documents_are_told_by_their_root_element() {
        for body in [
            "<Error><Code>InternalError</Code></Error>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error>\n<Code>SlowDown</Code></Error>",
            "  <!-- x --><Error/>",
        ] {
            assert!(is_error_document(body.as_bytes()), "{body}");
        }
        for body in [
            "",
            "<CopyObjectResult><ETag>x</ETag></CopyObjectResult>",
            "<?xml version=\"1.0\"?><ErrorDocument/>",
            "<?xml never closed",
            "<Errors><Error/></Errors>",
        ] {
            assert!(!is_error_document(body.as_bytes()), "{body}");
        }
    }

    #[test]
    fn malformed_error_bodies_have_no_code() {
        for body in ["<html><body>Bad gateway", "not xml"] {
            let meta = error_metadata(&response(502, body), true);
            assert_eq!(meta.code(), None, "{body}");
            assert_eq!(meta.request_id(), Some("header-id"));
        }
    }

    #[test]
    fn a_malformed_success_body_is_an_error() {
        assert!(body_document(&response(200, "<a><b></a>")).is_err());
        assert!(body_document(&response(200, " \n")).unwrap().is_none());
    }
}
