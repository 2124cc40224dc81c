//! The address a request is sent to, and the endpoint rules engine that
//! finds it.
//!
//! A service's model carries its endpoint rules (`smithy.rules#endpointRuleSet`,
//! Smithy rules 1.0). `include_operation!` compiles them into a Rust
//! function ([`ResolveFn`], [`Operation::ENDPOINT_RESOLVER`]) that calls
//! this module's functions. This module also interprets them: a rule set
//! the compiler refuses is embedded as JSON text in an [`EndpointRules`]
//! static, parsed into a [`RuleSet`] the first time an endpoint is
//! resolved; [`resolve`] evaluates it with the [`EndpointParams`] of a call
//! (region, FIPS, dual-stack, endpoint override, and the operation's
//! context parameters) into an [`Endpoint`]. Tests hold the compiled rules
//! to the interpreter.
//!
//! ```
//! use opgen::endpoint::{EndpointParams, RuleSet};
//!
//! let rules = RuleSet::parse(r#"{
//!     "version": "1.0",
//!     "parameters": { "Region": { "type": "string", "builtIn": "AWS::Region", "required": true } },
//!     "rules": [{
//!         "conditions": [{ "fn": "aws.partition", "argv": [{ "ref": "Region" }], "assign": "p" }],
//!         "endpoint": { "url": "https://things.{Region}.{p#dnsSuffix}" },
//!         "type": "endpoint"
//!     }]
//! }"#)?;
//! let endpoint = rules.resolve(&EndpointParams::new().region("cn-north-1"))?;
//! assert_eq!(endpoint.url(), "https://things.cn-north-1.amazonaws.com.cn");
//! # Ok::<(), opgen::EndpointError>(())
//! ```

mod eval;
pub(crate) mod functions;
pub(crate) mod partitions;
mod regex;
pub(crate) mod rules;

use crate::{Document, EndpointError, Operation, ServiceMetadata};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

pub use rules::RuleSet;

/// A service's endpoint rules compiled into Rust: what
/// `include_operation!` generates from `smithy.rules#endpointRuleSet`, one
/// function per service and expansion (see [`Operation::ENDPOINT_RESOLVER`]).
pub type ResolveFn = fn(&EndpointParams) -> Result<Endpoint, EndpointError>;

/// `AWS::Region`: the region of the call.
pub const BUILTIN_REGION: &str = "AWS::Region";
/// `AWS::UseFIPS`: send to a FIPS 140-2 endpoint.
pub const BUILTIN_USE_FIPS: &str = "AWS::UseFIPS";
/// `AWS::UseDualStack`: send to an endpoint reachable over IPv4 and IPv6.
pub const BUILTIN_USE_DUAL_STACK: &str = "AWS::UseDualStack";
/// `AWS::S3::ForcePathStyle`: put the S3 bucket in the path, not the host.
pub const BUILTIN_S3_FORCE_PATH_STYLE: &str = "AWS::S3::ForcePathStyle";
/// `AWS::S3::Accelerate`: send to S3 Transfer Acceleration endpoints.
pub const BUILTIN_S3_ACCELERATE: &str = "AWS::S3::Accelerate";
/// `SDK::Endpoint`: an endpoint URL that overrides the rules' own.
pub const BUILTIN_ENDPOINT: &str = "SDK::Endpoint";

/// A resolved endpoint: the base URL a request is sent to, plus any headers
/// the endpoint requires and the properties the rules attached (such as
/// `authSchemes`, which say how to sign).
///
/// `Debug` and `Display` show the URL without its userinfo
/// (`https://<redacted>@host`) and without its query; [`Endpoint::url`]
/// returns it whole.
#[derive(Clone, PartialEq)]
pub struct Endpoint {
    url: String,
    headers: Vec<(String, String)>,
    properties: BTreeMap<String, Document>,
}

impl Endpoint {
    /// An endpoint at `url` (scheme, host, optional port and base path).
    /// A trailing `/` is dropped so paths can be appended.
    pub fn new(url: impl Into<String>) -> Self {
        let mut url = url.into();
        while url.ends_with('/') {
            url.pop();
        }
        Endpoint {
            url,
            headers: Vec::new(),
            properties: BTreeMap::new(),
        }
    }

    /// Adds a header that every request to this endpoint carries.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the property `name` (e.g. `authSchemes`), replacing any earlier
    /// value.
    pub fn with_property(mut self, name: impl Into<String>, value: Document) -> Self {
        self.properties.insert(name.into(), value);
        self
    }

    /// The base URL, without a trailing `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers this endpoint requires, in order; a header with several
    /// values appears once per value.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// Every property the endpoint rules attached, by name.
    pub fn properties(&self) -> &BTreeMap<String, Document> {
        &self.properties
    }

