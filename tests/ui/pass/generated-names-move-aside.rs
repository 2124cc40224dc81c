//! A model whose shapes already have the names opgen would generate, as in
//! published AWS models: AppStream's `AppBlockBuilder` beside the builder of
//! `AppBlock`, Batch's `BatchGetJobError` structure beside the error enum of
//! `BatchGetJob`. The generated names move aside (`AppBlockShapeBuilder`,
//! `BatchGetJobOperationError`), the model's shapes keep theirs, and
//! everything works.
//!
//! `ui-models/` is `tests/ui/models/`, copied beside trybuild's project by
//! `tests/ui.rs`, because `model =` is relative to that project's manifest.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod collisions {
    opgen::include_operation!(
        "DescribeAppBlock",
        "BatchGetJob",
        model = "ui-models/name-collisions.json"
    );
}

use collisions::{
    AppBlock, AppBlockBuilder, AppBlockBuilderBuilder, AppBlockShapeBuilder, BatchGetJob,
    BatchGetJobError, BatchGetJobErrorBuilder, BatchGetJobOperationError, DescribeAppBlock,
    DescribeAppBlockError, DescribeAppBlockInput,
};
use opgen::Operation;

fn response(
    status: u16,
    headers: &[(&str, &str)],
    body: &'static str,
) -> http::Response<bytes::Bytes> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(bytes::Bytes::from_static(body.as_bytes()))
        .unwrap()
}

fn main() {
    let endpoint = opgen::Endpoint::new("https://collisions.example.com");

    // The builder of `AppBlock` moved aside for the model's `AppBlockBuilder`,
    // whose own builder is the ordinary `AppBlockBuilderBuilder`.
    let block_builder: AppBlockShapeBuilder = AppBlock::builder();
    let block: AppBlock = block_builder
        .name("block")
        .builder_name("bb")
        .build()
        .unwrap();
    let builder_builder: AppBlockBuilderBuilder = AppBlockBuilder::builder();
    let app_block_builder: AppBlockBuilder = builder_builder
        .name("image-builder")
        .instance_type("stream.standard.small")
        .build()
        .unwrap();
    assert_eq!(app_block_builder.name(), "image-builder");

    let input: DescribeAppBlockInput = DescribeAppBlockInput::builder()
        .name("block")
        .template(block.clone())
        .build()
        .unwrap();
    let request = DescribeAppBlock::serialize(&input, &endpoint).unwrap();
    assert_eq!(request.uri().path(), "/app-blocks/block");
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"template": {"name": "block", "builderName": "bb"}})
    );

    let output = DescribeAppBlock::deserialize(response(
        200,
        &[],
        r#"{"appBlock":{"name":"block"},"appBlockBuilder":{"name":"image-builder","instanceType":"stream.standard.small"}}"#,
    ))
    .unwrap();
    assert_eq!(output.app_block().map(AppBlock::name), Some("block"));
    assert_eq!(output.app_block_builder(), Some(&app_block_builder));

    // `BatchGetJobError` is the model's structure, a value in the output;
    // the operation's error enum moved aside to `BatchGetJobOperationError`.
    let output = BatchGetJob::deserialize(response(
        200,
        &[],
        r#"{"jobs":[{"jobId":"j1","status":"SUCCEEDED"}],"errors":[{"jobId":"j2","errorCode":"NotFound","errorMessage":"no such job"}]}"#,
    ))
    .unwrap();
    let failed: &BatchGetJobError = &output.errors()[0];
    assert_eq!(failed.job_id(), Some("j2"));
    assert_eq!(failed.error_code(), Some("NotFound"));
    let built_builder: BatchGetJobErrorBuilder = BatchGetJobError::builder();
    let built: BatchGetJobError = built_builder
        .job_id("j2")
        .error_code("NotFound")
        .error_message("no such job")
        .build()
        .unwrap();
    assert_eq!(&built, failed);
    assert_eq!(output.jobs()[0].job_id(), Some("j1"));

    let err: BatchGetJobOperationError = BatchGetJob::deserialize(response(
        404,
        &[("x-amzn-errortype", "NotFound")],
        r#"{"message":"gone"}"#,
    ))
    .unwrap_err()
    .into_service_error();
    match err {
        BatchGetJobOperationError::NotFound(e) => assert_eq!(e.message(), Some("gone")),
        other => panic!("{other:?}"),
    }

    // An operation without a colliding shape keeps `{Op}Error`.
    let err: DescribeAppBlockError = DescribeAppBlock::deserialize(response(
        404,
        &[("x-amzn-errortype", "NotFound")],
        r#"{"message":"gone"}"#,
    ))
    .unwrap_err()
    .into_service_error();
    assert!(err.is_not_found());
}
