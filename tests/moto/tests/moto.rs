//! Generated clients against moto, an independent AWS emulator: three
//! awsJson1_0 services, DynamoDB, SQS (`@awsQueryCompatible`) and CloudWatch
//! (whose model lists rpcv2Cbor, awsJson1_0 and awsQuery; moto speaks
//! awsJson1_0 and awsQuery, so the macro is told `awsJson1_0`); two awsQuery
//! services, STS and SNS; and S3 (restXml), addressed path-style.
//!
//! One moto server for the binary, one `#[test]` running every scenario in
//! turn (each bounded, its panics caught), printing
//! `moto scenario NAME: ok|FAILED: reason` and then `moto: N passed, N failed`.
//! Resource names are unique per scenario. Without `moto_server` the test
//! prints `moto: skipped (…)` and passes; without the shared models
//! (`../shared/models/protocols`), `build.rs` leaves the typed code out and the
//! test says so. Presigned S3 URLs are sent by a plain HTTP client
//! (`raw_request`); a presigned STS URL is not, since moto picks the
//! service of a request by its `Authorization` header, which a presigned
//! request has none of (the runtime tests pin its query instead).

#[cfg(opgen_shared_models)]
mod dynamodb {
    opgen::include_operation!(
        "CreateTable",
        "DescribeTable",
        "PutItem",
        "GetItem",
        "Query",
        "DeleteTable",
        model = "../../../shared/models/protocols/dynamodb-2012-08-10.json"
    );
}

#[cfg(opgen_shared_models)]
mod sqs {
    opgen::include_operation!(
        "CreateQueue",
        "SendMessage",
        "ReceiveMessage",
        "DeleteMessage",
        "GetQueueUrl",
        "DeleteQueue",
        model = "../../../shared/models/protocols/sqs-2012-11-05.json"
    );
}

#[cfg(opgen_shared_models)]
mod cloudwatch {
    opgen::include_operation!(
        "PutMetricData",
        "ListMetrics",
        "GetMetricStatistics",
        model = "../../../shared/models/protocols/cloudwatch-2010-08-01.json",
        protocol = "awsJson1_0"
    );
}

#[cfg(opgen_shared_models)]
mod sts {
    opgen::include_operation!(
        "GetCallerIdentity",
        "AssumeRole",
        model = "../../../shared/models/protocols/sts-2011-06-15.json"
    );
}

#[cfg(opgen_shared_models)]
mod sns {
    opgen::include_operation!(
        "CreateTopic",
        "Publish",
        "ListTopics",
        model = "../../../shared/models/protocols/sns-2010-03-31.json"
    );
}

#[cfg(opgen_shared_models)]
mod s3 {
    opgen::include_operation!(
        "CreateBucket",
        "PutObject",
        "GetObject",
        "ListObjectsV2",
        "CopyObject",
        "DeleteObject",
        "DeleteObjects",
        model = "../../../shared/models/protocols/s3-2006-03-01.json"
    );
}

#[cfg(not(opgen_shared_models))]
#[test]
fn generated_aws_json_clients_against_moto() {
    println!("moto: skipped (../shared/models/protocols is absent: the models live beside the workspace)");
}

