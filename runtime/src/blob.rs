//! Value types of the Smithy data model that Rust has no standard type for.

use std::fmt;

/// Binary data (a Smithy `blob`), base64 on the JSON wire.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// A blob holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, by value.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Blob(text.as_bytes().to_vec())
    }
}

/// A point in time (a Smithy `timestamp`): seconds and nanoseconds since the
/// Unix epoch.
///
/// A time read from a response (JSON, CBOR, a header) must lie in years
/// 0001 through 9999, which RFC 3339 and http-date can write; anything else,
/// or epoch seconds that are NaN or infinite, makes the response an error
/// ([`Error::Response`](crate::Error::Response)) rather than a made-up date.
/// [`DateTime::parse_date_time`] and [`DateTime::parse_http_date`] apply
/// the same range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
}

impl DateTime {
    /// The time `seconds` + `nanos` after the Unix epoch (negative before it).
    /// Nanoseconds above one second carry into the seconds.
    pub fn from_secs_and_nanos(seconds: i64, nanos: u32) -> Self {
        DateTime {
            seconds: seconds + i64::from(nanos / 1_000_000_000),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// The time `seconds` after the Unix epoch.
    pub fn from_secs(seconds: i64) -> Self {
        DateTime { seconds, nanos: 0 }
    }

    /// Whole seconds since the Unix epoch.
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`DateTime::secs`].
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as a float (the `epoch-seconds` format).
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / 1e9
    }

    /// From seconds since the epoch as a float.
    ///
    /// The conversion saturates: NaN is the epoch, and values beyond the
    /// `i64` range of seconds are its ends. Times read from responses are
    /// checked instead: NaN, an infinity or a time outside years 0001–9999
    /// there is a response error.
    pub fn from_secs_f64(value: f64) -> Self {
        let seconds = value.floor();
        let nanos = ((value - seconds) * 1e9).round() as u32;
        DateTime::from_secs_and_nanos(seconds as i64, nanos)
    }
}

impl DateTime {
    /// 0001-01-01T00:00:00Z, the first time read from the wire.
    const FIRST_SECS: i64 = -62_135_596_800;
    /// 9999-12-31T23:59:59Z, the last whole second read from the wire.
    const LAST_SECS: i64 = 253_402_300_799;

    /// `self` if its year is 0001 through 9999, else `None`.
    ///
    /// Every time read from a response goes through this: those are the
    /// years RFC 3339 and http-date write in four digits, so a time read in
    /// one Smithy format can be written in any other, and a `NaN` or an
    /// overflowing number cannot pass for a date.
    pub(crate) fn in_range(self) -> Option<Self> {
        (Self::FIRST_SECS..=Self::LAST_SECS)
            .contains(&self.seconds)
            .then_some(self)
    }

    /// From float seconds, the fraction rounded to `resolution` nanoseconds;
    /// `None` for NaN, an infinity or a time outside [`DateTime::in_range`].
    pub(crate) fn checked_from_secs_f64(value: f64, resolution: u32) -> Option<Self> {
        // Checked before the casts, which would saturate (NaN becomes 0);
        // NaN fails both comparisons.
        let bounds = Self::FIRST_SECS as f64..(Self::LAST_SECS + 1) as f64;
        if !bounds.contains(&value) {
            return None;
        }
        let seconds = value.floor();
        let steps = ((value - seconds) * (1e9 / f64::from(resolution))).round() as u32;
        // The rounding may carry into the next second, past the last one.
        DateTime::from_secs_and_nanos(seconds as i64, steps * resolution).in_range()
    }
}