    /// The property `name`, if the rules set it.
    pub fn property(&self, name: &str) -> Option<&Document> {
        self.properties.get(name)
    }

    /// The entries of the `authSchemes` property, in the rules' order of
    /// preference; entries that are not objects with a `name` are skipped.
    pub fn auth_schemes(&self) -> Vec<AuthScheme<'_>> {
        let Some(Document::Array(schemes)) = self.properties.get("authSchemes") else {
            return Vec::new();
        };
        schemes
            .iter()
            .filter_map(AuthScheme::from_document)
            .collect()
    }

    /// The SigV4 signing name the rules ask for (`signingName` of the first
    /// `sigv4` auth scheme); `None` means the service's own signing name.
    pub fn signing_name(&self) -> Option<&str> {
        self.sigv4().and_then(|scheme| scheme.signing_name)
    }

    /// The SigV4 signing region the rules ask for (`signingRegion` of the
    /// first `sigv4` auth scheme); `None` means the region of the call.
    pub fn signing_region(&self) -> Option<&str> {
        self.sigv4().and_then(|scheme| scheme.signing_region)
    }

    /// `disableDoubleEncoding` of the endpoint's `sigv4` auth scheme, when
    /// it says.
    pub fn disable_double_encoding(&self) -> Option<bool> {
        self.sigv4()
            .and_then(|scheme| scheme.disable_double_encoding)
    }

    fn sigv4(&self) -> Option<AuthScheme<'_>> {
        self.auth_schemes()
            .into_iter()
            .find(|scheme| scheme.name == "sigv4")
    }

    /// The endpoint with `prefix` put before its host name, for operations
    /// with an `@endpoint` host prefix.
    pub fn with_host_prefix(&self, prefix: &str) -> Endpoint {
        let (scheme, rest) = match self.url.split_once("://") {
            Some((scheme, rest)) => (scheme, rest),
            None => ("https", self.url.as_str()),
        };
        Endpoint {
            url: format!("{scheme}://{prefix}{rest}"),
            headers: self.headers.clone(),
            properties: self.properties.clone(),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact_url(&self.url))
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &redact_url(&self.url))
            .field("headers", &self.headers)
            .field("properties", &self.properties)
            .finish()
    }
}

/// `url` as `Debug`, `Display` and error messages show it: without the
/// userinfo (`user:password@` becomes `<redacted>@`) and without the query
/// and fragment, which may carry tokens. Takes any text, URL or not, since
/// it also describes URLs that failed to parse.
pub(crate) fn redact_url(url: &str) -> String {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = match authority.rfind('@') {
        Some(at) => format!("<redacted>@{}", &authority[at + 1..]),
        None => authority.to_owned(),
    };
    match scheme {
        Some(scheme) => format!("{scheme}://{host}{path}"),
        None => format!("{host}{path}"),
    }
}

/// One entry of an endpoint's `authSchemes` property: how requests to the
/// endpoint are signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme<'e> {
    /// The scheme, e.g. `sigv4` or `sigv4a`.
    pub name: &'e str,
    /// `signingName`: the service name in the signature scope.
    pub signing_name: Option<&'e str>,
    /// `signingRegion`: the region in the signature scope (`sigv4`).
    pub signing_region: Option<&'e str>,
    /// `signingRegionSet`: the regions a `sigv4a` signature is valid in.
    pub signing_region_set: Vec<&'e str>,
    /// `disableDoubleEncoding`: sign the path as sent, without encoding it
    /// a second time.
    pub disable_double_encoding: Option<bool>,
}

impl<'e> AuthScheme<'e> {
    fn from_document(document: &'e Document) -> Option<Self> {
        let Document::Object(fields) = document else {
            return None;
        };
        let string = |key: &str| match fields.get(key) {
            Some(Document::String(s)) => Some(s.as_str()),
            _ => None,
        };
        let signing_region_set = match fields.get("signingRegionSet") {
            Some(Document::Array(items)) => items
                .iter()
                .filter_map(|item| match item {
                    Document::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(AuthScheme {
            name: string("name")?,
            signing_name: string("signingName"),
            signing_region: string("signingRegion"),
            signing_region_set,
            disable_double_encoding: match fields.get("disableDoubleEncoding") {
                Some(Document::Bool(b)) => Some(*b),
                _ => None,
            },
        })
    }
}

/// The value of an endpoint parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A `string` parameter.
    String(String),
    /// A `boolean` parameter.
    Bool(bool),
    /// A `stringArray` parameter.
    StringArray(Vec<String>),
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::String(value.to_string())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        ParamValue::String(value)
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        ParamValue::Bool(value)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(value: Vec<String>) -> Self {
        ParamValue::StringArray(value)
    }
}

/// The inputs of endpoint resolution: built-in values (region, FIPS,
/// dual-stack, endpoint override) that fill every parameter bound to them,
/// and values for parameters by name (from `@contextParam`,
/// `@staticContextParams`, or a test case). A value given by name wins over
/// a built-in; a parameter with neither takes its default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointParams {
    named: BTreeMap<String, ParamValue>,
    builtins: BTreeMap<String, ParamValue>,
}

impl EndpointParams {
    /// No values: every parameter takes its default.
    pub fn new() -> Self {
        EndpointParams::default()
    }

