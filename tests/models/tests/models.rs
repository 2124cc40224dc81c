//! Prints `models: N operations generated, N compiled, N unsupported` for the
//! crate's modules: reaching this test means every listed operation compiled.

use opgen::Operation;

#[test]
fn every_supported_operation_of_the_shared_models_compiles() {
    if opgen_models_check::MODELS
        .iter()
        .all(|(_, ops, _)| ops.is_empty())
    {
        eprintln!("skipped: ../shared/models is absent");
        return;
    }
    let mut compiled = 0;
    let mut unsupported = Vec::new();
    for (model, ops, left_out) in opgen_models_check::MODELS {
        println!(
            "{model}: {} operations compiled, {} left out",
            ops.len(),
            left_out.len()
        );
        compiled += ops.len();
        for (op, why) in *left_out {
            unsupported.push(format!("{model}::{op}: {why}"));
        }
    }
    println!(
        "models: {} operations generated, {compiled} compiled, {} unsupported (listed)",
        compiled + unsupported.len(),
        unsupported.len()
    );
    for line in &unsupported {
        println!("  unsupported {line}");
    }
    print_helpers();
    // Nothing is silently dropped: every operation the services bind is
    // either compiled or listed (counts of the published models).
    let expected = [
        ("agentcore_2025_07_16", 26),
        ("agentcore_2025_10_13", 32),
        ("agentcore_2026_06_22", 65),
        ("agentcore_control", 153),
        ("lambda", 85),
        ("dataexchange", 37),
        ("mediatailor", 48),
        ("dynamodb", 57),
        ("sqs", 23),
        ("kinesis", 39),
        ("secrets_manager", 23),
        ("cloudwatch", 50),
        ("sts", 11),
        ("sns", 42),
        ("cloudwatch_query", 50),
        ("s3", 112),
    ];
    assert_eq!(opgen_models_check::MODELS.len(), expected.len());
    for ((model, ops, left_out), (name, count)) in opgen_models_check::MODELS.iter().zip(expected) {
        assert_eq!((*model, ops.len() + left_out.len()), (name, count));
    }
    // Only event streams are allowed to be left out.
    assert!(unsupported.iter().all(|u| u.contains("event stream")));
}

/// `paginators: N generated` and `waiters: N generated`, summed over the
/// modules (CloudWatch is generated twice, once per protocol).
#[cfg(opgen_shared_models)]
fn print_helpers() {
    let (paginators, waiters) = opgen_models_check::HELPERS
        .iter()
        .fold((0, 0), |(p, w), (_, (mp, mw))| (p + mp, w + mw));
    println!("paginators: {paginators} generated");
    println!("waiters: {waiters} generated");
    // The shared models have both: a count of zero means the check lost them.
    assert!(paginators > 0 && waiters > 0, "{paginators} {waiters}");
}

#[cfg(not(opgen_shared_models))]
fn print_helpers() {}

#[cfg(opgen_shared_models)]
#[test]
fn generated_operations_are_usable() {
    use opgen_models_check::{agentcore_control, lambda};
    // Names are real types implementing Operation, with the model's facts.
    assert_eq!(<lambda::Invoke as Operation>::NAME, "Invoke");
    assert_eq!(
        <lambda::Invoke as Operation>::SERVICE.signing_name,
        "lambda"
    );
    assert_eq!(
        <agentcore_control::CreateGateway as Operation>::SERVICE.signing_name,
        "bedrock-agentcore"
    );
    let request = lambda::GetFunctionRequest::builder()
        .function_name("my-fn")
        .build()
        .unwrap();
    let http = lambda::GetFunction::serialize(
        &request,
        &opgen::Endpoint::new("https://lambda.us-east-1.amazonaws.com"),
    )
    .unwrap();
    assert_eq!(http.uri().path(), "/2015-03-31/functions/my-fn");
}

