//! S3 (restXml, `noErrorWrapping`) clients generated from the real model,
//! through a recording HTTP client: where the bucket goes (host or path,
//! from the endpoint rules), the signed payload hash, XML request bodies,
//! and what becomes of S3's odd responses (an `<Error>` inside a 200, a
//! HEAD 404 without a body, a malformed body, an unknown code).
//!
//! The model is `../shared/models/protocols` beside the workspace; without
//! it this file says its tests are skipped.

#[cfg(not(opgen_shared_protocols))]
#[test]
fn s3_wire_tests_are_skipped_without_the_shared_models() {
    println!(
        "skipped: ../shared/models/protocols is absent (the real models live beside the workspace)"
    );
}

#[cfg(opgen_shared_protocols)]
mod s3 {
    opgen::include_operation!(
        "CopyObject",
        "DeleteObjects",
        "GetObject",
        "HeadObject",
        "ListObjectsV2",
        "PutObject",
        model = "../../shared/models/protocols/s3-2006-03-01.json"
    );
}

#[cfg(opgen_shared_protocols)]
#[path = "support/sdk_signer.rs"]
mod sdk_signer;

#[cfg(opgen_shared_protocols)]
mod wire {
    use super::s3;
    use super::sdk_signer;
    use bytes::Bytes;
    use opgen::{HttpClient, HttpClientFuture};
    use std::sync::{Arc, Mutex};

    /// Records each request and answers it with the next canned response.
    #[derive(Clone, Debug, Default)]
    struct Canned {
        requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
        responses: Arc<Mutex<Vec<(u16, &'static str)>>>,
    }

    impl Canned {
        fn answering(responses: &[(u16, &'static str)]) -> Self {
            let canned = Canned::default();
            canned
                .responses
                .lock()
                .unwrap()
                .extend(responses.iter().rev());
            canned
        }

        fn requests(&self) -> Vec<http::Request<Bytes>> {
            std::mem::take(&mut *self.requests.lock().unwrap())
        }
    }

    impl HttpClient for Canned {
        fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
            self.requests.lock().unwrap().push(request);
            let (status, body) = self.responses.lock().unwrap().pop().unwrap_or((200, ""));
            Box::pin(async move {
                Ok(http::Response::builder()
                    .status(status)
                    .header("x-amz-request-id", "REQ1")
                    .body(Bytes::from_static(body.as_bytes()))
                    .unwrap())
            })
        }
    }

    fn client(http: &Canned, path_style: bool) -> opgen::Client {
        opgen::Client::new(
            opgen::Config::builder()
                .region("us-west-2")
                .credentials_provider(opgen::Credentials::new("AKID", "SECRET", None))
                .force_path_style(path_style)
                .retry_config(opgen::RetryConfig::disabled())
                .http_client(http.clone())
                .build(),
        )
    }