    /// Sets `AWS::Region`.
    pub fn region(self, region: impl Into<String>) -> Self {
        self.builtin(BUILTIN_REGION, region.into())
    }

    /// Sets `AWS::UseFIPS`.
    pub fn use_fips(self, use_fips: bool) -> Self {
        self.builtin(BUILTIN_USE_FIPS, use_fips)
    }

    /// Sets `AWS::UseDualStack`.
    pub fn use_dual_stack(self, use_dual_stack: bool) -> Self {
        self.builtin(BUILTIN_USE_DUAL_STACK, use_dual_stack)
    }

    /// Sets `SDK::Endpoint`, the endpoint URL override.
    pub fn endpoint(self, url: impl Into<String>) -> Self {
        self.builtin(BUILTIN_ENDPOINT, url.into())
    }

    /// Sets the built-in `name` (e.g. `AWS::Region`).
    pub fn builtin(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.set_builtin(name, value);
        self
    }

    /// Sets the built-in `name` in place.
    pub fn set_builtin(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) {
        self.builtins.insert(name.into(), value.into());
    }

    /// Sets the parameter `name` of the rule set.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.set(name, value);
        self
    }

    /// Sets the parameter `name` of the rule set in place; what generated
    /// [`Operation::endpoint_params`] calls.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) {
        self.named.insert(name.into(), value.into());
    }

    /// The value given for the parameter `name`, if any.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.named.get(name)
    }

    /// The value given for the built-in `name`, if any.
    pub fn get_builtin(&self, name: &str) -> Option<&ParamValue> {
        self.builtins.get(name)
    }

    /// The value for the rule-set parameter `name` bound to the built-in
    /// `builtin`: given by name, else by built-in; with how it was given,
    /// for error messages.
    pub(crate) fn lookup(
        &self,
        name: &str,
        builtin: Option<&str>,
    ) -> Option<(&ParamValue, &'static str)> {
        self.get(name).map(|v| (v, "")).or_else(|| {
            builtin
                .and_then(|b| self.get_builtin(b))
                .map(|v| (v, " (built-in)"))
        })
    }

    fn builtin_str(&self, name: &str) -> Option<&str> {
        match self.builtins.get(name) {
            Some(ParamValue::String(s)) => Some(s),
            _ => None,
        }
    }

    fn builtin_bool(&self, name: &str) -> bool {
        matches!(self.builtins.get(name), Some(ParamValue::Bool(true)))
    }
}

/// A parameter given with the wrong type: `expected` is e.g. "a string".
pub(crate) fn wrong_param_type(
    name: &str,
    how: &str,
    expected: &str,
    value: &ParamValue,
) -> EndpointError {
    EndpointError::new(format!(
        "endpoint parameter `{name}`{how} must be {expected}, got {value:?}"
    ))
}

/// A required parameter with neither a value nor a default.
pub(crate) fn missing_param(name: &str, builtin: Option<&str>) -> EndpointError {
    EndpointError::new(format!(
        "missing required endpoint parameter `{name}`{}",
        builtin
            .map(|b| format!(" (built-in {b})"))
            .unwrap_or_default()
    ))
}

/// No rule of the rule set applied.
pub(crate) fn no_rule_matched() -> EndpointError {
    EndpointError::new("no endpoint rule matched the parameters")
}

/// A tree rule's conditions held but none of its rules applied.
pub(crate) fn no_rule_matched_in_tree() -> EndpointError {
    EndpointError::new("no endpoint rule matched inside a tree rule whose conditions held")
}

