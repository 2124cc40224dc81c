use serde_json::Value;
use std::collections::BTreeMap;

/// The traits of a shape or member, keyed by absolute trait id, with typed
/// access to the ones the generator uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traits(BTreeMap<String, Value>);

/// `@http`: method, URI pattern and success code of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpTrait {
    /// HTTP method.
    pub method: String,
    /// URI pattern with `{label}`s and an optional literal query.
    pub uri: String,
    /// Success status code (200 unless given).
    pub code: u16,
}

/// `@error`: who is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The caller.
    Client,
    /// The service.
    Server,
}

/// The wire value of an enum member (`@enumValue`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumValue {
    /// A string enum value.
    String(String),
    /// An intEnum value.
    Int(i64),
}

/// `@xmlNamespace`: the `xmlns` (or `xmlns:prefix`) declaration of an
/// element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNamespace {
    /// The namespace URI.
    pub uri: String,
    /// The prefix, when the declaration is `xmlns:prefix`.
    pub prefix: Option<String>,
}

/// `@timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 with `Z`.
    DateTime,
    /// IMF-fixdate (RFC 7231).
    HttpDate,
    /// Seconds since the epoch, fractions allowed.
    EpochSeconds,
}

const NS: &str = "smithy.api#";

impl Traits {
    /// Traits from their JSON values.
    pub fn new(map: BTreeMap<String, Value>) -> Self {
        Traits(map)
    }

    /// Every trait, keyed by absolute id.
    pub fn all(&self) -> &BTreeMap<String, Value> {
        &self.0
    }

    /// The value of a trait by absolute id.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// Whether a trait is present, by absolute id.
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// Merges `other` in (for `apply` and member-target inheritance); list
    /// traits are concatenated, other traits replaced.
    pub(crate) fn merge(&mut self, other: &BTreeMap<String, Value>) {
        for (id, value) in other {
            match (self.0.get_mut(id), value) {
                (Some(Value::Array(mine)), Value::Array(theirs)) => {
                    mine.extend(theirs.iter().cloned());
                }
                _ => {
                    self.0.insert(id.clone(), value.clone());
                }
            }
        }
    }

    fn prelude(&self, name: &str) -> Option<&Value> {
        self.0.get(&format!("{NS}{name}"))
    }

    fn prelude_str(&self, name: &str) -> Option<&str> {
        self.prelude(name).and_then(Value::as_str)
    }

    fn prelude_flag(&self, name: &str) -> bool {
        self.prelude(name).is_some()
    }

    /// `@documentation`.
    pub fn documentation(&self) -> Option<&str> {
        self.prelude_str("documentation")
    }

    /// `@required`.
    pub fn required(&self) -> bool {
        self.prelude_flag("required")
    }

    /// `@clientOptional`.
    pub fn client_optional(&self) -> bool {
        self.prelude_flag("clientOptional")
    }

    /// `@default` value.
    pub fn default_value(&self) -> Option<&Value> {
        self.prelude("default")
    }

    /// `@sensitive`.
    pub fn sensitive(&self) -> bool {
        self.prelude_flag("sensitive")
    }

    /// `@deprecated`.
    pub fn deprecated(&self) -> bool {
        self.prelude_flag("deprecated")
    }

    /// `@jsonName`.
    pub fn json_name(&self) -> Option<&str> {
        self.prelude_str("jsonName")
    }

    /// `@http`.
    pub fn http(&self) -> Option<HttpTrait> {
        let value = self.prelude("http")?;
        Some(HttpTrait {
            method: value.get("method")?.as_str()?.to_string(),
            uri: value.get("uri")?.as_str()?.to_string(),
            code: value
                .get("code")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(200),
        })
    }

    /// `@error`.
    pub fn error(&self) -> Option<ErrorKind> {
        match self.prelude_str("error")? {
            "client" => Some(ErrorKind::Client),
            "server" => Some(ErrorKind::Server),
            _ => None,
        }
    }

    /// `@httpError` status code.
    pub fn http_error(&self) -> Option<u16> {
        self.prelude("httpError")
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
    }

