//! `endpoint_rules`: the endpoint rules engine on arbitrary parameters and
//! arbitrary rule sets.

use crate::input::Input;
use opgen::endpoint::{
    EndpointParams, ParamValue, RuleSet, BUILTIN_ENDPOINT, BUILTIN_REGION, BUILTIN_USE_DUAL_STACK,
    BUILTIN_USE_FIPS,
};
use opgen::{Endpoint, Operation};
use std::sync::OnceLock;

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

/// A rule set that calls every function of the standard library on the
/// parameters, so that fuzzing parameters alone reaches them all.
const EVERY_FUNCTION: &str = r#"{
  "version": "1.0",
  "parameters": {
    "Region": {"type": "string", "builtIn": "AWS::Region"},
    "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
    "Endpoint": {"type": "string", "builtIn": "SDK::Endpoint"},
    "Bucket": {"type": "string"},
    "Names": {"type": "stringArray", "default": ["a", "b"], "required": true}
  },
  "rules": [
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                    {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}],
     "rules": [
       {"conditions": [{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}, true]}],
        "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}ip", "properties": {}, "headers": {}},
        "type": "endpoint"},
       {"conditions": [], "endpoint": {"url": "{url#scheme}://{url#authority}{url#path}"}, "type": "endpoint"}
     ],
     "type": "tree"},
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                    {"fn": "aws.parseArn", "argv": [{"ref": "Bucket"}], "assign": "arn"},
                    {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "second"}],
     "endpoint": {"url": "https://{second}.{arn#region}.{arn#service}.example.com/{arn#accountId}"},
     "type": "endpoint"},
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                    {"fn": "substring", "argv": [{"ref": "Bucket"}, 1, 4, true], "assign": "sub"},
                    {"fn": "isValidHostLabel", "argv": [{"ref": "sub"}, true]},
                    {"fn": "getAttr", "argv": [{"ref": "Names"}, "[0]"], "assign": "first"}],
     "endpoint": {"url": "https://{sub}.example.com/{first}"},
     "type": "endpoint"},
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                    {"fn": "uriEncode", "argv": [{"ref": "Bucket"}], "assign": "encoded"},
                    {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"ref": "encoded"}, "x"]}]}],
     "endpoint": {"url": "https://example.com/{encoded}"},
     "type": "endpoint"},
    {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]},
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
     "rules": [
       {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}, {"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "p"}, "supportsFIPS"]}, false]}],
        "error": "FIPS is not supported in {p#name}", "type": "error"},
       {"conditions": [{"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]}],
        "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}",
                     "properties": {"authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}"}]},
                     "headers": {"x-partition": ["{p#name}"]}},
        "type": "endpoint"}
     ],
     "type": "tree"},
    {"conditions": [], "error": "no region", "type": "error"}
  ]
}"#;

/// The rule set of the bundled model's service.
fn bundled_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let model: serde_json::Value = match serde_json::from_str(opgen_model::BUNDLED_MODEL) {
            Ok(model) => model,
            Err(e) => panic!("the bundled model is not JSON: {e}"),
        };
        let rules = model["shapes"]
            .as_object()
            .into_iter()
            .flat_map(|shapes| shapes.values())
            .find_map(|shape| shape["traits"].get("smithy.rules#endpointRuleSet"));
        match rules.map(|r| RuleSet::parse(&r.to_string())) {
            Some(Ok(rules)) => rules,
            other => panic!("the bundled model has no usable rule set: {other:?}"),
        }
    })
}

fn every_function_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| match RuleSet::parse(EVERY_FUNCTION) {
        Ok(rules) => rules,
        Err(e) => panic!("the harness's rule set does not parse: {e}"),
    })
}