    fn get_object() -> s3::GetObjectRequest {
        s3::GetObjectRequest::builder()
            .bucket("my-bucket")
            .key("dir/a b.txt")
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn the_bucket_is_in_the_host_or_once_in_the_path() {
        let http = Canned::answering(&[(200, "hello"), (200, "hello")]);
        for path_style in [false, true] {
            let mut output = client(&http, path_style).send(get_object()).await.unwrap();
            assert_eq!(
                output.take_body().unwrap().collect().await.unwrap(),
                "hello"
            );
        }
        let requests = http.requests();
        let uris: Vec<String> = requests.iter().map(|r| r.uri().to_string()).collect();
        assert_eq!(
            uris,
            [
                "https://my-bucket.s3.us-west-2.amazonaws.com/dir/a%20b.txt?x-id=GetObject",
                "https://s3.us-west-2.amazonaws.com/my-bucket/dir/a%20b.txt?x-id=GetObject",
            ]
        );
        for request in &requests {
            // SHA-256 of the empty body, signed.
            assert_eq!(
                request.headers()["x-amz-content-sha256"],
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            );
            let authorization = request.headers()["authorization"].to_str().unwrap();
            assert!(
                authorization.contains("/us-west-2/s3/aws4_request")
                    && authorization.contains("x-amz-content-sha256"),
                "{authorization}"
            );
        }
    }

    /// S3 signs differently from other services (the payload hash header,
    /// the path as sent): the official SDK's signer must agree with ours on
    /// each request, keys with reserved characters and query strings
    /// included.
    #[tokio::test]
    async fn the_sdk_signer_agrees_with_every_s3_signature() {
        let http = Canned::answering(&[]);
        let key = "dir/a b+c~d%e=f&g.txt";
        for path_style in [false, true] {
            let client = client(&http, path_style);
            let get = s3::GetObjectRequest::builder()
                .bucket("my-bucket")
                .key(key)
                .build()
                .unwrap();
            let _ = client.send(get).await;
            let put = s3::PutObjectRequest::builder()
                .bucket("my-bucket")
                .key(key)
                .body(bytes::Bytes::from_static(b"hello, world"))
                .build()
                .unwrap();
            let _ = client.send(put).await;
            let list = s3::ListObjectsV2Request::builder()
                .bucket("my-bucket")
                .prefix("a b/")
                .max_keys(7)
                .build()
                .unwrap();
            let _ = client.send(list).await;
        }
        let requests = http.requests();
        assert_eq!(requests.len(), 6);
        for request in &requests {
            sdk_signer::assert_sdk_agrees(
                request,
                &sdk_signer::Scope {
                    access_key: "AKID",
                    secret_key: "SECRET",
                    session_token: None,
                    region: "us-west-2",
                    service: "s3",
                },
            );
        }
    }

    #[tokio::test]
    async fn delete_objects_sends_its_xml_document_with_a_checksum() {
        let http = Canned::answering(&[(
            200,
            "<DeleteResult><Deleted><Key>a</Key></Deleted><Deleted><Key>b</Key></Deleted></DeleteResult>",
        )]);
        let objects =
            ["a", "b"].map(|key| s3::ObjectIdentifier::builder().key(key).build().unwrap());
        let input = s3::DeleteObjectsRequest::builder()
            .bucket("my-bucket")
            .delete(s3::Delete::builder().objects(objects).build().unwrap())
            .build()
            .unwrap();
        let output = client(&http, false).send(input).await.unwrap();
        let deleted: Vec<_> = output.deleted().iter().filter_map(|d| d.key()).collect();
        assert_eq!(deleted, ["a", "b"]);
        let [request] = http.requests().try_into().unwrap();
        assert_eq!(request.method(), "POST");
        assert_eq!(
            request.uri().to_string(),
            "https://my-bucket.s3.us-west-2.amazonaws.com/?delete"
        );
        assert_eq!(
            std::str::from_utf8(request.body()).unwrap(),
            r#"<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>"#
        );
        assert_eq!(request.headers()["content-type"], "application/xml");
        // S3 refuses DeleteObjects without a checksum; CRC32 by default.
        assert!(request.headers().contains_key("x-amz-checksum-crc32"));
    }

    const ERROR_IN_200: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>R200</RequestId></Error>";

    fn copy_object() -> s3::CopyObjectRequest {
        s3::CopyObjectRequest::builder()
            .bucket("my-bucket")
            .key("copy")
            .copy_source("my-bucket/original")
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn an_error_document_in_a_200_response_is_an_error() {
        let http = Canned::answering(&[(200, ERROR_IN_200)]);
        let error = client(&http, false).send(copy_object()).await.unwrap_err();
        let opgen::Error::Service(service) = &error else {
            panic!("expected a service error, got {error:?}");
        };
        assert_eq!(service.err().meta().code(), Some("InternalError"));
        assert_eq!(service.err().meta().request_id(), Some("R200"));
        assert!(matches!(service.err(), s3::CopyObjectError::Unhandled(_)));
    }

    #[tokio::test]
    async fn an_error_document_in_a_200_response_is_retried_like_a_500() {
        let http = Canned::answering(&[
            (200, ERROR_IN_200),
            (
                200,
                "<CopyObjectResult><ETag>\"e1\"</ETag></CopyObjectResult>",
            ),
        ]);
        let client = opgen::Client::new(
            client(&http, false)
                .config()
                .to_builder()
                .retry_config(
                    opgen::RetryConfig::standard()
                        .initial_backoff(std::time::Duration::from_millis(1)),
                )
                .build(),
        );
        let output = client.send(copy_object()).await.unwrap();
        assert_eq!(
            output.copy_object_result().and_then(|r| r.e_tag()),
            Some("\"e1\"")
        );
        assert_eq!(http.requests().len(), 2);
    }

    #[tokio::test]
    async fn a_head_404_without_a_body_is_not_found() {
        let http = Canned::answering(&[(404, "")]);
        let input = s3::HeadObjectRequest::builder()
            .bucket("my-bucket")
            .key("missing")
            .build()
            .unwrap();
        let error = client(&http, false).send(input).await.unwrap_err();
        match error.into_service_error() {
            s3::HeadObjectError::NotFound(e) => {
                assert_eq!(e.meta().code(), Some("NotFound"));
                assert_eq!(e.meta().request_id(), Some("REQ1"));
            }
            other => panic!("expected NotFound, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn no_such_key_is_the_modeled_error_and_unknown_codes_are_unhandled() {
        let http = Canned::answering(&[
            (404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>dir/a b.txt</Key></Error>"),
            (403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"),
        ]);
        let client = client(&http, false);
        match client
            .send(get_object())
            .await
            .unwrap_err()
            .into_service_error()
        {
            s3::GetObjectError::NoSuchKey(e) => {
                assert_eq!(
                    e.meta().message(),
                    Some("The specified key does not exist.")
                );
            }
            other => panic!("expected NoSuchKey, got {other:?}"),
        }
        match client
            .send(get_object())
            .await
            .unwrap_err()
            .into_service_error()
        {
            s3::GetObjectError::Unhandled(e) => {
                assert_eq!(e.meta().code(), Some("AccessDenied"));
                assert_eq!(e.meta().message(), Some("Access Denied"));
            }
            other => panic!("expected Unhandled, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_malformed_listing_is_a_response_error_that_keeps_the_body() {
        let body = "<ListBucketResult><Contents><Key>a</Key></ListBucketResult>";
        let http = Canned::answering(&[(200, body)]);
        let input = s3::ListObjectsV2Request::builder()
            .bucket("my-bucket")
            .prefix("docs/")
            .build()
            .unwrap();
        let error = client(&http, false).send(input).await.unwrap_err();
        match &error {
            opgen::Error::Response(e) => assert_eq!(e.body(), body.as_bytes()),
            other => panic!("expected a response error, got {other:?}"),
        }
        let [request] = http.requests().try_into().unwrap();
        assert_eq!(
            request.uri().to_string(),
            "https://my-bucket.s3.us-west-2.amazonaws.com/?list-type=2&prefix=docs%2F"
        );
    }
}