    /// `@retryable`: `Some(throttling)` when present.
    pub fn retryable(&self) -> Option<bool> {
        self.prelude("retryable").map(|v| {
            v.get("throttling")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        })
    }

    /// `@httpLabel`.
    pub fn http_label(&self) -> bool {
        self.prelude_flag("httpLabel")
    }

    /// `@httpQuery` parameter name.
    pub fn http_query(&self) -> Option<&str> {
        self.prelude_str("httpQuery")
    }

    /// `@httpQueryParams`.
    pub fn http_query_params(&self) -> bool {
        self.prelude_flag("httpQueryParams")
    }

    /// `@httpHeader` name.
    pub fn http_header(&self) -> Option<&str> {
        self.prelude_str("httpHeader")
    }

    /// `@httpPrefixHeaders` prefix.
    pub fn http_prefix_headers(&self) -> Option<&str> {
        self.prelude_str("httpPrefixHeaders")
    }

    /// `@httpPayload`.
    pub fn http_payload(&self) -> bool {
        self.prelude_flag("httpPayload")
    }

    /// `@httpResponseCode`.
    pub fn http_response_code(&self) -> bool {
        self.prelude_flag("httpResponseCode")
    }

    /// `@timestampFormat`.
    pub fn timestamp_format(&self) -> Option<TimestampFormat> {
        match self.prelude_str("timestampFormat")? {
            "date-time" => Some(TimestampFormat::DateTime),
            "http-date" => Some(TimestampFormat::HttpDate),
            "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
            _ => None,
        }
    }

    /// `@mediaType`.
    pub fn media_type(&self) -> Option<&str> {
        self.prelude_str("mediaType")
    }

    /// `@streaming`.
    pub fn streaming(&self) -> bool {
        self.prelude_flag("streaming")
    }

    /// `@idempotencyToken`.
    pub fn idempotency_token(&self) -> bool {
        self.prelude_flag("idempotencyToken")
    }

    /// `@sparse`.
    pub fn sparse(&self) -> bool {
        self.prelude_flag("sparse")
    }

    /// `@hostLabel`.
    pub fn host_label(&self) -> bool {
        self.prelude_flag("hostLabel")
    }

    /// `@endpoint` host prefix.
    pub fn endpoint_host_prefix(&self) -> Option<&str> {
        self.prelude("endpoint")?.get("hostPrefix")?.as_str()
    }

    /// `@enumValue`.
    pub fn enum_value(&self) -> Option<EnumValue> {
        match self.prelude("enumValue")? {
            Value::String(s) => Some(EnumValue::String(s.clone())),
            Value::Number(n) => n.as_i64().map(EnumValue::Int),
            _ => None,
        }
    }

    /// `@input`.
    pub fn is_input(&self) -> bool {
        self.prelude_flag("input")
    }

    /// `@output`.
    pub fn is_output(&self) -> bool {
        self.prelude_flag("output")
    }

    /// `@unitType` (only `smithy.api#Unit` has it).
    pub fn unit_type(&self) -> bool {
        self.prelude_flag("unitType")
    }

    /// `@title`.
    pub fn title(&self) -> Option<&str> {
        self.prelude_str("title")
    }

    /// `@xmlName`.
    pub fn xml_name(&self) -> Option<&str> {
        self.prelude_str("xmlName")
    }

    /// `@xmlAttribute`.
    pub fn xml_attribute(&self) -> bool {
        self.prelude_flag("xmlAttribute")
    }

    /// `@xmlFlattened`.
    pub fn xml_flattened(&self) -> bool {
        self.prelude_flag("xmlFlattened")
    }

    /// `@xmlNamespace`.
    pub fn xml_namespace(&self) -> Option<XmlNamespace> {
        let value = self.prelude("xmlNamespace")?;
        Some(XmlNamespace {
            uri: value.get("uri")?.as_str()?.to_string(),
            prefix: value
                .get("prefix")
                .and_then(Value::as_str)
                .map(str::to_string),
        })
    }

    /// `@aws.protocols#ec2QueryName`.
    pub fn ec2_query_name(&self) -> Option<&str> {
        self.get("aws.protocols#ec2QueryName")
            .and_then(Value::as_str)
    }
}
