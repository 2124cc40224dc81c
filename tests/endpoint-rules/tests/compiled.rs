//! Compiled endpoint rules against the interpreter: every case of the
//! rules-engine suite (`../shared/endpoints/cases`) and every
//! `smithy.rules#endpointTests` case of the shared models must resolve to
//! the same endpoint (URL, headers, properties) or the same error message
//! through the resolver `include_operation!` would generate as through
//! `RuleSet::resolve`. Each case is also run in variants (each boolean
//! parameter flipped, each given parameter left out) to reach more rules.

use opgen::endpoint::{EndpointParams, ParamValue, ResolveFn, RuleSet};
use opgen_cli::endpoints::{describe, EndpointCase};
use opgen_endpoint_rules_check::RULE_SETS;
use serde_json::Value;
use std::path::Path;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
/// 101 suite cases and 1405 model cases (4 of them with stale
/// expectations, which does not matter here: only agreement is checked).
const EXPECTED_CASES: usize = 1510;

/// The rule set at `relative` and its test cases.
fn rules_and_cases(relative: &str) -> (Value, Vec<Value>) {
    let read = |path: &Path| -> Value {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{relative}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
    };
    let path = Path::new(SHARED).join(relative);
    let json = read(&path);
    let cases = |tests: &Value| tests["testCases"].as_array().cloned().unwrap_or_default();
    if let Some(name) = relative.strip_prefix("endpoints/rules/") {
        let cases_path = Path::new(SHARED).join("endpoints/cases").join(name);
        let tests = if cases_path.is_file() {
            cases(&read(&cases_path))
        } else {
            Vec::new()
        };
        return (json, tests);
    }
    let service = json["shapes"]
        .as_object()
        .and_then(|shapes| {
            shapes
                .values()
                .find(|s| s["traits"].get("smithy.rules#endpointRuleSet").is_some())
        })
        .unwrap_or_else(|| panic!("{relative}: no rule set"));
    let traits = &service["traits"];
    (
        traits["smithy.rules#endpointRuleSet"].clone(),
        cases(&traits["smithy.rules#endpointTests"]),
    )
}

/// The case's parameters, then each boolean flipped, then each left out.
fn variants(params: &EndpointParams, names: &[String]) -> Vec<EndpointParams> {
    let mut out = vec![params.clone()];
    for name in names {
        match params.get(name) {
            Some(ParamValue::Bool(b)) => out.push(params.clone().param(name.clone(), !*b)),
            None => out.push(params.clone().param(name.clone(), true)),
            Some(_) => {}
        }
        if params.get(name).is_some() {
            let mut without = EndpointParams::new();
            for other in names.iter().filter(|other| *other != name) {
                if let Some(value) = params.get(other) {
                    without.set(other.clone(), value.clone());
                }
            }
            out.push(without);
        }
    }
    out
}

#[test]
fn compiled_rules_agree_with_the_interpreter() {
    if !Path::new(SHARED).is_dir() || RULE_SETS.is_empty() {
        println!("skipped: {SHARED} is absent, so no compiled rule set is checked");
        return;
    }
    let (mut passed, mut failed, mut variants_run) = (0, Vec::new(), 0);
    for &(relative, compiled) in RULE_SETS {
        let (rules, cases) = rules_and_cases(relative);
        let interpreted = RuleSet::parse(&rules.to_string())
            .unwrap_or_else(|e| panic!("{relative} does not load: {e}"));
        let probe = compiled(&EndpointParams::new());
        assert!(
            !matches!(&probe, Err(e) if e.to_string().starts_with("not compiled")),
            "{relative}: {probe:?}"
        );
        let names: Vec<String> = interpreted.parameter_names().map(str::to_string).collect();
        for case in &cases {
            let case = EndpointCase::from_json(case).unwrap_or_else(|e| panic!("{relative}: {e}"));
            let mut agree = true;
            for (i, params) in variants(&case.params, &names).iter().enumerate() {
                if let Err(diff) = compare(&interpreted, compiled, params) {
                    agree = false;
                    failed.push(format!(
                        "{relative}: {} (variant {i}: {params:?})\n{diff}",
                        case.documentation
                    ));
                    break;
                }
                variants_run += usize::from(i > 0);
            }
            if agree {
                passed += 1;
            }
        }
    }
    println!(
        "endpoints (compiled): {passed} passed, {} failed, 0 skipped ({} rule sets; {variants_run} variants also agree)",
        failed.len(),
        RULE_SETS.len()
    );
    assert!(failed.is_empty(), "disagreements:\n{}", failed.join("\n"));
    assert_eq!(passed, EXPECTED_CASES, "cases run");
}

fn compare(
    interpreted: &RuleSet,
    compiled: ResolveFn,
    params: &EndpointParams,
) -> Result<(), String> {
    let want = describe(&interpreted.resolve(params));
    let got = describe(&compiled(params));
    if want == got {
        Ok(())
    } else {
        Err(format!("  interpreted: {want:?}\n  compiled:    {got:?}"))
    }
}