/// A service's endpoint rule set as generated code holds it: the rule set's
/// JSON text, parsed on first use and kept for the life of the process.
///
/// ```
/// static RULES: opgen::endpoint::EndpointRules = opgen::endpoint::EndpointRules::new(
///     r#"{"version":"1.0","parameters":{},"rules":[
///         {"conditions":[],"endpoint":{"url":"https://example.com"},"type":"endpoint"}]}"#,
/// );
/// let endpoint = RULES.resolve(&opgen::endpoint::EndpointParams::new())?;
/// assert_eq!(endpoint.url(), "https://example.com");
/// # Ok::<(), opgen::EndpointError>(())
/// ```
pub struct EndpointRules {
    source: &'static str,
    parsed: OnceLock<Result<RuleSet, EndpointError>>,
}

impl EndpointRules {
    /// The rule set whose JSON text (`smithy.rules#endpointRuleSet`) is
    /// `source`; nothing is parsed yet.
    pub const fn new(source: &'static str) -> Self {
        EndpointRules {
            source,
            parsed: OnceLock::new(),
        }
    }

    /// The JSON text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The parsed rule set: parsed on the first call, then shared. A
    /// malformed rule set is an error saying what is wrong, on every call.
    pub fn rule_set(&self) -> Result<&RuleSet, EndpointError> {
        self.parsed
            .get_or_init(|| RuleSet::parse(self.source))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Evaluates the rules with `params`.
    pub fn resolve(&self, params: &EndpointParams) -> Result<Endpoint, EndpointError> {
        self.rule_set()?.resolve(params)
    }
}

impl fmt::Debug for EndpointRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointRules")
            .field("source_len", &self.source.len())
            .field("parsed", &self.parsed.get().map(Result::is_ok))
            .finish()
    }
}

/// Resolves the endpoint of a call to `service`: evaluates `rules` (the
/// operation's [`Operation::ENDPOINT_RULES`]) with `params`; without rules,
/// `SDK::Endpoint` if set, else
/// `https://{endpointPrefix}[-fips].{region}.{dnsSuffix or dualStackDnsSuffix}`
/// of the region's partition.
///
/// Errors carry the exact message of the rule set's `error` rule (e.g.
/// `Invalid Configuration: FIPS and custom endpoint are not supported`), or
/// say what is wrong with a malformed rule set or parameter.
pub fn resolve(
    service: &ServiceMetadata,
    rules: Option<&EndpointRules>,
    params: &EndpointParams,
) -> Result<Endpoint, EndpointError> {
    match rules {
        Some(rules) => rules.resolve(params),
        None => resolve_without_rules(service, params),
    }
}

/// [`resolve`] for the operation `O` called with `input`: adds the
/// operation's context parameters ([`Operation::endpoint_params`]) to
/// `params` (which holds the built-ins) and evaluates its service's rules,
/// compiled ([`Operation::ENDPOINT_RESOLVER`]) when they are.
pub fn resolve_operation<O: Operation>(
    input: &O::Input,
    mut params: EndpointParams,
) -> Result<Endpoint, EndpointError> {
    O::endpoint_params(input, &mut params);
    resolve_operation_params::<O>(&params)
}

/// [`resolve_operation`] with the parameters already complete.
pub(crate) fn resolve_operation_params<O: Operation>(
    params: &EndpointParams,
) -> Result<Endpoint, EndpointError> {
    // Matched on both constants, so that an operation without embedded
    // rules links no interpreter.
    match (O::ENDPOINT_RESOLVER, O::ENDPOINT_RULES) {
        (Some(resolve_compiled), _) => resolve_compiled(params),
        (None, Some(rules)) => rules.resolve(params),
        (None, None) => resolve_without_rules(O::SERVICE, params),
    }
}

