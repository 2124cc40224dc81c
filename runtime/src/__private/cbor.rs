//! CBOR (RFC 8949) values of the Smithy data model, as rpcv2Cbor puts them
//! on the wire: a codec of our own (BENCHMARKS.md says why no crate) and the
//! conversions generated code calls, shaped like `json.rs` so that the code
//! generated for both protocols reads the same.

use std::collections::BTreeMap;

/// A CBOR data item.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Simple value 22.
    Null,
    /// Simple value 23; read like `null`.
    Undefined,
    /// Simple values 20 and 21.
    Bool(bool),
    /// Major types 0 and 1. Decoded integers lie in `-2^64 ..= 2^64 - 1`;
    /// larger ones are encoded as bignums (tags 2 and 3).
    Integer(i128),
    /// Half, single or double precision on the wire.
    Float(f64),
    /// A byte string.
    Bytes(Vec<u8>),
    /// A text string.
    Text(String),
    /// An array.
    Array(Vec<Value>),
    /// A map with text keys, the only kind Smithy sends.
    Map(Map),
    /// A tagged item.
    Tag(u64, Box<Value>),
}

/// The entries of a CBOR map.
pub type Map = BTreeMap<String, Value>;

/// How deep arrays, maps and tags may nest in a decoded item: deeper input
/// is refused rather than allowed to exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// Tag 1: epoch-based date/time.
pub const TAG_EPOCH_SECONDS: u64 = 1;
const TAG_POSITIVE_BIGNUM: u64 = 2;
const TAG_NEGATIVE_BIGNUM: u64 = 3;
const TAG_DECIMAL_FRACTION: u64 = 4;

/// The encoding of `value`: definite lengths, integers and floats in their
/// shortest exact form.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, value);
    out
}

fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let major = major << 5;
    if n < 24 {
        out.push(major | n as u8);
    } else if let Ok(n) = u8::try_from(n) {
        out.extend_from_slice(&[major | 24, n]);
    } else if let Ok(n) = u16::try_from(n) {
        out.push(major | 25);
        out.extend_from_slice(&n.to_be_bytes());
    } else if let Ok(n) = u32::try_from(n) {
        out.push(major | 26);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        out.push(major | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.push(0xf6),
        Value::Undefined => out.push(0xf7),
        Value::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Value::Integer(n) => write_integer(out, *n),
        Value::Float(f) => write_float(out, *f),
        Value::Bytes(bytes) => {
            head(out, 2, bytes.len() as u64);
            out.extend_from_slice(bytes);
        }
        Value::Text(text) => write_text(out, text),
        Value::Array(items) => {
            head(out, 4, items.len() as u64);
            for item in items {
                write(out, item);
            }
        }
        Value::Map(map) => {
            head(out, 5, map.len() as u64);
            for (key, item) in map {
                write_text(out, key);
                write(out, item);
            }
        }
        Value::Tag(tag, item) => {
            head(out, 6, *tag);
            write(out, item);
        }
    }
}

fn write_text(out: &mut Vec<u8>, text: &str) {
    head(out, 3, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

fn write_integer(out: &mut Vec<u8>, n: i128) {
    // Cannot overflow: for any i128, -1 - n is in range.
    let negative = -1 - n;
    if let Ok(u) = u64::try_from(n) {
        head(out, 0, u);
    } else if let Ok(u) = u64::try_from(negative) {
        head(out, 1, u);
    } else {
        let (tag, magnitude) = if n >= 0 {
            (TAG_POSITIVE_BIGNUM, n as u128)
        } else {
            (TAG_NEGATIVE_BIGNUM, negative as u128)
        };
        let bytes = magnitude.to_be_bytes();
        let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        head(out, 6, tag);
        write(out, &Value::Bytes(bytes[first..].to_vec()));
    }
}

fn write_float(out: &mut Vec<u8>, f: f64) {
    if f.is_nan() {
        // The canonical quiet NaN; payloads carry nothing Smithy models.
        out.extend_from_slice(&[0xf9, 0x7e, 0x00]);
        return;
    }
    let single = f as f32;
    if f64::from(single).to_bits() != f.to_bits() {
        out.push(0xfb);
        out.extend_from_slice(&f.to_be_bytes());
    } else if let Some(half) = f32_to_f16_exact(single) {
        out.push(0xf9);
        out.extend_from_slice(&half.to_be_bytes());
    } else {
        out.push(0xfa);
        out.extend_from_slice(&single.to_be_bytes());
    }
}

/// The half-precision bits of `x` when it has them exactly (not NaN).
fn f32_to_f16_exact(x: f32) -> Option<u16> {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exponent = ((bits >> 23) & 0xff) as i32;
    let mantissa = bits & 0x7f_ffff;
    let candidate = if exponent == 0xff {
        sign | 0x7c00
    } else if exponent == 0 && mantissa == 0 {
        sign
    } else {
        let e = exponent - 127;
        if (-14..=15).contains(&e) {
            if mantissa & 0x1fff != 0 {
                return None;
            }
            sign | (((e + 15) as u16) << 10) | (mantissa >> 13) as u16
        } else if (-24..-14).contains(&e) {
            // Subnormal halves are multiples of 2^-24.
            let m = x.abs() * 16_777_216.0;
            if m.fract() != 0.0 || m >= 1024.0 {
                return None;
            }
            sign | m as u16
        } else {
            return None;
        }
    };
    (f16_to_f64(candidate) == f64::from(x)).then_some(candidate)
}

fn f16_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exponent = i32::from((bits >> 10) & 0x1f);
    let mantissa = f64::from(bits & 0x3ff);
    let magnitude = match exponent {
        0 => mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + mantissa / 1024.0) * 2f64.powi(e - 15),
    };
    sign * magnitude
}

/// Decodes one data item that must fill `bytes`.
///
/// Hostile input is safe: lengths are checked against the bytes left before
/// anything is allocated, so memory stays proportional to the input, and
/// nesting is limited to [`MAX_DEPTH`].
pub fn decode(bytes: &[u8]) -> Result<Value, String> {
    let mut reader = Reader { bytes, pos: 0 };
    let value = reader.item(0)?;
    let left = reader.remaining();
    if left != 0 {
        return Err(format!("{left} trailing bytes after the CBOR item"));
    }
    Ok(value)
}