/// The input is a flags byte, then lines:
///
/// ```text
/// <flags>us-east-1           flags: a byte; then AWS::Region
/// https://example.com        SDK::Endpoint
/// Bucket=arn:aws:s3:::b      named parameters up to an empty line
///                            (true/false: boolean; [a,b]: string array)
/// {"version": "1.0", …}      a rule set; empty: a built-in one
/// ```
///
/// Flag bits: 0 `AWS::UseFIPS`, 1 `AWS::UseDualStack`, 2 set the region,
/// 3 set the endpoint, 4 the bundled model's rule set (else one calling
/// every function) when no rule set is given.
///
/// Invariants: no panic; a rule set that does not parse is an error with a
/// message; resolution is deterministic, its error has a message, the
/// built-in rule sets give URLs with a scheme (unless overridden), and an
/// endpoint's auth schemes, signing name and region and host prefixing can be
/// read; the resolution without rules (the default endpoint) gives
/// `https://` URLs unless overridden.
pub fn endpoint_rules(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let region = input.text_line();
    let endpoint = input.text_line();
    let named = input.header_lines();
    let text = String::from_utf8_lossy(input.rest());

    let mut params = EndpointParams::new()
        .use_fips(flags & 1 != 0)
        .use_dual_stack(flags & 2 != 0);
    if flags & 4 != 0 {
        params = params.region(region.as_str());
    }
    if flags & 8 != 0 {
        params = params.endpoint(endpoint.as_str());
    }
    for (name, value) in named {
        let name = String::from_utf8_lossy(name).into_owned();
        let value = String::from_utf8_lossy(value).into_owned();
        let value = match value.as_str() {
            "true" => ParamValue::Bool(true),
            "false" => ParamValue::Bool(false),
            v if v.starts_with('[') && v.ends_with(']') && v.len() >= 2 => ParamValue::StringArray(
                v[1..v.len() - 1]
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            _ => ParamValue::String(value),
        };
        params.set(name, value);
    }

    let parsed;
    let rules = if text.trim().is_empty() {
        if flags & 16 != 0 {
            bundled_rules()
        } else {
            every_function_rules()
        }
    } else {
        match RuleSet::parse(&text) {
            Ok(rules) => {
                parsed = rules;
                let _ = (parsed.version(), parsed.parameter_names().count());
                &parsed
            }
            Err(e) => {
                assert!(!e.to_string().is_empty(), "an error without a message");
                check_default(&params);
                return;
            }
        }
    };
    let first = rules.resolve(&params);
    let second = rules.resolve(&params);
    match (&first, &second) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "resolution is not deterministic"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("resolution is not deterministic: {first:?} then {second:?}"),
    }
    match first {
        Ok(endpoint) => {
            // The built-in rule sets build every URL from a scheme and a
            // host; only an override (built-in or by name) is taken as given.
            let builtin = text.trim().is_empty();
            let overridden =
                params.get_builtin(BUILTIN_ENDPOINT).is_some() || params.get("Endpoint").is_some();
            if builtin && !overridden {
                assert!(
                    endpoint.url().contains("://"),
                    "endpoint {:?} has no scheme",
                    endpoint.url()
                );
            }
            check_endpoint(&endpoint);
        }
        Err(e) => assert!(!e.to_string().is_empty(), "an error without a message"),
    }
    let _ = format!("{rules:?} {params:?}");
    check_default(&params);
    let _ = (
        params.get("Region"),
        params.get_builtin(BUILTIN_REGION),
        params.get_builtin(BUILTIN_USE_FIPS),
        params.get_builtin(BUILTIN_USE_DUAL_STACK),
        params.get_builtin(BUILTIN_ENDPOINT),
    );
}

fn check_endpoint(endpoint: &Endpoint) {
    let _ = format!("{endpoint:?}");
    let _ = (
        endpoint.auth_schemes(),
        endpoint.signing_name(),
        endpoint.signing_region(),
        endpoint.headers(),
        endpoint.properties(),
    );
    let _ = endpoint.with_host_prefix("prefix.");
}

/// Without rules: the endpoint override, or the default endpoint of the
/// region's partition.
fn check_default(params: &EndpointParams) {
    let service = <agentcore::GetResourceOauth2Token as Operation>::SERVICE;
    match opgen::endpoint::resolve(service, None, params) {
        Ok(endpoint) => {
            if params.get_builtin(BUILTIN_ENDPOINT).is_none() {
                assert!(
                    endpoint.url().starts_with("https://"),
                    "default endpoint {:?}",
                    endpoint.url()
                );
            }
            check_endpoint(&endpoint);
        }
        Err(e) => assert!(!e.to_string().is_empty(), "an error without a message"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_rule_set_reaches_its_endpoints() {
        let rules = every_function_rules();
        let resolve = |params: EndpointParams| rules.resolve(&params).map(|e| e.url().to_string());
        assert_eq!(
            resolve(EndpointParams::new().region("us-east-1")).as_deref(),
            Ok("https://svc.us-east-1.amazonaws.com")
        );
        assert_eq!(
            resolve(EndpointParams::new().endpoint("https://127.0.0.1:8443/p")).as_deref(),
            Ok("https://127.0.0.1:8443/p/ip")
        );
        let arn = "arn:aws:s3:us-west-2:123456789012:accesspoint:my-ap";
        assert_eq!(
            resolve(EndpointParams::new().param("Bucket", arn)).as_deref(),
            Ok("https://my-ap.us-west-2.s3.example.com/123456789012")
        );
        assert_eq!(
            resolve(EndpointParams::new().param("Bucket", "my.bucket")).as_deref(),
            Ok("https://cke.example.com/a")
        );
        assert!(resolve(EndpointParams::new()).is_err());
    }

    #[test]
    fn bundled_rule_set_resolves_a_region() {
        let endpoint = bundled_rules().resolve(&EndpointParams::new().region("eu-west-1"));
        assert!(endpoint.is_ok_and(|e| e.url().starts_with("https://")));
    }
}