fn resolve_without_rules(
    service: &ServiceMetadata,
    params: &EndpointParams,
) -> Result<Endpoint, EndpointError> {
    if let Some(url) = params.builtin_str(BUILTIN_ENDPOINT) {
        return Ok(Endpoint::new(url));
    }
    let region = params.builtin_str(BUILTIN_REGION).ok_or_else(|| {
        EndpointError::new("no region configured, so no endpoint can be resolved")
    })?;
    if !functions::is_valid_host_label(region, false) {
        return Err(EndpointError::new(format!(
            "invalid region `{region}`; expected e.g. `us-east-1`"
        )));
    }
    let partition = partitions::partition_of(region)
        .ok_or_else(|| EndpointError::new("internal error: no `aws` partition in the table"))?;
    let fips = params.builtin_bool(BUILTIN_USE_FIPS);
    let dual_stack = params.builtin_bool(BUILTIN_USE_DUAL_STACK);
    let outputs = &partition.outputs;
    if fips && !outputs.supports_fips {
        return Err(EndpointError::new(
            "FIPS is enabled but this partition does not support FIPS",
        ));
    }
    if dual_stack && !outputs.supports_dual_stack {
        return Err(EndpointError::new(
            "DualStack is enabled but this partition does not support DualStack",
        ));
    }
    let suffix = if dual_stack {
        outputs.dual_stack_dns_suffix
    } else {
        outputs.dns_suffix
    };
    let fips = if fips { "-fips" } else { "" };
    Ok(Endpoint::new(format!(
        "https://{}{fips}.{region}.{suffix}",
        service.endpoint_prefix
    )))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Protocol;

    #[test]
    fn endpoint_debug_and_display_hide_userinfo_and_query() {
        let endpoint = Endpoint::new("https://user:secret-pass@things.example/base?secret-query");
        let shown = format!("{endpoint} {endpoint:?}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(
            shown.contains("https://<redacted>@things.example/base"),
            "{shown}"
        );
        assert_eq!(
            endpoint.url(),
            "https://user:secret-pass@things.example/base?secret-query"
        );
        for (url, shown) in [
            ("https://things.example", "https://things.example"),
            ("http://127.0.0.1:9/a@b?x", "http://127.0.0.1:9/a@b"),
            ("user:pass@host/path#frag", "<redacted>@host/path"),
            ("not a url?secret", "not a url"),
        ] {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }

    pub(crate) static SERVICE: ServiceMetadata = ServiceMetadata {
        shape_id: "com.example#Things",
        sdk_id: "Things",
        api_version: "2024-01-01",
        signing_name: "things",
        endpoint_prefix: "things-api",
        protocol: Protocol::RestJson1,
    };

    #[test]
    fn without_rules_the_partition_gives_the_suffix() {
        let cases = [
            (
                EndpointParams::new().region("us-west-2"),
                "https://things-api.us-west-2.amazonaws.com",
            ),
            (
                EndpointParams::new().region("cn-north-1"),
                "https://things-api.cn-north-1.amazonaws.com.cn",
            ),
            (
                EndpointParams::new().region("eu-west-1").use_fips(true),
                "https://things-api-fips.eu-west-1.amazonaws.com",
            ),
            (
                EndpointParams::new()
                    .region("eu-west-1")
                    .use_dual_stack(true),
                "https://things-api.eu-west-1.api.aws",
            ),
            (
                EndpointParams::new()
                    .region("us-east-1")
                    .endpoint("http://localhost:4566/"),
                "http://localhost:4566",
            ),
        ];
        for (params, url) in cases {
            let endpoint = resolve(&SERVICE, None, &params).map_err(|e| e.to_string());
            assert_eq!(
                endpoint.map(|e| e.url().to_string()),
                Ok(url.to_string()),
                "{params:?}"
            );
        }
    }

    #[test]
    fn without_rules_a_region_is_required_and_checked() {
        let missing = resolve(&SERVICE, None, &EndpointParams::new()).unwrap_err();
        assert!(missing.to_string().contains("no region"), "{missing}");
        let invalid =
            resolve(&SERVICE, None, &EndpointParams::new().region("us east/1")).unwrap_err();
        assert!(
            invalid.to_string().contains("invalid region `us east/1`"),
            "{invalid}"
        );
    }

    #[test]
    fn auth_scheme_accessors_pick_the_first_sigv4_scheme() {
        let scheme = |name: &str, signing_name: &str, region: &str| {
            Document::Object(BTreeMap::from([
                ("name".to_string(), Document::String(name.into())),
                (
                    "signingName".to_string(),
                    Document::String(signing_name.into()),
                ),
                ("signingRegion".to_string(), Document::String(region.into())),
            ]))
        };
        let endpoint = Endpoint::new("https://example.com").with_property(
            "authSchemes",
            Document::Array(vec![
                scheme("sigv4a", "a-name", "*"),
                scheme("sigv4", "s3-outposts", "us-west-2"),
                scheme("sigv4", "later", "eu-west-1"),
            ]),
        );
        assert_eq!(endpoint.signing_name(), Some("s3-outposts"));
        assert_eq!(endpoint.signing_region(), Some("us-west-2"));
        assert_eq!(endpoint.auth_schemes().len(), 3);
        assert_eq!(
            endpoint.with_host_prefix("x.").signing_name(),
            Some("s3-outposts")
        );
        let plain = Endpoint::new("https://example.com");
        assert_eq!((plain.signing_name(), plain.signing_region()), (None, None));
    }

    #[test]
    fn malformed_embedded_rules_are_an_error_every_time() {
        static BAD: EndpointRules = EndpointRules::new("{\"version\": \"1.0\"");
        for _ in 0..2 {
            let error = BAD.resolve(&EndpointParams::new()).unwrap_err();
            assert!(
                error.to_string().starts_with("invalid endpoint rule set"),
                "{error}"
            );
        }
    }
}