const BREAK: u8 = 0xff;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], String> {
        let truncated = || {
            format!(
                "truncated CBOR: {n} bytes needed at offset {}, {} left",
                self.pos,
                self.remaining()
            )
        };
        let n = usize::try_from(n).map_err(|_| truncated())?;
        let end = self.pos.checked_add(n).ok_or_else(truncated)?;
        let slice = self.bytes.get(self.pos..end).ok_or_else(truncated)?;
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let slice = self.take(N as u64)?;
        slice
            .try_into()
            .map_err(|_| format!("truncated CBOR at offset {}", self.pos))
    }

    fn byte(&mut self) -> Result<u8, String> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    /// Consumes a break when it is next: the end of an indefinite item.
    fn at_break(&mut self) -> Result<bool, String> {
        match self.bytes.get(self.pos) {
            Some(&BREAK) => {
                self.pos += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err("truncated CBOR: an indefinite-length item has no break".into()),
        }
    }

    /// The argument of a head whose additional information is `info`.
    fn argument(&mut self, info: u8) -> Result<u64, String> {
        match info {
            0..=23 => Ok(u64::from(info)),
            24 => self.byte().map(u64::from),
            25 => self.array().map(|b| u64::from(u16::from_be_bytes(b))),
            26 => self.array().map(|b| u64::from(u32::from_be_bytes(b))),
            27 => self.array().map(u64::from_be_bytes),
            _ => Err(format!(
                "reserved additional information {info} at offset {}",
                self.pos.saturating_sub(1)
            )),
        }
    }

    fn item(&mut self, depth: usize) -> Result<Value, String> {
        let offset = self.pos;
        let initial = self.byte()?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        if matches!(major, 4..=6) && depth >= MAX_DEPTH {
            return Err(format!(
                "CBOR nested deeper than {MAX_DEPTH} at offset {offset}"
            ));
        }
        if info == 31 {
            return match major {
                2 => self.chunks(major).map(Value::Bytes),
                3 => {
                    let bytes = self.chunks(major)?;
                    // Each chunk was checked; their concatenation is UTF-8 too.
                    String::from_utf8(bytes)
                        .map(Value::Text)
                        .map_err(|_| format!("invalid UTF-8 in the text at offset {offset}"))
                }
                4 => {
                    let mut items = Vec::new();
                    while !self.at_break()? {
                        items.push(self.item(depth + 1)?);
                    }
                    Ok(Value::Array(items))
                }
                5 => {
                    let mut map = Map::new();
                    while !self.at_break()? {
                        self.entry(&mut map, depth)?;
                    }
                    Ok(Value::Map(map))
                }
                7 => Err(format!("unexpected break at offset {offset}")),
                _ => Err(format!(
                    "major type {major} cannot have an indefinite length (offset {offset})"
                )),
            };
        }
        if major == 7 {
            return self.simple(info, offset);
        }
        let argument = self.argument(info)?;
        match major {
            0 => Ok(Value::Integer(i128::from(argument))),
            1 => Ok(Value::Integer(-1 - i128::from(argument))),
            2 => self.take(argument).map(|b| Value::Bytes(b.to_vec())),
            3 => {
                let bytes = self.take(argument)?;
                std::str::from_utf8(bytes)
                    .map(|s| Value::Text(s.to_string()))
                    .map_err(|_| format!("invalid UTF-8 in the text at offset {offset}"))
            }
            4 => {
                // Every item takes at least one byte: a declared length
                // beyond the input is truncated, not a reason to allocate.
                let capacity = usize::try_from(argument).map_or(0, |n| n.min(self.remaining()));
                let mut items = Vec::with_capacity(capacity);
                for _ in 0..argument {
                    items.push(self.item(depth + 1)?);
                }
                Ok(Value::Array(items))
            }
            5 => {
                let mut map = Map::new();
                for _ in 0..argument {
                    self.entry(&mut map, depth)?;
                }
                Ok(Value::Map(map))
            }
            _ => Ok(Value::Tag(argument, Box::new(self.item(depth + 1)?))),
        }
    }

    fn entry(&mut self, map: &mut Map, depth: usize) -> Result<(), String> {
        let offset = self.pos;
        let key = match self.item(depth + 1)? {
            Value::Text(key) => key,
            other => {
                return Err(format!(
                    "map key at offset {offset} is {}, not a text string",
                    kind(&other)
                ))
            }
        };
        let value = self.item(depth + 1)?;
        if map.contains_key(&key) {
            // The key is data, so it is not quoted.
            return Err(format!("duplicate map key at offset {offset}"));
        }
        map.insert(key, value);
        Ok(())
    }

    /// The definite chunks of an indefinite byte or text string, joined.
    fn chunks(&mut self, major: u8) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        while !self.at_break()? {
            let offset = self.pos;
            let initial = self.byte()?;
            if initial >> 5 != major || initial & 0x1f == 31 {
                return Err(format!(
                    "invalid chunk of an indefinite-length string at offset {offset}"
                ));
            }
            let len = self.argument(initial & 0x1f)?;
            let chunk = self.take(len)?;
            if major == 3 && std::str::from_utf8(chunk).is_err() {
                return Err(format!(
                    "invalid UTF-8 in the text chunk at offset {offset}"
                ));
            }
            out.extend_from_slice(chunk);
        }
        Ok(out)
    }

    fn simple(&mut self, info: u8, offset: usize) -> Result<Value, String> {
        match info {
            20 => Ok(Value::Bool(false)),
            21 => Ok(Value::Bool(true)),
            22 => Ok(Value::Null),
            23 => Ok(Value::Undefined),
            24 => {
                let simple = self.byte()?;
                Err(if simple < 32 {
                    format!("invalid two-byte simple value {simple} at offset {offset}")
                } else {
                    format!("unsupported simple value {simple} at offset {offset}")
                })
            }
            25 => self
                .array()
                .map(|b| Value::Float(f16_to_f64(u16::from_be_bytes(b)))),
            26 => self
                .array()
                .map(|b| Value::Float(f64::from(f32::from_be_bytes(b)))),
            27 => self.array().map(|b| Value::Float(f64::from_be_bytes(b))),
            28..=30 => Err(format!(
                "reserved additional information {info} at offset {offset}"
            )),
            _ => Err(format!(
                "unsupported simple value {info} at offset {offset}"
            )),
        }
    }
}

