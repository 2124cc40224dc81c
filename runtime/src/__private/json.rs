//! JSON values of the Smithy data model, as restJson1 puts them on the wire.

pub use crate::encoding::{base64_decode, base64_encode};
use crate::{Blob, DateTime, Document};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// A value that has a JSON wire form.
pub trait ToJson {
    fn to_json(&self) -> Value;
}

/// A value that can be read from its JSON wire form.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, String>;

    /// The value of a `null` inside a list or map: `Some` only for sparse
    /// collections (`Option<T>`); dense collections drop the entry.
    fn from_null() -> Option<Self> {
        None
    }

    /// The value that stands in for a required member the service left out
    /// (Smithy's error correction); `None` when there is no such value.
    fn missing() -> Option<Self> {
        None
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub fn expected(what: &str, value: &Value) -> String {
    format!("expected {what}, found {}", kind(value))
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| expected("a string", value))
    }
    fn missing() -> Option<Self> {
        Some(String::new())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, String> {
        value.as_bool().ok_or_else(|| expected("a boolean", value))
    }
    fn missing() -> Option<Self> {
        Some(false)
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
        impl FromJson for $t {
            fn from_json(value: &Value) -> Result<Self, String> {
                let n = value.as_i64().ok_or_else(|| expected("an integer", value))?;
                <$t>::try_from(n).map_err(|_| format!("out of range for {}", stringify!($t)))
            }
            fn missing() -> Option<Self> {
                Some(0)
            }
        }
    )*};
}
integers!(i8, i16, i32, i64);

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                if self.is_nan() {
                    Value::String("NaN".into())
                } else if self.is_infinite() {
                    Value::String(if *self > 0.0 { "Infinity" } else { "-Infinity" }.into())
                } else {
                    Number::from_f64(f64::from(*self)).map_or(Value::Null, Value::Number)
                }
            }
        }
        impl FromJson for $t {
            fn from_json(value: &Value) -> Result<Self, String> {
                match value {
                    Value::Number(n) => n.as_f64().map(|f| f as $t).ok_or_else(|| expected("a number", value)),
                    Value::String(s) => match s.as_str() {
                        "NaN" => Ok(<$t>::NAN),
                        "Infinity" => Ok(<$t>::INFINITY),
                        "-Infinity" => Ok(<$t>::NEG_INFINITY),
                        _ => Err("expected a number, found a string".to_owned()),
                    },
                    other => Err(expected("a number", other)),
                }
            }
            fn missing() -> Option<Self> {
                Some(0.0)
            }
        }
    )*};
}
floats!(f32, f64);

impl ToJson for Blob {
    fn to_json(&self) -> Value {
        Value::String(base64_encode(self.as_bytes()))
    }
}

impl FromJson for Blob {
    fn from_json(value: &Value) -> Result<Self, String> {
        let text = value
            .as_str()
            .ok_or_else(|| expected("a base64 string", value))?;
        base64_decode(text).map(Blob::new)
    }
    fn missing() -> Option<Self> {
        Some(Blob::default())
    }
}

/// Timestamps in JSON bodies default to `epoch-seconds`.
impl ToJson for DateTime {
    fn to_json(&self) -> Value {
        timestamp_to_json(self, TimestampFormat::EpochSeconds)
    }
}

impl FromJson for DateTime {
    fn from_json(value: &Value) -> Result<Self, String> {
        timestamp_from_json(value, TimestampFormat::EpochSeconds)
    }
    fn missing() -> Option<Self> {
        Some(DateTime::from_secs(0))
    }
}

impl ToJson for Document {
    fn to_json(&self) -> Value {
        self.to_value()
    }
}

impl FromJson for Document {
    fn from_json(value: &Value) -> Result<Self, String> {
        Ok(Document::from_value(value))
    }
    fn from_null() -> Option<Self> {
        Some(Document::Null)
    }
    fn missing() -> Option<Self> {
        Some(Document::Null)
    }
}

impl ToJson for crate::BigNumber {
    fn to_json(&self) -> Value {
        serde_json::from_str::<Number>(self.as_str()).map_or(Value::Null, Value::Number)
    }
}

impl FromJson for crate::BigNumber {
    fn from_json(value: &Value) -> Result<Self, String> {
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            other => return Err(expected("a number", other)),
        };
        crate::BigNumber::parse(&text).ok_or_else(|| "expected a number".to_owned())
    }
}

impl ToJson for crate::Unit {
    fn to_json(&self) -> Value {
        Value::Object(Map::new())
    }
}

impl FromJson for crate::Unit {
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_object()
            .map(|_| crate::Unit)
            .ok_or_else(|| expected("an empty object", value))
    }
}