impl From<std::time::SystemTime> for DateTime {
    fn from(time: std::time::SystemTime) -> Self {
        match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => DateTime::from_secs_and_nanos(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let mut seconds = -(d.as_secs() as i64);
                let mut nanos = d.subsec_nanos();
                if nanos > 0 {
                    seconds -= 1;
                    nanos = 1_000_000_000 - nanos;
                }
                DateTime::from_secs_and_nanos(seconds, nanos)
            }
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl DateTime {
    /// Year, month, day, hour, minute and second, in UTC.
    pub(crate) fn parts(&self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.seconds.div_euclid(86_400);
        let rem = self.seconds.rem_euclid(86_400) as u32;
        let (y, mo, d) = civil_from_days(days);
        (y, mo, d, rem / 3600, rem / 60 % 60, rem % 60)
    }

    /// RFC 3339 in UTC (`2019-12-16T23:48:18Z`, fractions only when
    /// non-zero): the Smithy `date-time` format.
    pub fn fmt_date_time(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// IMF-fixdate (`Mon, 16 Dec 2019 23:48:18 GMT`): the Smithy
    /// `http-date` format. Fractions are shown to the millisecond when present.
    pub fn fmt_http_date(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        let weekday = WEEKDAYS[self.seconds.div_euclid(86_400).rem_euclid(7) as usize];
        let month = MONTHS[(mo - 1) as usize];
        if self.nanos != 0 {
            let millis = self.nanos / 1_000_000;
            format!("{weekday}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02}.{millis:03} GMT")
        } else {
            format!("{weekday}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} GMT")
        }
    }

    /// Seconds since the epoch as text (`1576540098`, or `1576540098.5`):
    /// the Smithy `epoch-seconds` format.
    pub fn fmt_epoch_seconds(&self) -> String {
        if self.nanos == 0 {
            return self.seconds.to_string();
        }
        // Before the epoch the fraction counts the other way: seconds -2
        // and nanos 0.5 s is -1.5, not -2.5.
        let (sign, whole, nanos) = if self.seconds < 0 {
            (
                "-",
                (self.seconds + 1).unsigned_abs(),
                1_000_000_000 - self.nanos,
            )
        } else {
            ("", self.seconds.unsigned_abs(), self.nanos)
        };
        let frac = format!("{nanos:09}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }

    /// Parses RFC 3339 (`Z` or a numeric offset; fractions allowed).
    /// `None` when malformed or outside years 0001–9999 in UTC.
    pub fn parse_date_time(text: &str) -> Option<DateTime> {
        let b = text.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = text.get(r)?;
            s.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse().ok())?
        };
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
            return None;
        }
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if b[13] != b':' || b[16] != b':' || !(1..=12).contains(&month) || day == 0 || day > 31 {
            return None;
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if b[i] == b'.' {
            let start = i + 1;
            i = start;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let digits = &text[start..i];
            if digits.is_empty() {
                return None;
            }
            let padded: String = digits
                .chars()
                .chain(std::iter::repeat('0'))
                .take(9)
                .collect();
            nanos = padded.parse().ok()?;
        }
        let offset = match text.get(i..)? {
            "Z" | "z" => 0i64,
            tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) => {
                let h = i64::from(num(i + 1..i + 3)?);
                let m = i64::from(num(i + 4..i + 6)?);
                let sign = if tz.starts_with('-') { -1 } else { 1 };
                sign * (h * 3600 + m * 60)
            }
            _ => return None,
        };
        let days = days_from_civil(i64::from(year), month, day);
        let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset;
        // An offset can move year 0001 or 9999 out of range.
        DateTime::from_secs_and_nanos(seconds, nanos).in_range()
    }

    /// Parses IMF-fixdate (`Mon, 16 Dec 2019 23:48:18 GMT`, fractions allowed).
    /// `None` when malformed or in year 0000.
    pub fn parse_http_date(text: &str) -> Option<DateTime> {
        let rest = text.split_once(", ")?.1;
        let mut parts = rest.split(' ');
        let day: u32 = parts.next()?.parse().ok()?;
        let month_name = parts.next()?;
        let month = MONTHS.iter().position(|m| *m == month_name)? as u32 + 1;
        // IMF-fixdate has a four-digit year; a larger one would overflow
        // the day count.
        let year_text = parts.next()?;
        if year_text.len() != 4 || !year_text.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i64 = year_text.parse().ok()?;
        let time = parts.next()?;
        if parts.next()? != "GMT" || parts.next().is_some() {
            return None;
        }
        let (hms, frac) = match time.split_once('.') {
            Some((hms, frac)) => (hms, Some(frac)),
            None => (time, None),
        };
        let mut t = hms.split(':').map(|p| p.parse::<u32>().ok());
        let (h, m, s) = (t.next()??, t.next()??, t.next()??);
        if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 || t.next().is_some() {
            return None;
        }
        let nanos = match frac {
            Some(f) if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) => {
                let padded: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
                padded.parse().ok()?
            }
            Some(_) => return None,
            None => 0,
        };
        let days = days_from_civil(year, month, day);
        // Year 0000 fits the four digits but not the range.
        DateTime::from_secs_and_nanos(days * 86_400 + i64::from(h * 3600 + m * 60 + s), nanos)
            .in_range()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z.
    const FIRST: DateTime = DateTime {
        seconds: -62_135_596_800,
        nanos: 0,
    };
    const LAST: DateTime = DateTime {
        seconds: 253_402_300_799,
        nanos: 999_999_999,
    };

    #[test]
    fn the_first_and_last_times_read_format_and_parse_back() {
        assert_eq!(FIRST.fmt_date_time(), "0001-01-01T00:00:00Z");
        assert_eq!(LAST.fmt_date_time(), "9999-12-31T23:59:59.999999999Z");
        for t in [FIRST, LAST] {
            assert_eq!(DateTime::parse_date_time(&t.fmt_date_time()), Some(t));
            let whole = DateTime::from_secs(t.secs());
            assert_eq!(
                DateTime::parse_http_date(&whole.fmt_http_date()),
                Some(whole)
            );
        }
    }

    #[test]
    fn parsed_times_outside_years_1_to_9999_are_refused() {
        for text in [
            "0000-12-31T23:59:59Z",
            "0001-01-01T00:30:00+01:00",
            "9999-12-31T23:30:00-01:00",
        ] {
            assert_eq!(DateTime::parse_date_time(text), None, "{text}");
        }
        assert_eq!(
            DateTime::parse_http_date("Fri, 31 Dec 0000 23:59:59 GMT"),
            None
        );
    }

    #[test]
    fn float_seconds_that_are_not_a_time_of_years_1_to_9999_are_refused() {
        for value in [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -1e300,
            253_402_300_800.0,
            -62_135_596_800.5,
        ] {
            assert_eq!(DateTime::checked_from_secs_f64(value, 1), None, "{value}");
        }
        // Rounding up to the next second would be year 10000.
        assert_eq!(
            DateTime::checked_from_secs_f64(253_402_300_799.999_999_9, 1_000),
            None
        );
        assert_eq!(
            DateTime::checked_from_secs_f64(-62_135_596_800.0, 1),
            Some(FIRST)
        );
        assert_eq!(
            DateTime::checked_from_secs_f64(-1.5, 1),
            Some(DateTime::from_secs_and_nanos(-2, 500_000_000))
        );
    }

    #[test]
    fn formats_each_timestamp_format() {
        let t = DateTime::from_secs(1_576_540_098);
        assert_eq!(t.fmt_date_time(), "2019-12-16T23:48:18Z");
        assert_eq!(t.fmt_http_date(), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(t.fmt_epoch_seconds(), "1576540098");
        let frac = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(frac.fmt_date_time(), "2019-12-16T23:48:18.52Z");
        assert_eq!(frac.fmt_epoch_seconds(), "1576540098.52");
    }

    #[test]
    fn epoch_seconds_before_the_epoch_keep_their_fraction() {
        // Found by the response_parsing fuzz target: -1.5 was written -2.5.
        let t = DateTime::from_secs_and_nanos(-2, 500_000_000);
        assert_eq!(t.fmt_epoch_seconds(), "-1.5");
        assert_eq!(t.as_secs_f64(), -1.5);
        let t = DateTime::from_secs_and_nanos(-1, 250_000_000);
        assert_eq!(t.fmt_epoch_seconds(), "-0.75");
        assert_eq!(DateTime::from_secs(-3).fmt_epoch_seconds(), "-3");
    }

    #[test]
    fn http_dates_out_of_range_are_rejected() {
        // Found by the response_parsing fuzz target: a huge year overflowed
        // the day count (a panic in debug builds).
        assert_eq!(
            DateTime::parse_http_date("Mon, 16 Dec 77777777777777 23:48:18 GMT"),
            None
        );
        assert_eq!(
            DateTime::parse_http_date("Mon, 16 Dec 2019 4294967:00:00 GMT"),
            None
        );
        assert_eq!(
            DateTime::parse_http_date("Mon, 32 Dec 2019 23:48:18 GMT"),
            None
        );
        assert_eq!(
            DateTime::parse_http_date("Mon, 16 Dec 2019 23:48:18:01 GMT"),
            None
        );
        assert_eq!(
            DateTime::parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(DateTime::from_secs(0))
        );
    }

    #[test]
    fn parses_what_it_formats_and_offsets() {
        let t = DateTime::from_secs_and_nanos(1_576_540_098, 520_000_000);
        assert_eq!(DateTime::parse_date_time(&t.fmt_date_time()), Some(t));
        assert_eq!(
            DateTime::parse_date_time("2019-12-17T00:48:18+01:00"),
            Some(DateTime::from_secs(1_576_540_098))
        );
        assert_eq!(
            DateTime::parse_http_date("Mon, 16 Dec 2019 23:48:18 GMT"),
            Some(DateTime::from_secs(1_576_540_098))
        );
        assert_eq!(DateTime::parse_date_time("2019-13-01T00:00:00Z"), None);
        assert_eq!(DateTime::parse_http_date("garbage"), None);
    }

    #[test]
    fn civil_round_trip_over_four_centuries() {
        for days in (-200_000..200_000).step_by(37) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}

/// An untyped JSON-like value (a Smithy `document`).
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (integers beyond `f64` precision keep their text).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Document>),
    /// An object.
    Object(std::collections::BTreeMap<String, Document>),
}

impl Document {
    pub(crate) fn from_value(value: &serde_json::Value) -> Document {
        use serde_json::Value;
        match value {
            Value::Null => Document::Null,
            Value::Bool(b) => Document::Bool(*b),
            Value::Number(n) => Document::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Document::String(s.clone()),
            Value::Array(items) => {
                Document::Array(items.iter().map(Document::from_value).collect())
            }
            Value::Object(map) => Document::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Document::from_value(v)))
                    .collect(),
            ),
        }
    }

    pub(crate) fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
                    Value::from(*n as i64)
                } else {
                    serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number)
                }
            }
            Document::String(s) => Value::String(s.clone()),
            Document::Array(items) => Value::Array(items.iter().map(Document::to_value).collect()),
            Document::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
            }
        }
    }
}