/// What `value` is, for error messages: `an array`.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Undefined => "undefined",
        Value::Bool(_) => "a boolean",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Bytes(_) => "a byte string",
        Value::Text(_) => "a text string",
        Value::Array(_) => "an array",
        Value::Map(_) => "a map",
        Value::Tag(..) => "a tagged item",
    }
}

// ---- Smithy values ----
// (Everything above is the codec alone; BENCHMARKS.md measures it apart.)

use crate::{Blob, DateTime, Document};
use std::collections::HashMap;

/// A value that has a CBOR wire form.
pub trait ToCbor {
    /// The CBOR form.
    fn to_cbor(&self) -> Value;
}

/// A value that can be read from its CBOR wire form.
pub trait FromCbor: Sized {
    /// Reads the value; the error says what was expected and found.
    fn from_cbor(value: &Value) -> Result<Self, String>;

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

/// `expected {what}, found {the kind of value}`.
pub fn expected(what: &str, value: &Value) -> String {
    format!("expected {what}, found {}", kind(value))
}

/// `null` and `undefined` both stand for no value.
pub fn is_null(value: &Value) -> bool {
    matches!(value, Value::Null | Value::Undefined)
}

impl ToCbor for String {
    fn to_cbor(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl FromCbor for String {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        match value {
            Value::Text(s) => Ok(s.clone()),
            other => Err(expected("a text string", other)),
        }
    }
    fn missing() -> Option<Self> {
        Some(String::new())
    }
}

impl ToCbor for bool {
    fn to_cbor(&self) -> Value {
        Value::Bool(*self)
    }
}

impl FromCbor for bool {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(expected("a boolean", other)),
        }
    }
    fn missing() -> Option<Self> {
        Some(false)
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl ToCbor for $t {
            fn to_cbor(&self) -> Value {
                Value::Integer(i128::from(*self))
            }
        }
        impl FromCbor for $t {
            fn from_cbor(value: &Value) -> Result<Self, String> {
                match value {
                    Value::Integer(n) => <$t>::try_from(*n)
                        .map_err(|_| format!("out of range for {}", stringify!($t))),
                    other => Err(expected("an integer", other)),
                }
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
        impl ToCbor for $t {
            fn to_cbor(&self) -> Value {
                Value::Float(f64::from(*self))
            }
        }
        impl FromCbor for $t {
            fn from_cbor(value: &Value) -> Result<Self, String> {
                match value {
                    Value::Float(f) => Ok(*f as $t),
                    // Encoders may shorten a whole float to an integer.
                    Value::Integer(n) => Ok(*n as $t),
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

impl ToCbor for Blob {
    fn to_cbor(&self) -> Value {
        Value::Bytes(self.as_bytes().to_vec())
    }
}

impl FromCbor for Blob {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        match value {
            Value::Bytes(bytes) => Ok(Blob::new(bytes.clone())),
            other => Err(expected("a byte string", other)),
        }
    }
    fn missing() -> Option<Self> {
        Some(Blob::default())
    }
}

/// Timestamps are tag 1 around a double of epoch seconds, as the rpcv2Cbor
/// spec writes them, even when whole.
impl ToCbor for DateTime {
    fn to_cbor(&self) -> Value {
        Value::Tag(
            TAG_EPOCH_SECONDS,
            Box::new(Value::Float(self.as_secs_f64())),
        )
    }
}

impl FromCbor for DateTime {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        let seconds = match value {
            Value::Tag(TAG_EPOCH_SECONDS, inner) => inner.as_ref(),
            Value::Tag(tag, _) => {
                return Err(format!("expected tag 1 (epoch seconds), found tag {tag}"))
            }
            untagged => untagged,
        };
        match seconds {
            Value::Integer(n) => i64::try_from(*n)
                .ok()
                .and_then(|n| DateTime::from_secs(n).in_range())
                .ok_or_else(|| "epoch seconds out of range".to_owned()),
            // A double near today is only exact to ~240 ns: rounding to the
            // microsecond gives back the 1.52 that was sent, not 1.519999981.
            Value::Float(f) => DateTime::checked_from_secs_f64(*f, 1_000)
                .ok_or_else(|| "epoch seconds out of range".to_owned()),
            other => Err(expected("epoch seconds", other)),
        }
    }
    fn missing() -> Option<Self> {
        Some(DateTime::from_secs(0))
    }
}

/// Documents carry JSON-like values: whole numbers become integers, maps
/// keep text keys.
impl ToCbor for Document {
    fn to_cbor(&self) -> Value {
        match self {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
                    Value::Integer(*n as i128)
                } else {
                    Value::Float(*n)
                }
            }
            Document::String(s) => Value::Text(s.clone()),
            Document::Array(items) => Value::Array(items.iter().map(ToCbor::to_cbor).collect()),
            Document::Object(map) => {
                Value::Map(map.iter().map(|(k, v)| (k.clone(), v.to_cbor())).collect())
            }
        }
    }
}

/// Any CBOR value is a document; what JSON lacks is mapped onto it: byte
/// strings become base64 text, tags their content.
impl FromCbor for Document {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        Ok(match value {
            Value::Null | Value::Undefined => Document::Null,
            Value::Bool(b) => Document::Bool(*b),
            Value::Integer(n) => Document::Number(*n as f64),
            Value::Float(f) => Document::Number(*f),
            Value::Bytes(bytes) => Document::String(super::json::base64_encode(bytes)),
            Value::Text(s) => Document::String(s.clone()),
            Value::Array(items) => Document::Array(
                items
                    .iter()
                    .map(Document::from_cbor)
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(map) => Document::Object(
                map.iter()
                    .map(|(k, v)| Document::from_cbor(v).map(|d| (k.clone(), d)))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Tag(_, inner) => Document::from_cbor(inner)?,
        })
    }
    fn from_null() -> Option<Self> {
        Some(Document::Null)
    }
    fn missing() -> Option<Self> {
        Some(Document::Null)
    }
}

/// The most bytes of a bignum read into a `BigNumber`: the decimal
/// conversion is quadratic, and 64 bytes is already 155 digits.
const MAX_BIGNUM_BYTES: usize = 64;

/// Integers travel as CBOR integers, or bignums (tags 2 and 3) beyond 64
/// bits; decimals as a decimal fraction (tag 4, `[exponent, mantissa]`),
/// or a double when the mantissa is beyond 128 bits.
impl ToCbor for crate::BigNumber {
    fn to_cbor(&self) -> Value {
        let text = self.as_str();
        if let Ok(n) = text.parse::<i128>() {
            return Value::Integer(n);
        }
        if let Some((mantissa, exponent)) = decimal_parts(text) {
            return Value::Tag(
                TAG_DECIMAL_FRACTION,
                Box::new(Value::Array(vec![
                    Value::Integer(i128::from(exponent)),
                    Value::Integer(mantissa),
                ])),
            );
        }
        text.parse::<f64>().map_or(Value::Null, Value::Float)
    }
}

/// `1.25e3` as mantissa 125 and exponent 1.
fn decimal_parts(text: &str) -> Option<(i128, i64)> {
    let (number, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = format!("{whole}{fraction}");
    let mantissa = digits.parse::<i128>().ok()?;
    let exponent = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    Some((mantissa, exponent))
}

impl FromCbor for crate::BigNumber {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        let text = match value {
            Value::Integer(n) => n.to_string(),
            Value::Float(f) if f.is_finite() => f.to_string(),
            Value::Text(s) => s.clone(),
            Value::Tag(tag @ (TAG_POSITIVE_BIGNUM | TAG_NEGATIVE_BIGNUM), inner) => {
                let Value::Bytes(bytes) = inner.as_ref() else {
                    return Err(expected("a bignum's byte string", inner));
                };
                let magnitude = bignum_text(bytes)?;
                if *tag == TAG_POSITIVE_BIGNUM {
                    magnitude
                } else {
                    // -1 - n: the magnitude plus one, negated.
                    format!("-{}", decimal_increment(&magnitude))
                }
            }
            Value::Tag(TAG_DECIMAL_FRACTION, inner) => match inner.as_ref() {
                Value::Array(parts) => match parts.as_slice() {
                    [Value::Integer(exponent), Value::Integer(mantissa)] => {
                        format!("{mantissa}e{exponent}")
                    }
                    _ => return Err("expected a decimal fraction [exponent, mantissa]".into()),
                },
                other => return Err(expected("a decimal fraction", other)),
            },
            other => return Err(expected("a number", other)),
        };
        crate::BigNumber::parse(&text).ok_or_else(|| "expected a number".to_owned())
    }
}

/// The decimal digits of a big-endian unsigned integer.
fn bignum_text(bytes: &[u8]) -> Result<String, String> {
    let bytes = &bytes[bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len())..];
    if bytes.len() > MAX_BIGNUM_BYTES {
        return Err(format!("a bignum of {} bytes is too large", bytes.len()));
    }
    // Little-endian base 10^9 limbs, multiplied by 256 per byte.
    let mut limbs: Vec<u64> = Vec::new();
    for &byte in bytes {
        let mut carry = u64::from(byte);
        for limb in &mut limbs {
            let v = *limb * 256 + carry;
            *limb = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    let mut text = limbs.last().map_or_else(|| "0".to_string(), u64::to_string);
    for limb in limbs.iter().rev().skip(1) {
        text.push_str(&format!("{limb:09}"));
    }
    Ok(text)
}

/// `digits` + 1, in decimal.
fn decimal_increment(digits: &str) -> String {
    let mut out: Vec<u8> = digits.bytes().collect();
    for b in out.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return String::from_utf8_lossy(&out).into_owned();
        }
    }
    format!("1{}", String::from_utf8_lossy(&out))
}

impl ToCbor for crate::Unit {
    fn to_cbor(&self) -> Value {
        Value::Map(Map::new())
    }
}

impl FromCbor for crate::Unit {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        match value {
            Value::Map(_) => Ok(crate::Unit),
            other => Err(expected("an empty map", other)),
        }
    }
}

impl<T: ToCbor> ToCbor for Box<T> {
    fn to_cbor(&self) -> Value {
        (**self).to_cbor()
    }
}

impl<T: FromCbor> FromCbor for Box<T> {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        T::from_cbor(value).map(Box::new)
    }
    fn missing() -> Option<Self> {
        T::missing().map(Box::new)
    }
}

impl<T: ToCbor> ToCbor for Option<T> {
    fn to_cbor(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToCbor::to_cbor)
    }
}

