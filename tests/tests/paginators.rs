//! Paginators generated from the real DynamoDB model, against a scripted
//! HTTP client: `ListTables` pages and items with the token carried over,
//! `Query` with map tokens, and a service that repeats its token, which
//! ends in `Error::Pagination` instead of a loop.
//!
//! The model is `../shared/models/protocols` beside the workspace;
//! `build.rs` sets `cfg(opgen_shared_protocols)` only when it is there.

#[cfg(not(opgen_shared_protocols))]
#[test]
fn paginator_tests_are_skipped_without_the_shared_models() {
    println!(
        "skipped: ../shared/models/protocols is absent (the real models live beside the workspace)"
    );
}

#[cfg(opgen_shared_protocols)]
mod dynamodb {
    opgen::include_operation!(
        "ListTables",
        "Query",
        model = "../../shared/models/protocols/dynamodb-2012-08-10.json"
    );
}

mod support {
    use bytes::Bytes;
    use opgen::{Client, Config, Credentials, HttpClient, HttpClientFuture};
    use serde_json::Value;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// Answers the `n`th request (from 0) with `responses[n]` (the last one
    /// again after the end), recording each request's JSON body.
    #[derive(Debug, Clone)]
    struct Scripted {
        responses: Arc<Vec<Value>>,
        requests: Arc<Mutex<Vec<Value>>>,
    }

    impl HttpClient for Scripted {
        fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
            let body: Value = serde_json::from_slice(request.body()).unwrap();
            let mut requests = self.requests.lock().unwrap();
            let n = requests.len().min(self.responses.len() - 1);
            requests.push(body);
            let response = http::Response::builder()
                .status(200)
                .header("content-type", "application/x-amz-json-1.0")
                .body(Bytes::from(self.responses[n].to_string()))
                .unwrap();
            Box::pin(async move { Ok(response) })
        }
    }

    pub(crate) fn client(responses: Vec<Value>) -> (Client, Arc<Mutex<Vec<Value>>>) {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let client = Client::new(
            Config::builder()
                .region("us-east-1")
                .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None))
                .endpoint_url("https://dynamodb.invalid")
                .retry_config(opgen::RetryConfig::disabled())
                .http_client(Scripted {
                    responses: Arc::new(responses),
                    requests: Arc::clone(&requests),
                })
                .build(),
        );
        (client, requests)
    }

    /// Every item of a stream, polled by hand (no futures-util here).
    pub(crate) async fn collect<S: futures_core::Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
        let mut out = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await
        {
            out.push(item);
        }
        out
    }

    pub(crate) async fn within<F: Future>(future: F) -> F::Output {
        tokio::time::timeout(Duration::from_secs(10), future)
            .await
            .expect("the paginator must end")
    }
}

/// A model of this repository: tokens and page size from the service's
/// `@paginated`, items from the operation's, both down nested structures.
mod pages {
    opgen::include_operation!(
        "ListWidgets",
        "ListNames",
        model = "ui/models/paginated.json"
    );
}

#[tokio::test]
async fn nested_tokens_and_items_follow_their_paths() {
    use serde_json::json;
    let (client, requests) = support::client(vec![
        json!({"page": {"nextToken": "t1", "widgets": [{"name": "w1"}, {"name": "w2"}]}}),
        json!({"page": {"widgets": [{"name": "w3"}]}}),
    ]);
    let input = pages::ListWidgetsInput::builder()
        .max_results(2)
        .build()
        .unwrap();
    let mut items = pages::ListWidgets::paginate_items(&client, input);
    let mut names = Vec::new();
    support::within(async {
        while let Some(widget) = items.next_item().await {
            names.push(widget.unwrap().name().to_string());
        }
    })
    .await;
    assert_eq!(names, ["w1", "w2", "w3"]);
    assert_eq!(
        *requests.lock().unwrap(),
        [
            json!({"maxResults": 2}),
            json!({"maxResults": 2, "nextToken": "t1"})
        ]
    );
}

#[tokio::test]
async fn map_items_are_key_value_pairs() {
    use serde_json::json;
    let (client, requests) = support::client(vec![json!({"names": {"a": 1}})]);
    let input = pages::ListNamesInput::builder().build().unwrap();
    let items = pages::ListNames::paginate_items(&client, input);
    let items = support::within(support::collect(items)).await;
    let items: Vec<(String, i32)> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(items, [("a".to_string(), 1)]);
    assert_eq!(requests.lock().unwrap().len(), 1);
}

#[cfg(opgen_shared_protocols)]
mod paginators {
    use super::dynamodb;
    use super::support::{client, collect, within};
    use serde_json::{json, Value};

    fn list_tables_pages() -> Vec<Value> {
        vec![
            json!({"TableNames": ["a", "b"], "LastEvaluatedTableName": "b"}),
            json!({"TableNames": ["c"]}),
        ]
    }

