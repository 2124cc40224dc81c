//! The endpoint rules engine against the rules-engine suite
//! (`../shared/endpoints`: 18 rule sets, 101 cases) and against the
//! `smithy.rules#endpointTests` of every model in `../shared/models`.
//! `operationInputs` of model cases are not read: each case's `params`
//! already hold the values the inputs would bind.

use opgen::endpoint::RuleSet;
use opgen_cli::endpoints::{check_case, run_tests, EndpointCase};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/endpoints");
const MODELS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/models");
const EXPECTED_RULE_SETS: usize = 18;
const EXPECTED_SUITE_CASES: usize = 101;

/// Model cases that expect what the partition facts no longer say, by model
/// file and documentation. The 2025-07-16 AgentCore model's tests were
/// written when `aws-iso` and `aws-iso-b` had no dual-stack endpoints;
/// `partitions.json` (1.1) now has `supportsDualStack: true` for both, and
/// the later models dropped these cases. Each must still fail, so that an
/// entry that starts passing is noticed and removed.
const STALE_MODEL_CASES: &[(&str, &str)] = &[
    (
        "2025-07-16.json",
        "For region us-iso-east-1 with FIPS enabled and DualStack enabled",
    ),
    (
        "2025-07-16.json",
        "For region us-iso-east-1 with FIPS disabled and DualStack enabled",
    ),
    (
        "2025-07-16.json",
        "For region us-isob-east-1 with FIPS enabled and DualStack enabled",
    ),
    (
        "2025-07-16.json",
        "For region us-isob-east-1 with FIPS disabled and DualStack enabled",
    ),
];

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        if path.is_dir() {
            out.extend(json_files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out
}

#[test]
fn rules_engine_suite() {
    let suite = Path::new(SUITE);
    if !suite.is_dir() {
        println!("skipped: {SUITE} is absent, so the rules-engine suite is not run");
        return;
    }
    let rule_sets = json_files(&suite.join("rules"));
    assert_eq!(
        rule_sets.len(),
        EXPECTED_RULE_SETS,
        "rule sets in {SUITE}/rules"
    );
    let (mut passed, mut failed, mut without_cases) = (0, Vec::new(), Vec::new());
    for path in &rule_sets {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(path).unwrap();
        let rules = RuleSet::parse(&text).unwrap_or_else(|e| panic!("{name} does not load: {e}"));
        let cases_path = suite.join("cases").join(&name);
        if !cases_path.is_file() {
            without_cases.push(name);
            continue;
        }
        let cases = read_json(&cases_path);
        for case in cases["testCases"].as_array().expect("testCases") {
            let case = EndpointCase::from_json(case).unwrap_or_else(|e| panic!("{name}: {e}"));
            match check_case(&rules, &case) {
                Ok(()) => passed += 1,
                Err(diff) => failed.push(format!("{name}: {}\n{diff}", case.documentation)),
            }
        }
    }
    println!(
        "endpoints: {passed} passed, {} failed (rules-engine suite, {} rule sets; loaded only, no cases: {})",
        failed.len(),
        rule_sets.len(),
        without_cases.join(", ")
    );
    assert!(failed.is_empty(), "failed cases:\n{}", failed.join("\n"));
    assert_eq!(passed, EXPECTED_SUITE_CASES, "cases run");
    assert_eq!(
        without_cases.len(),
        3,
        "rule sets without cases: {without_cases:?}"
    );
}

#[test]
fn endpoint_tests_of_every_shared_model() {
    let models = Path::new(MODELS);
    if !models.is_dir() {
        println!("skipped: {MODELS} is absent, so no model's endpointTests are run");
        return;
    }
    let (mut passed, mut failed, mut services) = (0, Vec::new(), 0);
    let mut stale = Vec::new();
    for path in json_files(models) {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let model = read_json(&path);
        let Some(shapes) = model["shapes"].as_object() else {
            continue;
        };
        for (id, shape) in shapes {
            let traits = &shape["traits"];
            let (Some(rules), Some(tests)) = (
                traits.get("smithy.rules#endpointRuleSet"),
                traits.get("smithy.rules#endpointTests"),
            ) else {
                continue;
            };
            services += 1;
            let results =
                run_tests(rules, tests).unwrap_or_else(|e| panic!("{}: {id}: {e}", path.display()));
            assert!(!results.is_empty(), "{id} has no test cases");
            for result in results {
                let is_stale = STALE_MODEL_CASES
                    .iter()
                    .any(|&(f, doc)| f == file && doc == result.documentation);
                match result.outcome {
                    Ok(()) if is_stale => failed.push(format!(
                        "{file}: {}: listed in STALE_MODEL_CASES but passes; remove the entry",
                        result.documentation
                    )),
                    Ok(()) => passed += 1,
                    Err(_) if is_stale => stale.push(result.documentation),
                    Err(diff) => failed.push(format!(
                        "{} {id}: {}\n{diff}",
                        path.display(),
                        result.documentation
                    )),
                }
            }
        }
    }
    println!(
        "endpoints: {passed} passed, {} failed, {} skipped (endpointTests of {services} services in ../shared/models; skipped: stale expectations, see STALE_MODEL_CASES)",
        failed.len(),
        stale.len()
    );
    assert!(failed.is_empty(), "failed cases:\n{}", failed.join("\n"));
    assert_eq!(
        stale.len(),
        STALE_MODEL_CASES.len(),
        "stale cases found: {stale:?}"
    );
    assert!(services >= 7, "services with endpoint tests: {services}");
}

mod buckets {
    opgen::include_operation!(
        "PutObject",
        "ListBuckets",
        model = "ui/models/endpoint-params.json"
    );
}

fn put_object(accelerate: bool) -> buckets::PutObjectInput {
    buckets::PutObjectInput::builder()
        .bucket("photos")
        .key("cat.jpg")
        .accelerate(accelerate)
        .tiers(["standard", "warm"])
        .storage(buckets::Storage::Hot)
        .build()
        .unwrap()
}

#[test]
fn context_params_and_static_context_params_reach_the_rules() {
    use opgen::endpoint::{resolve_operation, EndpointParams};
    let region = || EndpointParams::new().region("us-west-2");
    let endpoint = resolve_operation::<buckets::PutObject>(&put_object(true), region()).unwrap();
    // Bucket, Tiers[1] and Storage from @contextParam, Mode from
    // @staticContextParams, Region from the built-in.
    assert_eq!(
        endpoint.url(),
        "https://photos.fast.warm.hot.us-west-2.example.com"
    );
    assert_eq!(endpoint.signing_name(), Some("buckets-fast"));
    assert_eq!(endpoint.signing_region(), Some("us-west-2"));

    // Accelerate (a boolean @contextParam) false: the rule set's own error.
    let error = resolve_operation::<buckets::PutObject>(&put_object(false), region()).unwrap_err();
    assert_eq!(error.to_string(), "bucket `photos` set without the rest");

    // A member without @contextParam binds nothing.
    let list = buckets::ListBucketsInput::builder()
        .bucket("photos")
        .build()
        .unwrap();
    let endpoint = resolve_operation::<buckets::ListBuckets>(&list, region()).unwrap();
    assert_eq!(endpoint.url(), "https://buckets.us-west-2.example.com");
    assert_eq!(endpoint.signing_name(), None);
}

#[test]
fn operations_of_one_service_share_one_compiled_resolver() {
    use opgen::endpoint::ResolveFn;
    use opgen::Operation;
    let put: ResolveFn = buckets::PutObject::ENDPOINT_RESOLVER.expect("PutObject is compiled");
    let list: ResolveFn = buckets::ListBuckets::ENDPOINT_RESOLVER.expect("ListBuckets is compiled");
    // The rules are compiled, not embedded: no JSON reaches the binary.
    assert!(buckets::PutObject::ENDPOINT_RULES.is_none());
    assert!(buckets::ListBuckets::ENDPOINT_RULES.is_none());
    // One function for both: the same answer, for the same parameters.
    let params = opgen::endpoint::EndpointParams::new()
        .region("eu-west-1")
        .param("Mode", "slow");
    assert_eq!(put(&params), list(&params));
    assert_eq!(
        put(&params).map(|e| e.url().to_string()),
        Ok("https://buckets.eu-west-1.example.com".to_string())
    );
}