#[cfg(opgen_shared_models)]
#[test]
fn generated_aws_json_clients_against_moto() {
    use opgen_moto_tests::{MotoServer, Scenarios, SKIP};

    let server = match MotoServer::start() {
        Ok(Some(server)) => server,
        Ok(None) => {
            println!("{SKIP}");
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a Tokio runtime");
    let client = server.client();
    runtime.block_on(async {
        let mut scenarios = Scenarios::new();
        // Runs `scenarios::$name` with a clone of `$client`, under its name.
        macro_rules! run {
            ($name:ident, $client:expr) => {
                scenarios
                    .run(stringify!($name), scenarios::$name($client.clone()))
                    .await
            };
        }
        run!(dynamodb_table_put_get_query_conditional_put_delete, client);
        run!(
            dynamodb_get_item_of_missing_table_is_resource_not_found,
            client
        );
        run!(sqs_create_send_receive_delete_message, client);
        run!(
            sqs_get_queue_url_of_missing_queue_is_queue_does_not_exist,
            client
        );
        run!(sqs_query_compatible_error_code_is_the_query_code, client);
        run!(
            cloudwatch_put_metric_data_then_list_metrics_and_statistics,
            client
        );
        run!(sts_get_caller_identity_and_assume_role, client);
        run!(sns_create_topic_and_publish, client);
        // Path-style: the bucket in a host name would need DNS for
        // `bucket.127.0.0.1`.
        let s3_client =
            opgen::Client::new(client.config().to_builder().force_path_style(true).build());
        run!(s3_bucket_put_get_list_copy_delete, s3_client);
        scenarios
            .run(
                "s3_presigned_put_and_get_work_from_a_plain_http_client",
                scenarios::s3_presigned_put_and_get_work_from_a_plain_http_client(
                    s3_client.clone(),
                    server.port(),
                ),
            )
            .await;
        run!(
            role_credentials_from_a_profile_chain_and_a_web_identity_token,
            client
        );
        scenarios.finish();
    });
    drop(server);
}

#[cfg(opgen_shared_models)]
mod scenarios {
    use super::{cloudwatch, dynamodb, s3, sns, sqs, sts};
    use opgen::{Client, ProvideErrorMetadata};
    use std::collections::HashMap;
    use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

    /// `Err(format!(…))` out of the scenario unless `cond` holds.
    macro_rules! check {
        ($cond:expr, $($why:tt)+) => {
            if !$cond {
                return Err(format!($($why)+));
            }
        };
    }

    /// A call's failure with its causes, for the scenario's reason.
    fn why<E>(err: &opgen::Error<E>) -> String
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
    {
        let mut text = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        // What moto sent, to tell a wire mismatch from a wrong value.
        let body = match err {
            opgen::Error::Service(e) => Some(e.body()),
            opgen::Error::Response(e) => Some(e.body()),
            _ => None,
        };
        if let Some(body) = body {
            let body = String::from_utf8_lossy(body);
            let cut: String = body.chars().take(300).collect();
            text.push_str(&format!("; body: {cut:?}"));
        }
        text
    }

    fn built<T>(shape: &str, result: Result<T, opgen::BuildError>) -> Result<T, String> {
        result.map_err(|e| format!("building {shape}: {e}"))
    }

    type Item = HashMap<String, dynamodb::AttributeValue>;

    fn s(item: &Item, name: &str) -> Option<String> {
        item.get(name).and_then(|v| v.as_s()).cloned()
    }

    fn n(item: &Item, name: &str) -> Option<String> {
        item.get(name).and_then(|v| v.as_n()).cloned()
    }

    fn put(table: &str, pk: &str, sk: u32, value: &str) -> Result<dynamodb::PutItemInput, String> {
        use dynamodb::AttributeValue::{N, S};
        built(
            "PutItemInput",
            dynamodb::PutItemInput::builder()
                .table_name(table)
                .item([
                    ("pk", S(pk.to_string())),
                    ("sk", N(sk.to_string())),
                    ("v", S(value.to_string())),
                ])
                .build(),
        )
    }

    fn key(table: &str, pk: &str, sk: u32) -> Result<dynamodb::GetItemInput, String> {
        use dynamodb::AttributeValue::{N, S};
        built(
            "GetItemInput",
            dynamodb::GetItemInput::builder()
                .table_name(table)
                .key([("pk", S(pk.to_string())), ("sk", N(sk.to_string()))])
                .consistent_read(true)
                .build(),
        )
    }

    /// CreateTable (waiting for ACTIVE, which moto is at once), three
    /// PutItem, GetItem, Query by key condition, a conditional PutItem that
    /// fails with the old item in the error, DeleteTable.
    pub async fn dynamodb_table_put_get_query_conditional_put_delete(
        client: Client,
    ) -> Result<(), String> {
        use dynamodb::AttributeValue::{N, S};
        use dynamodb::*;

        let table = "opgen-moto-items";
        let input = CreateTableInput::builder()
            .table_name(table)
            .attribute_definitions([
                built(
                    "AttributeDefinition",
                    AttributeDefinition::builder()
                        .attribute_name("pk")
                        .attribute_type(ScalarAttributeType::S)
                        .build(),
                )?,
                built(
                    "AttributeDefinition",
                    AttributeDefinition::builder()
                        .attribute_name("sk")
                        .attribute_type(ScalarAttributeType::N)
                        .build(),
                )?,
            ])
            .key_schema([
                built(
                    "KeySchemaElement",
                    KeySchemaElement::builder()
                        .attribute_name("pk")
                        .key_type(KeyType::Hash)
                        .build(),
                )?,
                built(
                    "KeySchemaElement",
                    KeySchemaElement::builder()
                        .attribute_name("sk")
                        .key_type(KeyType::Range)
                        .build(),
                )?,
            ])
            .billing_mode(BillingMode::PayPerRequest)
            .build();
        let created = client
            .send(built("CreateTableInput", input)?)
            .await
            .map_err(|e| format!("CreateTable: {}", why(&e)))?;
        let description = created
            .table_description()
            .ok_or("CreateTable returned no TableDescription")?;
        check!(
            description.table_name() == Some(table),
            "CreateTable: TableName {:?}",
            description.table_name()
        );
        check!(
            description.key_schema().len() == 2,
            "CreateTable: KeySchema {:?}",
            description.key_schema()
        );
        let mut status = description.table_status().cloned();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !matches!(status, Some(TableStatus::Active)) {
            check!(
                Instant::now() < deadline,
                "the table is still {status:?} after 20 s"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
            let described = client
                .send(built(
                    "DescribeTableInput",
                    DescribeTableInput::builder().table_name(table).build(),
                )?)
                .await
                .map_err(|e| format!("DescribeTable: {}", why(&e)))?;
            status = described.table().and_then(|t| t.table_status()).cloned();
        }

        for (pk, sk, value) in [("a", 1, "first"), ("a", 2, "second"), ("b", 1, "other")] {
            client
                .send(put(table, pk, sk, value)?)
                .await
                .map_err(|e| format!("PutItem {pk}/{sk}: {}", why(&e)))?;
        }

        let got = client
            .send(key(table, "a", 1)?)
            .await
            .map_err(|e| format!("GetItem: {}", why(&e)))?;
        let item = got.item().ok_or("GetItem a/1 returned no Item")?;
        check!(
            s(item, "pk").as_deref() == Some("a")
                && n(item, "sk").as_deref() == Some("1")
                && s(item, "v").as_deref() == Some("first")
                && item.len() == 3,
            "GetItem a/1 returned {item:?}"
        );
        let absent = client
            .send(key(table, "a", 9)?)
            .await
            .map_err(|e| format!("GetItem a/9: {}", why(&e)))?;
        check!(
            absent.item().is_none_or(|i| i.is_empty()),
            "GetItem of an absent key returned {:?}",
            absent.item()
        );

        let queried = client
            .send(built(
                "QueryInput",
                QueryInput::builder()
                    .table_name(table)
                    .key_condition_expression("pk = :pk AND sk >= :min")
                    .expression_attribute_values([
                        (":pk", S("a".to_string())),
                        (":min", N("1".to_string())),
                    ])
                    .build(),
            )?)
            .await
            .map_err(|e| format!("Query: {}", why(&e)))?;
        let rows: Vec<(Option<String>, Option<String>)> = queried
            .items()
            .iter()
            .map(|i| (n(i, "sk"), s(i, "v")))
            .collect();
        check!(
            rows == [
                (Some("1".to_string()), Some("first".to_string())),
                (Some("2".to_string()), Some("second".to_string())),
            ],
            "Query pk = a returned (sk, v) {rows:?}"
        );

        let conditional = PutItemInput::builder()
            .table_name(table)
            .item([
                ("pk", S("a".to_string())),
                ("sk", N("1".to_string())),
                ("v", S("overwritten".to_string())),
            ])
            .condition_expression("attribute_not_exists(pk)")
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .build();
        match client.send(built("PutItemInput", conditional)?).await {
            Ok(_) => {
                return Err(
                    "a PutItem with attribute_not_exists(pk) on an existing item succeeded".into(),
                )
            }
            Err(err) => match err.into_service_error() {
                PutItemError::ConditionalCheckFailedException(e) => {
                    check!(
                        e.message() == Some("The conditional request failed"),
                        "ConditionalCheckFailedException message {:?}",
                        e.message()
                    );
                    let old = e.item().ok_or("ConditionalCheckFailedException without the old Item (ReturnValuesOnConditionCheckFailure ALL_OLD)")?;
                    check!(
                        s(old, "v").as_deref() == Some("first"),
                        "ConditionalCheckFailedException old Item {old:?}"
                    );
                }
                other => {
                    return Err(format!(
                    "expected PutItemError::ConditionalCheckFailedException, got {other} ({:?})",
                    other.meta().code()
                ))
                }
            },
        }
        let after = client
            .send(key(table, "a", 1)?)
            .await
            .map_err(|e| format!("GetItem after the failed PutItem: {}", why(&e)))?;
        check!(
            after.item().and_then(|i| s(i, "v")).as_deref() == Some("first"),
            "the failed conditional PutItem changed the item: {:?}",
            after.item()
        );

        let deleted = client
            .send(built(
                "DeleteTableInput",
                DeleteTableInput::builder().table_name(table).build(),
            )?)
            .await
            .map_err(|e| format!("DeleteTable: {}", why(&e)))?;
        check!(
            deleted.table_description().and_then(|d| d.table_name()) == Some(table),
            "DeleteTable returned {:?}",
            deleted.table_description()
        );
        Ok(())
    }

    /// GetItem on a table that does not exist: the modeled
    /// `ResourceNotFoundException`.
    pub async fn dynamodb_get_item_of_missing_table_is_resource_not_found(
        client: Client,
    ) -> Result<(), String> {
        use dynamodb::GetItemError;
        match client.send(key("opgen-moto-no-such-table", "a", 1)?).await {
            Ok(out) => Err(format!(
                "GetItem on a missing table succeeded: {:?}",
                out.item()
            )),
            Err(err) => match err.into_service_error() {
                GetItemError::ResourceNotFoundException(e) => {
                    check!(
                        e.message().is_some_and(|m| m.contains("not found")),
                        "ResourceNotFoundException message {:?}",
                        e.message()
                    );
                    Ok(())
                }
                other => Err(format!(
                    "expected GetItemError::ResourceNotFoundException, got {other} ({:?})",
                    other.meta().code()
                )),
            },
        }
    }

    const BODY: &str = "hello from opgen";
    /// `md5sum` of [`BODY`].
    const BODY_MD5: &str = "fdaf638608f5173f6ec20431f8dd0ee7";

    /// CreateQueue, SendMessage, ReceiveMessage (the body and its MD5),
    /// DeleteMessage, and a second ReceiveMessage that finds nothing even
    /// though the first made the message visible again at once.
    pub async fn sqs_create_send_receive_delete_message(client: Client) -> Result<(), String> {
        use sqs::*;
        let name = "opgen-moto-messages";
        let created = client
            .send(built(
                "CreateQueueRequest",
                CreateQueueRequest::builder().queue_name(name).build(),
            )?)
            .await
            .map_err(|e| format!("CreateQueue: {}", why(&e)))?;
        let url = created
            .queue_url()
            .ok_or("CreateQueue returned no QueueUrl")?
            .to_string();
        check!(
            url.ends_with(&format!("/{name}")),
            "CreateQueue returned QueueUrl {url}"
        );

        let sent = client
            .send(built(
                "SendMessageRequest",
                SendMessageRequest::builder()
                    .queue_url(&url)
                    .message_body(BODY)
                    .build(),
            )?)
            .await
            .map_err(|e| format!("SendMessage: {}", why(&e)))?;
        let id = sent
            .message_id()
            .filter(|id| !id.is_empty())
            .ok_or("SendMessage returned no MessageId")?
            .to_string();
        check!(
            sent.md5_of_message_body() == Some(BODY_MD5),
            "SendMessage MD5OfMessageBody {:?}",
            sent.md5_of_message_body()
        );

        let received = client
            .send(built(
                "ReceiveMessageRequest",
                ReceiveMessageRequest::builder()
                    .queue_url(&url)
                    .max_number_of_messages(1)
                    .visibility_timeout(0)
                    .wait_time_seconds(1)
                    .build(),
            )?)
            .await
            .map_err(|e| format!("ReceiveMessage: {}", why(&e)))?;
        let [message] = received.messages() else {
            return Err(format!(
                "ReceiveMessage returned {} messages, expected 1",
                received.messages().len()
            ));
        };
        check!(
            message.body() == Some(BODY),
            "ReceiveMessage Body {:?}",
            message.body()
        );
        check!(
            message.message_id() == Some(id.as_str()),
            "ReceiveMessage MessageId {:?}, sent {id}",
            message.message_id()
        );
        check!(
            message.md5_of_body() == Some(BODY_MD5),
            "ReceiveMessage MD5OfBody {:?}",
            message.md5_of_body()
        );
        let handle = message
            .receipt_handle()
            .ok_or("ReceiveMessage returned no ReceiptHandle")?;

        client
            .send(built(
                "DeleteMessageRequest",
                DeleteMessageRequest::builder()
                    .queue_url(&url)
                    .receipt_handle(handle)
                    .build(),
            )?)
            .await
            .map_err(|e| format!("DeleteMessage: {}", why(&e)))?;

        let again = client
            .send(built(
                "ReceiveMessageRequest",
                ReceiveMessageRequest::builder()
                    .queue_url(&url)
                    .max_number_of_messages(1)
                    .wait_time_seconds(0)
                    .build(),
            )?)
            .await
            .map_err(|e| format!("ReceiveMessage after DeleteMessage: {}", why(&e)))?;
        check!(
            again.messages().is_empty(),
            "the deleted message came back: {:?}",
            again.messages()
        );

        client
            .send(built(
                "DeleteQueueRequest",
                DeleteQueueRequest::builder().queue_url(&url).build(),
            )?)
            .await
            .map_err(|e| format!("DeleteQueue: {}", why(&e)))?;
        Ok(())
    }

    async fn get_missing_queue_url(client: &Client) -> Result<sqs::GetQueueUrlError, String> {
        let input = built(
            "GetQueueUrlRequest",
            sqs::GetQueueUrlRequest::builder()
                .queue_name("opgen-moto-no-such-queue")
                .build(),
        )?;
        match client.send(input).await {
            Ok(out) => Err(format!(
                "GetQueueUrl of a missing queue succeeded: {:?}",
                out.queue_url()
            )),
            Err(err) => Ok(err.into_service_error()),
        }
    }

    /// GetQueueUrl of a missing queue: the modeled `QueueDoesNotExist`, found
    /// from the JSON `__type` (`com.amazonaws.sqs#QueueDoesNotExist`).
    pub async fn sqs_get_queue_url_of_missing_queue_is_queue_does_not_exist(
        client: Client,
    ) -> Result<(), String> {
        match get_missing_queue_url(&client).await? {
            sqs::GetQueueUrlError::QueueDoesNotExist(e) => {
                check!(
                    e.message() == Some("The specified queue does not exist."),
                    "QueueDoesNotExist message {:?}",
                    e.message()
                );
                Ok(())
            }
            other => Err(format!(
                "expected GetQueueUrlError::QueueDoesNotExist, got {other} ({:?})",
                other.meta().code()
            )),
        }
    }

    /// SQS is `@awsQueryCompatible`: the error's code is the awsQuery one
    /// from `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender`
    /// (as the AWS SDKs report it), not the JSON shape name.
    pub async fn sqs_query_compatible_error_code_is_the_query_code(
        client: Client,
    ) -> Result<(), String> {
        let error = get_missing_queue_url(&client).await?;
        check!(
            error.meta().code() == Some("AWS.SimpleQueueService.NonExistentQueue"),
            "GetQueueUrl error code {:?}, expected the x-amzn-query-error code AWS.SimpleQueueService.NonExistentQueue",
            error.meta().code()
        );
        Ok(())
    }

    /// PutMetricData (two values of one metric with a dimension), then
    /// ListMetrics finds it and GetMetricStatistics sums it.
    pub async fn cloudwatch_put_metric_data_then_list_metrics_and_statistics(
        client: Client,
    ) -> Result<(), String> {
        use cloudwatch::*;
        let namespace = "OpgenMoto/Scenario";
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| format!("the clock: {e}"))?
            .as_secs() as i64;
        let datum = |value: f64| -> Result<MetricDatum, String> {
            built(
                "MetricDatum",
                MetricDatum::builder()
                    .metric_name("Latency")
                    .dimensions([built(
                        "Dimension",
                        Dimension::builder().name("Host").value("a").build(),
                    )?])
                    .timestamp(opgen::DateTime::from_secs(now))
                    .value(value)
                    .unit(StandardUnit::Milliseconds)
                    .build(),
            )
        };
        client
            .send(built(
                "PutMetricDataInput",
                PutMetricDataInput::builder()
                    .namespace(namespace)
                    .metric_data([datum(2.5)?, datum(4.0)?])
                    .build(),
            )?)
            .await
            .map_err(|e| format!("PutMetricData: {}", why(&e)))?;

        let listed = client
            .send(built(
                "ListMetricsInput",
                ListMetricsInput::builder().namespace(namespace).build(),
            )?)
            .await
            .map_err(|e| format!("ListMetrics: {}", why(&e)))?;
        let [metric] = listed.metrics() else {
            return Err(format!(
                "ListMetrics returned {:?}, expected one metric",
                listed.metrics()
            ));
        };
        check!(
            metric.namespace() == Some(namespace) && metric.metric_name() == Some("Latency"),
            "ListMetrics returned {metric:?}"
        );
        let dimensions: Vec<(Option<&str>, Option<&str>)> = metric
            .dimensions()
            .iter()
            .map(|d| (d.name(), d.value()))
            .collect();
        check!(
            dimensions == [(Some("Host"), Some("a"))],
            "ListMetrics dimensions {dimensions:?}"
        );

        let stats = client
            .send(built(
                "GetMetricStatisticsInput",
                GetMetricStatisticsInput::builder()
                    .namespace(namespace)
                    .metric_name("Latency")
                    .dimensions([built(
                        "Dimension",
                        Dimension::builder().name("Host").value("a").build(),
                    )?])
                    .start_time(opgen::DateTime::from_secs(now - 600))
                    .end_time(opgen::DateTime::from_secs(now + 600))
                    .period(3600)
                    .statistics([Statistic::Sum, Statistic::Maximum, Statistic::SampleCount])
                    .build(),
            )?)
            .await
            .map_err(|e| format!("GetMetricStatistics: {}", why(&e)))?;
        let [point] = stats.datapoints() else {
            return Err(format!(
                "GetMetricStatistics returned {:?}, expected one datapoint",
                stats.datapoints()
            ));
        };
        check!(
            point.sum() == Some(6.5)
                && point.maximum() == Some(4.0)
                && point.sample_count() == Some(2.0),
            "GetMetricStatistics datapoint {point:?}"
        );
        check!(
            point
                .timestamp()
                .is_some_and(|t| (t.secs() - now).abs() <= 3600),
            "GetMetricStatistics timestamp {:?}, put at {now}",
            point.timestamp()
        );
        Ok(())
    }

    /// STS GetCallerIdentity (moto's fixed account) and AssumeRole
    /// (temporary credentials for the role's account).
    pub async fn sts_get_caller_identity_and_assume_role(client: Client) -> Result<(), String> {
        use sts::*;
        let identity = client
            .send(built(
                "GetCallerIdentityRequest",
                GetCallerIdentityRequest::builder().build(),
            )?)
            .await
            .map_err(|e| format!("GetCallerIdentity: {}", why(&e)))?;
        let account = identity
            .account()
            .ok_or("GetCallerIdentity returned no Account")?;
        check!(
            account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()),
            "GetCallerIdentity Account {account:?}"
        );
        check!(
            identity
                .arn()
                .is_some_and(|arn| arn.starts_with("arn:aws:")),
            "GetCallerIdentity Arn {:?}",
            identity.arn()
        );

        let role_arn = format!("arn:aws:iam::{account}:role/opgen-moto-role");
        let assumed = client
            .send(built(
                "AssumeRoleRequest",
                AssumeRoleRequest::builder()
                    .role_arn(&role_arn)
                    .role_session_name("opgen-session")
                    .duration_seconds(900)
                    .build(),
            )?)
            .await
            .map_err(|e| format!("AssumeRole: {}", why(&e)))?;
        let credentials = assumed
            .credentials()
            .ok_or("AssumeRole returned no Credentials")?;
        check!(
            credentials.access_key_id().starts_with("ASIA"),
            "AssumeRole AccessKeyId {:?}",
            credentials.access_key_id()
        );
        check!(
            !credentials.secret_access_key().is_empty() && !credentials.session_token().is_empty(),
            "AssumeRole returned an empty secret or session token"
        );
        let now = opgen::DateTime::from(SystemTime::now());
        check!(
            credentials.expiration().secs() > now.secs(),
            "AssumeRole Expiration {:?} is not in the future",
            credentials.expiration()
        );
        let user = assumed
            .assumed_role_user()
            .ok_or("AssumeRole returned no AssumedRoleUser")?;
        check!(
            user.arn().ends_with("/opgen-session"),
            "AssumedRoleUser Arn {:?}",
            user.arn()
        );
        Ok(())
    }

    /// A presigned request sent by `raw_request` (no signing of its own):
    /// its path and query, and the headers it must carry.
    async fn send_presigned(
        port: u16,
        request: &opgen::PresignedRequest,
        body: &[u8],
    ) -> Result<opgen_moto_tests::RawResponse, String> {
        let method = request.method().as_str().to_owned();
        let target = request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .ok_or("the presigned URL has no path")?;
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    value.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let body = body.to_vec();
        tokio::task::spawn_blocking(move || {
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            opgen_moto_tests::raw_request(port, &method, &target, &headers, &body)
        })
        .await
        .map_err(|e| format!("the raw request did not finish: {e}"))?
        .map_err(|e| format!("the raw request failed: {e}"))
    }

    /// An object put through a presigned PUT URL (with its signed content
    /// type) is fetched back through a presigned GET URL, both sent by a
    /// plain HTTP client without credentials.
    pub async fn s3_presigned_put_and_get_work_from_a_plain_http_client(
        client: Client,
        port: u16,
    ) -> Result<(), String> {
        use s3::*;
        let bucket = "opgen-moto-presigned";
        client
            .send(built(
                "CreateBucketRequest",
                CreateBucketRequest::builder().bucket(bucket).build(),
            )?)
            .await
            .map_err(|e| format!("CreateBucket: {}", why(&e)))?;
        let presigning = opgen::PresigningConfig::expires_in(Duration::from_secs(300))
            .map_err(|e| e.to_string())?;
        let put = client
            .presign(
                built(
                    "PutObjectRequest",
                    PutObjectRequest::builder()
                        .bucket(bucket)
                        .key("shared/report.txt")
                        .content_type("text/plain")
                        .build(),
                )?,
                presigning.clone(),
            )
            .await
            .map_err(|e| format!("presign PutObject: {}", why(&e)))?;
        check!(
            put.method() == "PUT",
            "presigned PutObject method {}",
            put.method()
        );
        check!(
            put.headers()
                .get("content-type")
                .is_some_and(|v| v == "text/plain"),
            "presigned PutObject headers {:?}",
            put.headers()
        );
        let body = b"presigned upload";
        let response = send_presigned(port, &put, body).await?;
        check!(
            response.status == 200,
            "presigned PUT answered {}: {}",
            response.status,
            response.text()
        );

        let get = client
            .presign(
                built(
                    "GetObjectRequest",
                    GetObjectRequest::builder()
                        .bucket(bucket)
                        .key("shared/report.txt")
                        .build(),
                )?,
                presigning,
            )
            .await
            .map_err(|e| format!("presign GetObject: {}", why(&e)))?;
        check!(
            get.method() == "GET",
            "presigned GetObject method {}",
            get.method()
        );
        check!(
            get.headers().is_empty(),
            "presigned GetObject headers {:?}",
            get.headers()
        );
        let query = get.uri().query().unwrap_or_default();
        check!(
            query.contains("X-Amz-Expires=300") && query.contains("X-Amz-Signature="),
            "presigned GetObject query {query}"
        );
        let response = send_presigned(port, &get, b"").await?;
        check!(
            response.status == 200 && response.body == body,
            "presigned GET answered {}: {}",
            response.status,
            response.text()
        );
        Ok(())
    }

    /// The role credential providers against moto's STS: a profile whose
    /// `role_arn` is assumed with its `source_profile`'s keys, and
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (unsigned
    /// `AssumeRoleWithWebIdentity`), each giving `ASIA…` credentials that
    /// then sign a call seen as the assumed role.
    pub async fn role_credentials_from_a_profile_chain_and_a_web_identity_token(
        client: Client,
    ) -> Result<(), String> {
        use opgen::credentials::{ProfileCredentials, WebIdentityCredentials};
        use opgen::profile::{Env, Fs};
        use opgen::ProvideCredentials;
        let files = |path: &'static str, text: &'static str| {
            Fs::from_fn(move |p| {
                if p == std::path::Path::new(path) {
                    Ok(text.as_bytes().to_vec())
                } else {
                    Err(std::io::ErrorKind::NotFound.into())
                }
            })
        };
        let sts_config = client.config().clone();
        let profile = ProfileCredentials::new()
            .with_env(Env::from_pairs([
                ("AWS_CONFIG_FILE", "/moto/config"),
                ("AWS_SHARED_CREDENTIALS_FILE", "/moto/credentials"),
                ("AWS_PROFILE", "deploy"),
            ]))
            .with_fs(files(
                "/moto/config",
                "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n\
                 source_profile = base\nrole_session_name = opgen-profile\n\
                 [profile base]\naws_access_key_id = AKIDMOTOBASE\naws_secret_access_key = base\n",
            ))
            .with_sts_config(sts_config.clone());
        let web_identity = WebIdentityCredentials::new()
            .with_env(Env::from_pairs([
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/moto/token"),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
                ("AWS_ROLE_SESSION_NAME", "opgen-web"),
            ]))
            .with_fs(files("/moto/token", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"))
            .with_sts_config(sts_config);
        let providers: [(&str, &str, opgen::SharedCredentialsProvider); 2] = [
            (
                "profile",
                "/opgen-profile",
                opgen::SharedCredentialsProvider::new(profile),
            ),
            (
                "web identity",
                "/opgen-web",
                opgen::SharedCredentialsProvider::new(web_identity),
            ),
        ];
        for (name, session, provider) in providers {
            let credentials = provider
                .provide_credentials()
                .await
                .map_err(|e| format!("{name}: {e}"))?;
            check!(
                credentials.access_key_id().starts_with("ASIA")
                    && credentials.session_token().is_some_and(|t| !t.is_empty())
                    && credentials.expiry().is_some_and(|t| t > SystemTime::now()),
                "{name}: {credentials:?}"
            );
            check!(
                !format!("{credentials:?}").contains(credentials.secret_access_key()),
                "{name}: Debug shows the secret"
            );
            let assumed = Client::new(
                client
                    .config()
                    .to_builder()
                    .credentials_provider(credentials)
                    .build(),
            );
            let identity = assumed
                .send(built(
                    "GetCallerIdentityRequest",
                    sts::GetCallerIdentityRequest::builder().build(),
                )?)
                .await
                .map_err(|e| format!("{name}: GetCallerIdentity: {}", why(&e)))?;
            check!(
                identity
                    .arn()
                    .is_some_and(|arn| arn.contains(":assumed-role/") && arn.ends_with(session)),
                "{name}: GetCallerIdentity Arn {:?}",
                identity.arn()
            );
        }
        Ok(())
    }

    /// SNS CreateTopic then Publish to it; the topic is listed.
    pub async fn sns_create_topic_and_publish(client: Client) -> Result<(), String> {
        use sns::*;
        let created = client
            .send(built(
                "CreateTopicInput",
                CreateTopicInput::builder()
                    .name("opgen-moto-topic")
                    .attributes([("DisplayName", "opgen & <moto>")])
                    .build(),
            )?)
            .await
            .map_err(|e| format!("CreateTopic: {}", why(&e)))?;
        let arn = created
            .topic_arn()
            .ok_or("CreateTopic returned no TopicArn")?
            .to_string();
        check!(
            arn.ends_with(":opgen-moto-topic"),
            "CreateTopic TopicArn {arn}"
        );
        let published = client
            .send(built(
                "PublishInput",
                PublishInput::builder()
                    .topic_arn(&arn)
                    .message("hello from opgen: a=b&c=d")
                    .subject("opgen")
                    .build(),
            )?)
            .await
            .map_err(|e| format!("Publish: {}", why(&e)))?;
        check!(
            published.message_id().is_some_and(|id| !id.is_empty()),
            "Publish MessageId {:?}",
            published.message_id()
        );
        let listed = client
            .send(built(
                "ListTopicsInput",
                ListTopicsInput::builder().build(),
            )?)
            .await
            .map_err(|e| format!("ListTopics: {}", why(&e)))?;
        check!(
            listed
                .topics()
                .iter()
                .any(|t| t.topic_arn() == Some(arn.as_str())),
            "ListTopics does not list {arn}: {:?}",
            listed.topics()
        );
        Ok(())
    }

    /// S3, path-style against moto: create a bucket; put two objects from
    /// memory; get one streamed; list by prefix; copy; delete one and then
    /// the rest in one DeleteObjects (which S3 refuses without a checksum);
    /// a missing key is `NoSuchKey`.
    pub async fn s3_bucket_put_get_list_copy_delete(client: Client) -> Result<(), String> {
        use s3::*;
        let bucket = "opgen-moto-bucket";
        client
            .send(built(
                "CreateBucketRequest",
                CreateBucketRequest::builder().bucket(bucket).build(),
            )?)
            .await
            .map_err(|e| format!("CreateBucket: {}", why(&e)))?;

        let body = "x".repeat(100_000);
        for key in ["docs/a.txt", "docs/b.txt", "other/c.txt"] {
            client
                .send(built(
                    "PutObjectRequest",
                    PutObjectRequest::builder()
                        .bucket(bucket)
                        .key(key)
                        .content_type("text/plain")
                        .body(opgen::ByteStream::new(body.clone()))
                        .build(),
                )?)
                .await
                .map_err(|e| format!("PutObject {key}: {}", why(&e)))?;
        }

        let mut got = client
            .send(built(
                "GetObjectRequest",
                GetObjectRequest::builder()
                    .bucket(bucket)
                    .key("docs/a.txt")
                    .build(),
            )?)
            .await
            .map_err(|e| format!("GetObject: {}", why(&e)))?;
        check!(
            got.content_length() == Some(body.len() as i64),
            "GetObject ContentLength {:?}",
            got.content_length()
        );
        check!(
            got.content_type() == Some("text/plain"),
            "GetObject ContentType {:?}",
            got.content_type()
        );
        let mut stream = got.take_body().ok_or("GetObject returned no body")?;
        let mut read = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| format!("GetObject body: {e}"))?;
            read.extend_from_slice(&chunk);
            chunks += 1;
        }
        check!(
            read == body.as_bytes(),
            "GetObject body: {} bytes in {chunks} chunks, expected {}",
            read.len(),
            body.len()
        );

        let listed = client
            .send(built(
                "ListObjectsV2Request",
                ListObjectsV2Request::builder()
                    .bucket(bucket)
                    .prefix("docs/")
                    .build(),
            )?)
            .await
            .map_err(|e| format!("ListObjectsV2: {}", why(&e)))?;
        let keys: Vec<&str> = listed.contents().iter().filter_map(|o| o.key()).collect();
        check!(
            keys == ["docs/a.txt", "docs/b.txt"],
            "ListObjectsV2 prefix docs/: {keys:?}"
        );
        check!(
            listed
                .contents()
                .iter()
                .all(|o| o.size() == Some(body.len() as i64)),
            "ListObjectsV2 sizes {:?}",
            listed
                .contents()
                .iter()
                .map(|o| o.size())
                .collect::<Vec<_>>()
        );

        let copied = client
            .send(built(
                "CopyObjectRequest",
                CopyObjectRequest::builder()
                    .bucket(bucket)
                    .key("docs/copy.txt")
                    .copy_source(format!("{bucket}/docs/a.txt"))
                    .build(),
            )?)
            .await
            .map_err(|e| format!("CopyObject: {}", why(&e)))?;
        check!(
            copied
                .copy_object_result()
                .and_then(|r| r.e_tag())
                .is_some_and(|etag| !etag.is_empty()),
            "CopyObject returned no ETag: {copied:?}"
        );

        client
            .send(built(
                "DeleteObjectRequest",
                DeleteObjectRequest::builder()
                    .bucket(bucket)
                    .key("other/c.txt")
                    .build(),
            )?)
            .await
            .map_err(|e| format!("DeleteObject: {}", why(&e)))?;
        let identifiers = ["docs/a.txt", "docs/b.txt", "docs/copy.txt"]
            .into_iter()
            .map(|key| {
                built(
                    "ObjectIdentifier",
                    ObjectIdentifier::builder().key(key).build(),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let deleted = client
            .send(built(
                "DeleteObjectsRequest",
                DeleteObjectsRequest::builder()
                    .bucket(bucket)
                    .delete(built(
                        "Delete",
                        Delete::builder().objects(identifiers).build(),
                    )?)
                    .build(),
            )?)
            .await
            .map_err(|e| format!("DeleteObjects: {}", why(&e)))?;
        check!(
            deleted.deleted().len() == 3 && deleted.errors().is_empty(),
            "DeleteObjects deleted {:?}, errors {:?}",
            deleted.deleted(),
            deleted.errors()
        );
        let left = client
            .send(built(
                "ListObjectsV2Request",
                ListObjectsV2Request::builder().bucket(bucket).build(),
            )?)
            .await
            .map_err(|e| format!("ListObjectsV2: {}", why(&e)))?;
        check!(
            left.contents().is_empty(),
            "objects left after the deletes: {:?}",
            left.contents()
        );

        match client
            .send(built(
                "GetObjectRequest",
                GetObjectRequest::builder()
                    .bucket(bucket)
                    .key("docs/a.txt")
                    .build(),
            )?)
            .await
        {
            Ok(_) => Err("GetObject of a deleted key succeeded".to_string()),
            Err(err) => match err.into_service_error() {
                GetObjectError::NoSuchKey(e) => {
                    check!(
                        e.meta().code() == Some("NoSuchKey"),
                        "NoSuchKey code {:?}",
                        e.meta().code()
                    );
                    Ok(())
                }
                other => Err(format!(
                    "expected GetObjectError::NoSuchKey, got {other} ({:?})",
                    other.meta().code()
                )),
            },
        }
    }
}