    #[tokio::test]
    async fn list_tables_pages_carry_the_token_to_the_next_request() {
        let (client, requests) = client(list_tables_pages());
        let input = dynamodb::ListTablesInput::builder()
            .limit(2)
            .build()
            .unwrap();
        let mut pages = dynamodb::ListTables::paginate(&client, input);
        let mut names = Vec::new();
        within(async {
            while let Some(page) = pages.next_page().await {
                names.push(page.unwrap().table_names().to_vec());
            }
        })
        .await;
        assert_eq!(names, [vec!["a", "b"], vec!["c"]]);
        assert!(pages.next_page().await.is_none());
        let requests = requests.lock().unwrap();
        assert_eq!(
            *requests,
            [
                json!({"Limit": 2}),
                json!({"Limit": 2, "ExclusiveStartTableName": "b"})
            ]
        );
    }

    #[tokio::test]
    async fn list_tables_items_flatten_the_pages() {
        let (client, requests) = client(list_tables_pages());
        let input = dynamodb::ListTablesInput::builder().build().unwrap();
        let mut items = dynamodb::ListTables::paginate_items(&client, input);
        let mut names = Vec::new();
        within(async {
            while let Some(name) = items.next_item().await {
                names.push(name.unwrap());
            }
        })
        .await;
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(requests.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn pages_are_a_stream() {
        let (client, _) = client(list_tables_pages());
        let input = dynamodb::ListTablesInput::builder().build().unwrap();
        let pages = within(collect(dynamodb::ListTables::paginate(&client, input))).await;
        let names: Vec<Vec<String>> = pages
            .into_iter()
            .map(|p| p.unwrap().table_names().to_vec())
            .collect();
        assert_eq!(names, [vec!["a", "b"], vec!["c"]]);
    }

    #[tokio::test]
    async fn an_empty_string_token_ends_the_pages() {
        let (client, requests) = client(vec![
            json!({"TableNames": ["a"], "LastEvaluatedTableName": ""}),
            json!({"TableNames": ["never"]}),
        ]);
        let input = dynamodb::ListTablesInput::builder().build().unwrap();
        let mut items = dynamodb::ListTables::paginate_items(&client, input);
        let mut names = Vec::new();
        while let Some(name) = within(items.next_item()).await {
            names.push(name.unwrap());
        }
        assert_eq!(names, ["a"]);
        assert_eq!(requests.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn query_pages_carry_map_tokens() {
        let key = json!({"pk": {"S": "k2"}, "sk": {"N": "7"}});
        let (client, requests) = client(vec![
            json!({"Items": [{"pk": {"S": "k1"}}, {"pk": {"S": "k2"}}], "Count": 2, "ScannedCount": 2, "LastEvaluatedKey": key}),
            json!({"Items": [{"pk": {"S": "k3"}}], "Count": 1, "ScannedCount": 1}),
        ]);
        let input = dynamodb::QueryInput::builder()
            .table_name("Music")
            .build()
            .unwrap();
        let mut items = dynamodb::Query::paginate_items(&client, input);
        let mut keys = Vec::new();
        within(async {
            while let Some(item) = items.next_item().await {
                match item.unwrap().remove("pk") {
                    Some(dynamodb::AttributeValue::S(s)) => keys.push(s),
                    other => panic!("unexpected pk {other:?}"),
                }
            }
        })
        .await;
        assert_eq!(keys, ["k1", "k2", "k3"]);
        let requests = requests.lock().unwrap();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0], json!({"TableName": "Music"}));
        assert_eq!(
            requests[1],
            json!({"TableName": "Music", "ExclusiveStartKey": key})
        );
    }

    #[tokio::test]
    async fn a_repeated_token_ends_with_a_pagination_error() {
        // Every page says there is more after "b".
        let (client, requests) = client(vec![
            json!({"TableNames": ["a", "b"], "LastEvaluatedTableName": "b"}),
        ]);
        let input = dynamodb::ListTablesInput::builder().build().unwrap();
        let pages = within(collect(dynamodb::ListTables::paginate(&client, input))).await;
        assert_eq!(pages.len(), 3, "two pages, then the error: {pages:?}");
        assert!(pages[0].is_ok() && pages[1].is_ok());
        match &pages[2] {
            Err(opgen::Error::Pagination(e)) => assert_eq!(
                e.to_string(),
                "the service returned the same pagination token twice; stopping"
            ),
            other => panic!("expected a pagination error, got {other:?}"),
        }
        assert_eq!(requests.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn an_error_ends_the_pages() {
        let (client, requests) = client(vec![json!("not an object")]);
        let input = dynamodb::ListTablesInput::builder().build().unwrap();
        let mut pages = dynamodb::ListTables::paginate(&client, input);
        assert!(within(pages.next_page()).await.unwrap().is_err());
        assert!(within(pages.next_page()).await.is_none());
        assert_eq!(requests.lock().unwrap().len(), 1);
    }
}