impl<T: FromCbor> FromCbor for Option<T> {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        if is_null(value) {
            Ok(None)
        } else {
            T::from_cbor(value).map(Some)
        }
    }
    fn from_null() -> Option<Self> {
        Some(None)
    }
}

impl<T: ToCbor> ToCbor for Vec<T> {
    fn to_cbor(&self) -> Value {
        Value::Array(self.iter().map(ToCbor::to_cbor).collect())
    }
}

impl<T: FromCbor> FromCbor for Vec<T> {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        let Value::Array(items) = value else {
            return Err(expected("an array", value));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if is_null(item) {
                out.extend(T::from_null());
            } else {
                out.push(T::from_cbor(item).map_err(|e| format!("[{i}]: {e}"))?);
            }
        }
        Ok(out)
    }
    fn missing() -> Option<Self> {
        Some(Vec::new())
    }
}

impl<T: ToCbor> ToCbor for HashMap<String, T> {
    fn to_cbor(&self) -> Value {
        // A BTreeMap: sorted keys make the body, and so the signature,
        // deterministic.
        Value::Map(self.iter().map(|(k, v)| (k.clone(), v.to_cbor())).collect())
    }
}

impl<T: FromCbor> FromCbor for HashMap<String, T> {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        let Value::Map(entries) = value else {
            return Err(expected("a map", value));
        };
        let mut out = HashMap::with_capacity(entries.len());
        for (key, item) in entries {
            if is_null(item) {
                if let Some(v) = T::from_null() {
                    out.insert(key.clone(), v);
                }
            } else {
                out.insert(
                    key.clone(),
                    // The key is data, so it is not quoted.
                    T::from_cbor(item).map_err(|e| format!("a map value: {e}"))?,
                );
            }
        }
        Ok(out)
    }
    fn missing() -> Option<Self> {
        Some(HashMap::new())
    }
}