impl<T: ToJson> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Value) -> Result<Self, String> {
        T::from_json(value).map(Box::new)
    }
    fn missing() -> Option<Self> {
        T::missing().map(Box::new)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToJson::to_json)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, String> {
        if value.is_null() {
            Ok(None)
        } else {
            T::from_json(value).map(Some)
        }
    }
    fn from_null() -> Option<Self> {
        Some(None)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, String> {
        let items = value
            .as_array()
            .ok_or_else(|| expected("an array", value))?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                out.extend(T::from_null());
            } else {
                out.push(T::from_json(item).map_err(|e| format!("[{i}]: {e}"))?);
            }
        }
        Ok(out)
    }
    fn missing() -> Option<Self> {
        Some(Vec::new())
    }
}

impl<T: ToJson> ToJson for HashMap<String, T> {
    fn to_json(&self) -> Value {
        let mut entries: Vec<(&String, &T)> = self.iter().collect();
        // Sorted keys make the wire body, and so the signature, deterministic.
        entries.sort_by(|a, b| a.0.cmp(b.0));
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect(),
        )
    }
}

impl<T: FromJson> FromJson for HashMap<String, T> {
    fn from_json(value: &Value) -> Result<Self, String> {
        let entries = value
            .as_object()
            .ok_or_else(|| expected("an object", value))?;
        let mut out = HashMap::with_capacity(entries.len());
        for (key, item) in entries {
            if item.is_null() {
                if let Some(v) = T::from_null() {
                    out.insert(key.clone(), v);
                }
            } else {
                out.insert(
                    key.clone(),
                    // The key is data, so it is not quoted.
                    T::from_json(item).map_err(|e| format!("a map value: {e}"))?,
                );
            }
        }
        Ok(out)
    }
    fn missing() -> Option<Self> {
        Some(HashMap::new())
    }
}

/// The object of a structure's JSON form.
pub fn object<'v>(value: &'v Value, shape: &str) -> Result<&'v Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("{shape}: {}", expected("an object", value)))
}

/// An optional member: absent and `null` are both `None`.
pub fn member<T: FromJson>(
    object: &Map<String, Value>,
    shape: &str,
    name: &str,
) -> Result<Option<T>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => T::from_json(value)
            .map(Some)
            .map_err(|e| format!("{shape}.{name}: {e}")),
    }
}

/// An optional member with a model `@default` (given as JSON text): when
/// absent or `null`, that default.
pub fn member_or_default<T: FromJson>(
    object: &Map<String, Value>,
    shape: &str,
    name: &str,
    default: &str,
) -> Result<Option<T>, String> {
    if let Some(value) = member(object, shape, name)? {
        return Ok(Some(value));
    }
    let value: Value = serde_json::from_str(default)
        .map_err(|e| format!("{shape}.{name}: invalid @default {default}: {e}"))?;
    T::from_json(&value)
        .map(Some)
        .map_err(|e| format!("{shape}.{name}: @default {default}: {e}"))
}

/// A required member: when absent, the error-corrected value of its type,
/// else an error naming it.
pub fn required_member<T: FromJson>(
    object: &Map<String, Value>,
    shape: &str,
    name: &str,
) -> Result<T, String> {
    member(object, shape, name)?
        .or_else(T::missing)
        .ok_or_else(|| format!("{shape}.{name}: required member is missing"))
}

/// `@timestampFormat` of a member, as generated code names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    DateTime,
    HttpDate,
    EpochSeconds,
}

pub fn timestamp_to_json(value: &DateTime, format: TimestampFormat) -> Value {
    match format {
        TimestampFormat::DateTime => Value::String(value.fmt_date_time()),
        TimestampFormat::HttpDate => Value::String(value.fmt_http_date()),
        TimestampFormat::EpochSeconds => {
            if value.subsec_nanos() == 0 {
                Value::from(value.secs())
            } else {
                Number::from_f64(value.as_secs_f64()).map_or(Value::Null, Value::Number)
            }
        }
    }
}

pub fn timestamp_from_json(value: &Value, format: TimestampFormat) -> Result<DateTime, String> {
    match (value, format) {
        (Value::Number(n), _) => epoch_seconds_from_text(&n.to_string())
            .ok_or_else(|| "invalid epoch seconds".to_owned()),
        (Value::String(s), _) => DateTime::parse_date_time(s)
            .or_else(|| DateTime::parse_http_date(s))
            .ok_or_else(|| "invalid timestamp".to_owned()),
        (other, _) => Err(expected("a timestamp", other)),
    }
}