/// Blobs serialize as base64 text: readable in JSON caches and logs.
impl serde::Serialize for Blob {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::encoding::base64_encode(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Blob {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::encoding::base64_decode(&text)
            .map(Blob)
            .map_err(serde::de::Error::custom)
    }
}

/// Timestamps serialize as RFC 3339 text; they deserialize from that, an
/// http-date, or epoch seconds.
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.fmt_date_time())
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        crate::__private::json::timestamp_from_json(
            &value,
            crate::__private::json::TimestampFormat::DateTime,
        )
        .map_err(serde::de::Error::custom)
    }
}

/// Documents serialize as the JSON value they hold.
impl serde::Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(|v| Document::from_value(&v))
    }
}

/// The value of a union member that carries no data (a Smithy
/// `smithy.api#Unit` target): on the wire, an empty JSON object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unit;

impl serde::Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}

impl<'de> serde::Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Unit)
    }
}

/// An arbitrary-size number (a Smithy `bigInteger` or `bigDecimal`), kept as
/// its decimal text.
///
/// On the JSON wire it is a JSON number; integers within `i64`/`u64` and
/// decimals within `f64` precision round-trip exactly, longer ones are read
/// and written at `f64` precision.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BigNumber(String);

impl BigNumber {
    /// A number from its decimal text (`"12345678901234567890"`, `"-1.5e10"`);
    /// `None` when the text is not a number.
    pub fn parse(text: &str) -> Option<BigNumber> {
        let text = text.trim();
        let valid = !text.is_empty()
            && text.parse::<f64>().is_ok_and(f64::is_finite)
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
        valid.then(|| BigNumber(text.to_string()))
    }

    /// The decimal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BigNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<i64> for BigNumber {
    fn from(value: i64) -> Self {
        BigNumber(value.to_string())
    }
}

impl From<u64> for BigNumber {
    fn from(value: u64) -> Self {
        BigNumber(value.to_string())
    }
}

impl serde::Serialize for BigNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for BigNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = match &value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        BigNumber::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a number: {text}")))
    }
}