impl FromCbor for Map {
    fn from_cbor(value: &Value) -> Result<Self, String> {
        match value {
            Value::Map(map) => Ok(map.clone()),
            other => Err(expected("a map", other)),
        }
    }
}

/// The map of a structure's CBOR form.
pub fn object<'v>(value: &'v Value, shape: &str) -> Result<&'v Map, String> {
    match value {
        Value::Map(map) => Ok(map),
        other => Err(format!("{shape}: {}", expected("a map", other))),
    }
}

/// An optional member: absent, `null` and `undefined` are all `None`.
pub fn member<T: FromCbor>(object: &Map, shape: &str, name: &str) -> Result<Option<T>, String> {
    match object.get(name) {
        None => Ok(None),
        Some(value) if is_null(value) => Ok(None),
        Some(value) => T::from_cbor(value)
            .map(Some)
            .map_err(|e| format!("{shape}.{name}: {e}")),
    }
}

/// An optional member with a model `@default` (given as JSON text, as the
/// model writes it): when absent or `null`, that default.
pub fn member_or_default<T: FromCbor>(
    object: &Map,
    shape: &str,
    name: &str,
    default: &str,
) -> Result<Option<T>, String> {
    if let Some(value) = member(object, shape, name)? {
        return Ok(Some(value));
    }
    let json: serde_json::Value = serde_json::from_str(default)
        .map_err(|e| format!("{shape}.{name}: invalid @default {default}: {e}"))?;
    let error = match T::from_cbor(&from_json(&json)) {
        Ok(value) => return Ok(Some(value)),
        Err(e) => format!("{shape}.{name}: @default {default}: {e}"),
    };
    // The model writes as text what CBOR has other forms for: blobs in
    // base64, timestamps as date-times, non-finite floats by name.
    let serde_json::Value::String(text) = &json else {
        return Err(error);
    };
    let mut forms = Vec::new();
    match text.as_str() {
        "NaN" => forms.push(Value::Float(f64::NAN)),
        "Infinity" => forms.push(Value::Float(f64::INFINITY)),
        "-Infinity" => forms.push(Value::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    if let Ok(bytes) = super::json::base64_decode(text) {
        forms.push(Value::Bytes(bytes));
    }
    if let Some(time) = DateTime::parse_date_time(text) {
        forms.push(time.to_cbor());
    }
    forms
        .iter()
        .find_map(|form| T::from_cbor(form).ok())
        .map(Some)
        .ok_or(error)
}

/// A required member: when absent, the error-corrected value of its type,
/// else an error naming it.
pub fn required_member<T: FromCbor>(object: &Map, shape: &str, name: &str) -> Result<T, String> {
    member(object, shape, name)?
        .or_else(T::missing)
        .ok_or_else(|| format!("{shape}.{name}: required member is missing"))
}

/// The CBOR form of a JSON value (model defaults, documents from JSON).
pub fn from_json(value: &serde_json::Value) -> Value {
    use serde_json::Value as Json;
    match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
            .map_or_else(
                || Value::Float(n.as_f64().unwrap_or(f64::NAN)),
                Value::Integer,
            ),
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(from_json).collect()),
        Json::Object(map) => {
            Value::Map(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    fn to_hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn values_that_do_not_parse_are_not_quoted() {
        let mut map = Map::new();
        map.insert("secret-key".to_owned(), Value::Text("x".to_owned()));
        let errors = [
            // {"secret": 1, "secret": 2}
            decode(&hex("a266736563726574016673656372657402")).unwrap_err(),
            i8::from_cbor(&Value::Integer(98765)).unwrap_err(),
            DateTime::from_cbor(&Value::Integer(98765_i128 << 64)).unwrap_err(),
            DateTime::from_cbor(&Value::Float(9.8765e300)).unwrap_err(),
            crate::BigNumber::from_cbor(&Value::Text("secret".to_owned())).unwrap_err(),
            HashMap::<String, i32>::from_cbor(&Value::Map(map)).unwrap_err(),
        ];
        for error in errors {
            assert!(!error.contains("secret"), "{error}");
            assert!(!error.contains("98765"), "{error}");
        }
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn int(n: i128) -> Value {
        Value::Integer(n)
    }

    /// RFC 8949 Appendix A vectors whose encoding is the preferred one: both
    /// directions must match.
    #[test]
    fn rfc_8949_vectors_round_trip_byte_for_byte() {
        let vectors = [
            ("00", int(0)),
            ("17", int(23)),
            ("1818", int(24)),
            ("1903e8", int(1000)),
            ("1a000f4240", int(1_000_000)),
            ("1bffffffffffffffff", int(18_446_744_073_709_551_615)),
            ("3bffffffffffffffff", int(-18_446_744_073_709_551_616)),
            ("20", int(-1)),
            ("3903e7", int(-1000)),
            ("f90000", Value::Float(0.0)),
            ("f98000", Value::Float(-0.0)),
            ("f93e00", Value::Float(1.5)),
            ("f97bff", Value::Float(65504.0)),
            ("fa47c35000", Value::Float(100_000.0)),
            ("fa7f7fffff", Value::Float(f64::from(f32::MAX))),
            ("fb3ff199999999999a", Value::Float(1.1)),
            ("fb7e37e43c8800759c", Value::Float(1.0e300)),
            ("f90001", Value::Float(5.960_464_477_539_063e-8)),
            ("f90400", Value::Float(6.103_515_625e-5)),
            ("f9c400", Value::Float(-4.0)),
            ("fbc010666666666666", Value::Float(-4.1)),
            ("f97c00", Value::Float(f64::INFINITY)),
            ("f9fc00", Value::Float(f64::NEG_INFINITY)),
            ("f4", Value::Bool(false)),
            ("f5", Value::Bool(true)),
            ("f6", Value::Null),
            ("f7", Value::Undefined),
            ("c11a514b67b0", Value::Tag(1, Box::new(int(1_363_896_240)))),
            (
                "c1fb41d452d9ec200000",
                Value::Tag(1, Box::new(Value::Float(1_363_896_240.5))),
            ),
            ("40", Value::Bytes(vec![])),
            ("4401020304", Value::Bytes(vec![1, 2, 3, 4])),
            ("60", Value::Text(String::new())),
            ("6161", Value::Text("a".into())),
            ("6449455446", Value::Text("IETF".into())),
            ("62c3bc", Value::Text("\u{fc}".into())),
            ("80", Value::Array(vec![])),
            ("83010203", Value::Array(vec![int(1), int(2), int(3)])),
            ("a0", Value::Map(Map::new())),
            (
                "a26161016162820203",
                map(&[("a", int(1)), ("b", Value::Array(vec![int(2), int(3)]))]),
            ),
        ];
        for (encoded, value) in vectors {
            assert_eq!(to_hex(&encode(&value)), encoded, "encoding {value:?}");
            let decoded = decode(&hex(encoded)).unwrap();
            assert_eq!(decoded, value, "decoding {encoded}");
            if let (Value::Float(a), Value::Float(b)) = (&decoded, &value) {
                assert_eq!(a.to_bits(), b.to_bits(), "sign of {encoded}");
            }
        }
    }

    #[test]
    fn nan_encodes_as_half_and_decodes_from_every_width() {
        assert_eq!(to_hex(&encode(&Value::Float(f64::NAN))), "f97e00");
        for encoded in ["f97e00", "fa7fc00000", "fb7ff8000000000000"] {
            match decode(&hex(encoded)).unwrap() {
                Value::Float(f) => assert!(f.is_nan(), "{encoded}"),
                other => panic!("{encoded} decoded to {other:?}"),
            }
        }
    }

    #[test]
    fn non_preferred_encodings_decode_to_the_same_value() {
        for (encoded, value) in [
            ("fa47c35000", Value::Float(100_000.0)),
            ("fb3ff8000000000000", Value::Float(1.5)),
            ("fa7f800000", Value::Float(f64::INFINITY)),
            ("fbfff0000000000000", Value::Float(f64::NEG_INFINITY)),
            ("1800", int(0)),
            ("1b0000000000000001", int(1)),
        ] {
            assert_eq!(decode(&hex(encoded)).unwrap(), value, "{encoded}");
        }
    }

    #[test]
    fn indefinite_lengths_decode_like_definite_ones() {
        let nested = || Value::Array(vec![int(2), int(3)]);
        for (encoded, value) in [
            ("5f42010243030405ff", Value::Bytes(vec![1, 2, 3, 4, 5])),
            (
                "7f657374726561646d696e67ff",
                Value::Text("streaming".into()),
            ),
            ("5fff", Value::Bytes(vec![])),
            ("9fff", Value::Array(vec![])),
            (
                "9f018202039f0405ffff",
                Value::Array(vec![int(1), nested(), Value::Array(vec![int(4), int(5)])]),
            ),
            (
                "9f01820203820405ff",
                Value::Array(vec![int(1), nested(), Value::Array(vec![int(4), int(5)])]),
            ),
            (
                "83018202039f0405ff",
                Value::Array(vec![int(1), nested(), Value::Array(vec![int(4), int(5)])]),
            ),
            (
                "bf61610161629f0203ffff",
                map(&[("a", int(1)), ("b", nested())]),
            ),
            (
                "bf6346756ef563416d7421ff",
                map(&[("Fun", Value::Bool(true)), ("Amt", int(-2))]),
            ),
        ] {
            let decoded = decode(&hex(encoded)).unwrap();
            assert_eq!(decoded, value, "{encoded}");
            // Re-encoded with definite lengths, it decodes the same.
            assert_eq!(decode(&encode(&decoded)).unwrap(), value);
        }
    }

    #[test]
    fn integers_beyond_64_bits_encode_as_bignums() {
        let big = i128::from(u64::MAX) + 1;
        assert_eq!(to_hex(&encode(&int(big))), "c249010000000000000000");
        assert_eq!(to_hex(&encode(&int(-big - 1))), "c349010000000000000000");
        let n = crate::BigNumber::from_cbor(&decode(&hex("c249010000000000000000")).unwrap());
        assert_eq!(n.unwrap().as_str(), "18446744073709551616");
        let n = crate::BigNumber::from_cbor(&decode(&hex("c349010000000000000000")).unwrap());
        assert_eq!(n.unwrap().as_str(), "-18446744073709551617");
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic_or_a_huge_allocation() {
        let cases = [
            ("", "truncated"),
            ("18", "truncated"),
            ("1a0000", "truncated"),
            ("62c3", "truncated"),
            ("5bffffffffffffffff", "truncated"),
            ("7bffffffffffffffff", "truncated"),
            // A declared length of 2^64-1 items, and of entries.
            ("9bffffffffffffffff", "truncated"),
            ("bbffffffffffffffff", "truncated"),
            ("9f01", "no break"),
            ("5f4101", "no break"),
            ("0001", "trailing"),
            ("a1016161", "not a text string"),
            ("a1f66161", "not a text string"),
            ("a2616101616102", "duplicate map key"),
            ("62c328", "UTF-8"),
            ("7f61c361a9ff", "UTF-8"),
            ("1c", "reserved"),
            ("3e", "reserved"),
            ("fd", "reserved"),
            ("ff", "unexpected break"),
            ("1f", "indefinite"),
            ("df01", "indefinite"),
            ("5f01ff", "invalid chunk"),
            ("5f5f4101ffff", "invalid chunk"),
            ("7f4101ff", "invalid chunk"),
            ("f0", "simple value"),
            ("f818", "invalid two-byte simple value"),
            ("f8ff", "unsupported simple value"),
        ];
        for (encoded, error) in cases {
            let message = decode(&hex(encoded)).unwrap_err();
            assert!(message.contains(error), "{encoded}: {message}");
        }
    }

    #[test]
    fn nesting_is_limited() {
        let deep = |n: usize, open: u8| {
            let mut bytes = vec![open; n];
            bytes.push(0x00);
            bytes
        };
        // 128 nested arrays decode; one more is refused, as are tags and
        // maps nested as deep, however long the input.
        assert!(decode(&deep(MAX_DEPTH, 0x81)).is_ok());
        for open in [0x81, 0x9f, 0xc1] {
            let message = decode(&deep(MAX_DEPTH + 1, open)).unwrap_err();
            assert!(message.contains("nested deeper"), "{message}");
        }
        let message = decode(&vec![0x81; 1_000_000]).unwrap_err();
        assert!(message.contains("nested deeper"), "{message}");
        let mut maps = b"\xa1\x61k".repeat(MAX_DEPTH + 1);
        maps.push(0x00);
        assert!(decode(&maps).unwrap_err().contains("nested deeper"));
    }

    #[test]
    fn shortest_float_form_is_exact() {
        for f in [
            0.5,
            -2.0,
            1.0e-7,
            3.4e38,
            f64::from(f32::MIN_POSITIVE),
            1.0 / 3.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5.0e-324,
        ] {
            match decode(&encode(&Value::Float(f))).unwrap() {
                Value::Float(g) => assert_eq!(g.to_bits(), f.to_bits(), "{f}"),
                other => panic!("{f} decoded to {other:?}"),
            }
        }
        assert_eq!(encode(&Value::Float(1.0 / 3.0)).len(), 9);
        assert_eq!(encode(&Value::Float(0.1f32.into())).len(), 5);
    }

    #[test]
    fn scalars_convert_both_ways() {
        assert_eq!("hi".to_string().to_cbor(), Value::Text("hi".into()));
        assert_eq!(String::from_cbor(&Value::Text("hi".into())).unwrap(), "hi");
        assert_eq!(
            String::from_cbor(&Value::Array(vec![])).unwrap_err(),
            "expected a text string, found an array"
        );
        assert!(bool::from_cbor(&true.to_cbor()).unwrap());
        assert_eq!(i8::from_cbor(&int(-128)).unwrap(), -128);
        assert_eq!(i8::from_cbor(&int(128)).unwrap_err(), "out of range for i8");
        assert_eq!(i64::from_cbor(&i64::MIN.to_cbor()).unwrap(), i64::MIN);
        assert!(i32::from_cbor(&Value::Float(1.0)).is_err());
        assert_eq!(f64::from_cbor(&int(3)).unwrap(), 3.0);
        assert_eq!(f32::from_cbor(&1.5f32.to_cbor()).unwrap(), 1.5);
        assert!(f64::from_cbor(&f64::NAN.to_cbor()).unwrap().is_nan());
        assert_eq!(
            f32::from_cbor(&f32::NEG_INFINITY.to_cbor()).unwrap(),
            f32::NEG_INFINITY
        );
        let blob = Blob::new(vec![0, 255]);
        assert_eq!(blob.to_cbor(), Value::Bytes(vec![0, 255]));
        assert_eq!(Blob::from_cbor(&blob.to_cbor()).unwrap(), blob);
        assert!(Blob::from_cbor(&Value::Text("AP8=".into())).is_err());
        assert_eq!(crate::Unit.to_cbor(), Value::Map(Map::new()));
        assert_eq!(
            crate::Unit::from_cbor(&Value::Null).unwrap_err(),
            "expected an empty map, found null"
        );
        assert_eq!(*Box::<i32>::from_cbor(&int(5)).unwrap(), 5);
    }

    #[test]
    fn timestamps_are_tagged_epoch_seconds() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 500_000_000);
        assert_eq!(to_hex(&encode(&t.to_cbor())), "c1fb41d77e05f0a00000");
        assert_eq!(DateTime::from_cbor(&t.to_cbor()).unwrap(), t);
        let ms = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(
            DateTime::from_cbor(&decode(&encode(&ms.to_cbor())).unwrap()).unwrap(),
            ms
        );
        let before = DateTime::from_secs_and_nanos(-2, 999_999_000);
        assert_eq!(DateTime::from_cbor(&before.to_cbor()).unwrap(), before);
        let whole = DateTime::from_secs(1_363_896_240);
        assert_eq!(
            DateTime::from_cbor(&decode(&hex("c11a514b67b0")).unwrap()).unwrap(),
            whole
        );
        // Untagged numbers are read too.
        assert_eq!(DateTime::from_cbor(&int(1_363_896_240)).unwrap(), whole);
        assert_eq!(
            DateTime::from_cbor(&Value::Float(-1.5)).unwrap(),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
        assert!(DateTime::from_cbor(&Value::Tag(0, Box::new(Value::Text("x".into())))).is_err());
        assert!(DateTime::from_cbor(&Value::Float(f64::INFINITY)).is_err());
        assert!(DateTime::from_cbor(&Value::Float(1e300)).is_err());
        assert!(DateTime::from_cbor(&int(i128::from(u64::MAX))).is_err());
    }

    #[test]
    fn cbor_epoch_seconds_that_are_not_a_time_of_years_1_to_9999_are_errors() {
        for value in [
            Value::Float(f64::NAN),
            Value::Float(f64::NEG_INFINITY),
            Value::Float(9.2e18),
            Value::Float(253_402_300_800.0),
            Value::Float(-62_135_596_801.0),
            int(i128::from(i64::MAX)),
            int(i128::from(i64::MIN)),
            int(253_402_300_800),
        ] {
            let tagged = Value::Tag(TAG_EPOCH_SECONDS, Box::new(value.clone()));
            for form in [value, tagged] {
                let error = DateTime::from_cbor(&form).unwrap_err();
                assert!(error.contains("out of range"), "{form:?}: {error}");
            }
        }
        assert_eq!(
            DateTime::from_cbor(&int(253_402_300_799)).unwrap(),
            DateTime::from_secs(253_402_300_799)
        );
    }

    #[test]
    fn documents_map_onto_cbor() {
        let doc = Document::Object(
            [
                ("n".to_string(), Document::Number(3.0)),
                ("f".to_string(), Document::Number(0.5)),
                (
                    "l".to_string(),
                    Document::Array(vec![Document::Null, Document::Bool(true)]),
                ),
                ("s".to_string(), Document::String("x".into())),
            ]
            .into_iter()
            .collect(),
        );
        let value = doc.to_cbor();
        assert_eq!(
            value,
            map(&[
                ("n", int(3)),
                ("f", Value::Float(0.5)),
                ("l", Value::Array(vec![Value::Null, Value::Bool(true)])),
                ("s", Value::Text("x".into())),
            ])
        );
        assert_eq!(
            Document::from_cbor(&decode(&encode(&value)).unwrap()).unwrap(),
            doc
        );
        assert_eq!(
            Document::from_cbor(&Value::Bytes(b"fo".to_vec())).unwrap(),
            Document::String("Zm8=".into())
        );
    }

    #[test]
    fn big_numbers_use_integers_bignums_and_decimal_fractions() {
        let n = |text: &str| crate::BigNumber::parse(text).unwrap();
        assert_eq!(n("-42").to_cbor(), int(-42));
        let big = n("123456789012345678901234567890");
        assert_eq!(
            to_hex(&encode(&big.to_cbor())),
            "c24d018ee90ff6c373e0ee4e3f0ad2"
        );
        assert_eq!(
            crate::BigNumber::from_cbor(&decode(&encode(&big.to_cbor())).unwrap()).unwrap(),
            big
        );
        // RFC 8949 §3.4.4: 273.15 is 4([-2, 27315]).
        assert_eq!(to_hex(&encode(&n("273.15").to_cbor())), "c48221196ab3");
        let read = crate::BigNumber::from_cbor(&decode(&hex("c48221196ab3")).unwrap()).unwrap();
        assert_eq!(read.as_str(), "27315e-2");
        assert_eq!(
            crate::BigNumber::from_cbor(&Value::Float(1.5))
                .unwrap()
                .as_str(),
            "1.5"
        );
        assert!(crate::BigNumber::from_cbor(&Value::Float(f64::NAN)).is_err());
        assert!(crate::BigNumber::from_cbor(&Value::Bool(true)).is_err());
        let huge = Value::Tag(2, Box::new(Value::Bytes(vec![1; MAX_BIGNUM_BYTES + 1])));
        assert!(crate::BigNumber::from_cbor(&huge)
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn dense_collections_drop_nulls_and_sparse_ones_keep_them() {
        let list = Value::Array(vec![
            Value::Text("a".into()),
            Value::Null,
            Value::Text("b".into()),
        ]);
        assert_eq!(Vec::<String>::from_cbor(&list).unwrap(), ["a", "b"]);
        assert_eq!(
            Vec::<Option<String>>::from_cbor(&list).unwrap(),
            [Some("a".to_string()), None, Some("b".to_string())]
        );
        assert_eq!(
            Vec::<i32>::from_cbor(&Value::Array(vec![int(1), Value::Bool(true)])).unwrap_err(),
            "[1]: expected an integer, found a boolean"
        );
        let entries = map(&[("x", int(1)), ("y", Value::Null)]);
        let dense = HashMap::<String, i32>::from_cbor(&entries).unwrap();
        assert_eq!(dense, HashMap::from([("x".to_string(), 1)]));
        let sparse = HashMap::<String, Option<i32>>::from_cbor(&entries).unwrap();
        assert_eq!(sparse.get("y"), Some(&None));
        assert_eq!(
            HashMap::from([("x".to_string(), 1)]).to_cbor(),
            map(&[("x", int(1))])
        );
        assert_eq!(
            vec![Some(1), None].to_cbor(),
            Value::Array(vec![int(1), Value::Null])
        );
    }

    #[test]
    fn members_name_the_shape_and_take_defaults() {
        let obj = match decode(&hex("a3616e03616df6616b6178")).unwrap() {
            Value::Map(map) => map,
            other => panic!("{other:?}"),
        };
        assert_eq!(member::<i32>(&obj, "S", "n").unwrap(), Some(3));
        assert_eq!(member::<i32>(&obj, "S", "m").unwrap(), None);
        assert_eq!(member::<i32>(&obj, "S", "absent").unwrap(), None);
        assert_eq!(
            member::<i32>(&obj, "S", "k").unwrap_err(),
            "S.k: expected an integer, found a text string"
        );
        assert_eq!(
            member_or_default::<i32>(&obj, "S", "m", "7").unwrap(),
            Some(7)
        );
        assert_eq!(
            member_or_default::<i32>(&obj, "S", "n", "7").unwrap(),
            Some(3)
        );
        assert_eq!(
            member_or_default::<f64>(&obj, "S", "x", "1.5").unwrap(),
            Some(1.5)
        );
        assert_eq!(
            member_or_default::<Vec<String>>(&obj, "S", "x", "[]").unwrap(),
            Some(vec![])
        );
        assert_eq!(
            member_or_default::<Blob>(&obj, "S", "x", "\"Zm9v\"").unwrap(),
            Some(Blob::new(b"foo".to_vec()))
        );
        assert_eq!(
            member_or_default::<DateTime>(&obj, "S", "x", "\"1970-01-01T00:00:01Z\"").unwrap(),
            Some(DateTime::from_secs(1))
        );
        assert_eq!(
            member_or_default::<DateTime>(&obj, "S", "x", "2").unwrap(),
            Some(DateTime::from_secs(2))
        );
        assert!(member_or_default::<f32>(&obj, "S", "x", "\"NaN\"")
            .unwrap()
            .is_some_and(f32::is_nan));
        assert_eq!(
            member_or_default::<i32>(&obj, "S", "x", "\"seven\"").unwrap_err(),
            "S.x: @default \"seven\": expected an integer, found a text string"
        );
        assert_eq!(required_member::<String>(&obj, "S", "q").unwrap(), "");
        assert_eq!(
            required_member::<Map>(&obj, "S", "q").unwrap_err(),
            "S.q: required member is missing"
        );
        assert_eq!(
            object(&Value::Bool(true), "S").unwrap_err(),
            "S: expected a map, found a boolean"
        );
    }
}