/// Epoch seconds from their decimal text, exactly: `946845296.123` is 123 ms,
/// not the nearest `f64`. `None` when not a number, or not a time of years
/// 0001–9999 (`NaN`, `inf` and `1e400` are not numbers here).
pub fn epoch_seconds_from_text(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if text.contains(['e', 'E']) {
        return DateTime::checked_from_secs_f64(text.parse().ok()?, 1);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let seconds: i64 = whole.parse().ok()?;
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(9)
        .collect();
    let nanos: u32 = digits.parse().ok()?;
    if seconds < 0 || whole.starts_with('-') {
        // -1.5 is one and a half seconds before the epoch.
        let total = i128::from(seconds) * 1_000_000_000 - i128::from(nanos);
        let secs = total.div_euclid(1_000_000_000) as i64;
        let nanos = total.rem_euclid(1_000_000_000) as u32;
        return DateTime::from_secs_and_nanos(secs, nanos).in_range();
    }
    DateTime::from_secs_and_nanos(seconds, nanos).in_range()
}

impl FromJson for Map<String, Value> {
    fn from_json(value: &Value) -> Result<Self, String> {
        value
            .as_object()
            .cloned()
            .ok_or_else(|| expected("an object", value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_do_not_parse_are_not_quoted() {
        let errors = [
            f64::from_json(&serde_json::json!("secret")).unwrap_err(),
            crate::BigNumber::from_json(&serde_json::json!("secret")).unwrap_err(),
            i8::from_json(&serde_json::json!(98765)).unwrap_err(),
            timestamp_from_json(&serde_json::json!("secret"), TimestampFormat::DateTime)
                .unwrap_err(),
            HashMap::<String, i32>::from_json(&serde_json::json!({"secret-key": "x"})).unwrap_err(),
        ];
        for error in errors {
            assert!(!error.contains("secret"), "{error}");
            assert!(!error.contains("98765"), "{error}");
        }
    }

    #[test]
    fn epoch_seconds_that_are_not_a_time_of_years_1_to_9999_are_refused() {
        for text in [
            "NaN",
            "inf",
            "-inf",
            "Infinity",
            "1e400",
            "1e300",
            "-1e300",
            "9223372036854775807",
            "-9223372036854775808.5",
            "253402300800",
            "-62135596800.5",
        ] {
            assert_eq!(epoch_seconds_from_text(text), None, "{text}");
        }
        assert_eq!(
            epoch_seconds_from_text("253402300799.999999999"),
            Some(DateTime::from_secs_and_nanos(253_402_300_799, 999_999_999))
        );
        assert_eq!(
            epoch_seconds_from_text("-62135596800"),
            Some(DateTime::from_secs(-62_135_596_800))
        );
        assert_eq!(
            epoch_seconds_from_text("1.5e9"),
            Some(DateTime::from_secs(1_500_000_000))
        );
    }

    #[test]
    fn json_numbers_that_are_not_a_time_of_years_1_to_9999_are_errors() {
        for value in [
            serde_json::json!(1e300),
            serde_json::json!(-1e300),
            serde_json::json!(i64::MAX),
            serde_json::json!(u64::MAX),
            serde_json::json!(253_402_300_800_i64),
        ] {
            for format in [TimestampFormat::EpochSeconds, TimestampFormat::DateTime] {
                let error = timestamp_from_json(&value, format).unwrap_err();
                assert!(error.contains("epoch seconds"), "{value}: {error}");
            }
            assert!(DateTime::from_json(&value).is_err(), "{value}");
        }
        assert_eq!(
            DateTime::from_json(&serde_json::json!(1_576_540_098.5)).unwrap(),
            DateTime::from_secs_and_nanos(1_576_540_098, 500_000_000)
        );
    }

    #[test]
    fn dense_lists_drop_nulls_and_sparse_lists_keep_them() {
        let v: Value = serde_json::json!(["a", null, "b"]);
        assert_eq!(Vec::<String>::from_json(&v).unwrap(), ["a", "b"]);
        assert_eq!(
            Vec::<Option<String>>::from_json(&v).unwrap(),
            [Some("a".to_string()), None, Some("b".to_string())]
        );
    }

    #[test]
    fn big_numbers_travel_as_json_numbers() {
        let n = crate::BigNumber::parse("12345678901234567890").unwrap();
        assert_eq!(n.to_json().to_string(), "12345678901234567890");
        assert_eq!(crate::BigNumber::from_json(&n.to_json()).unwrap(), n);
        assert!(crate::BigNumber::from_json(&Value::Bool(true)).is_err());
        assert!(crate::BigNumber::parse("12abc").is_none());
    }

    #[test]
    fn absent_members_take_the_model_default() {
        let mut obj = Map::new();
        assert_eq!(
            member_or_default::<i32>(&obj, "S", "n", "7").unwrap(),
            Some(7)
        );
        assert_eq!(
            member_or_default::<Vec<String>>(&obj, "S", "l", "[]").unwrap(),
            Some(vec![])
        );
        obj.insert("n".into(), Value::from(3));
        assert_eq!(
            member_or_default::<i32>(&obj, "S", "n", "7").unwrap(),
            Some(3)
        );
    }

    #[test]
    fn required_member_is_error_corrected_or_named() {
        let obj = Map::new();
        assert_eq!(required_member::<String>(&obj, "S", "m").unwrap(), "");
        assert_eq!(
            required_member::<Map<String, Value>>(&obj, "S", "m").unwrap_err(),
            "S.m: required member is missing"
        );
    }

    #[test]
    fn floats_use_strings_for_non_finite_values() {
        assert_eq!(f64::NAN.to_json(), Value::String("NaN".into()));
        assert_eq!(
            f32::from_json(&Value::String("-Infinity".into())).unwrap(),
            f32::NEG_INFINITY
        );
    }
}