#[cfg(opgen_shared_models)]
#[test]
fn every_operation_names_its_input_and_output_uniformly() {
    use opgen_models_check::{agentcore_control, dynamodb};
    use std::any::TypeId;
    // The control plane calls one input `…Request` and another `…Input`;
    // `{Op}Input` / `{Op}Output` name both, whatever the model says.
    assert_eq!(
        TypeId::of::<agentcore_control::CreateAgentRuntimeInput>(),
        TypeId::of::<agentcore_control::CreateAgentRuntimeRequest>()
    );
    assert_eq!(
        TypeId::of::<agentcore_control::CreateAgentRuntimeOutput>(),
        TypeId::of::<agentcore_control::CreateAgentRuntimeResponse>()
    );
    assert_eq!(
        TypeId::of::<<agentcore_control::CreateMemory as Operation>::Input>(),
        TypeId::of::<agentcore_control::CreateMemoryInput>()
    );
    assert_eq!(
        TypeId::of::<<dynamodb::GetItem as Operation>::Input>(),
        TypeId::of::<dynamodb::GetItemInput>()
    );
}

#[cfg(opgen_shared_models)]
#[test]
fn sts_speaks_aws_query() {
    use opgen_models_check::sts;
    let input = sts::AssumeRoleRequest::builder()
        .role_arn("arn:aws:iam::123456789012:role/demo")
        .role_session_name("s1")
        .policy_arns([sts::PolicyDescriptorType::builder()
            .arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .build()
            .unwrap()])
        .build()
        .unwrap();
    let request =
        sts::AssumeRole::serialize(&input, &opgen::Endpoint::new("https://sts.amazonaws.com"))
            .unwrap();
    assert_eq!(request.method(), "POST");
    assert_eq!(request.uri().path(), "/");
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        "Action=AssumeRole&Version=2011-06-15\
         &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo\
         &RoleSessionName=s1\
         &PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess"
    );

    let body = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/s1</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:s1</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>token</SessionToken>
      <Expiration>2019-11-09T13:34:41Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;
    let response = http::Response::builder()
        .status(200)
        .body(bytes::Bytes::from(body))
        .unwrap();
    let output = sts::AssumeRole::deserialize(response).unwrap();
    let credentials = output.credentials().unwrap();
    assert_eq!(credentials.access_key_id(), "ASIAIOSFODNN7EXAMPLE");
    assert_eq!(
        credentials.expiration().fmt_date_time(),
        "2019-11-09T13:34:41Z"
    );
    assert_eq!(output.packed_policy_size(), Some(6));

    // The service names the error by its @awsQueryError code, not the shape.
    let body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
        <Error><Type>Sender</Type><Code>MalformedPolicyDocument</Code><Message>bad policy</Message></Error>\
        <RequestId>req-1</RequestId></ErrorResponse>";
    let response = http::Response::builder()
        .status(400)
        .body(bytes::Bytes::from(body))
        .unwrap();
    let error = sts::AssumeRole::deserialize(response)
        .unwrap_err()
        .into_service_error();
    assert!(
        matches!(
            error,
            sts::AssumeRoleError::MalformedPolicyDocumentException(_)
        ),
        "{error:?}"
    );
    assert_eq!(error.meta().code(), Some("MalformedPolicyDocument"));
    assert_eq!(error.meta().message(), Some("bad policy"));
    assert_eq!(error.meta().request_id(), Some("req-1"));
}

#[cfg(opgen_shared_models)]
#[test]
fn cloudwatch_can_be_spoken_as_aws_query() {
    use opgen_models_check::{cloudwatch, cloudwatch_query};
    assert_eq!(
        <cloudwatch_query::ListMetrics as Operation>::SERVICE.protocol,
        opgen::Protocol::AwsQuery
    );
    assert_ne!(
        <cloudwatch::ListMetrics as Operation>::SERVICE.protocol,
        opgen::Protocol::AwsQuery
    );
    let input = cloudwatch_query::ListMetricsInput::builder()
        .namespace("AWS/EC2")
        .dimensions([cloudwatch_query::DimensionFilter::builder()
            .name("InstanceId")
            .build()
            .unwrap()])
        .build()
        .unwrap();
    let request = cloudwatch_query::ListMetrics::serialize(
        &input,
        &opgen::Endpoint::new("https://monitoring.us-east-1.amazonaws.com"),
    )
    .unwrap();
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        "Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FEC2&Dimensions.member.1.Name=InstanceId"
    );
}
