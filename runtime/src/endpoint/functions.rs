//! The standard library of the rules engine (`substring`, `uriEncode`,
//! `parseURL`, `isValidHostLabel`) and the AWS one (`aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`; `aws.partition` is in `partitions`).
//! Functions that can fail return `None`, which makes the condition false.

/// `substring(input, start, stop, reverse)`: the ASCII characters
/// `[start, stop)`, counted from the end when `reverse`. `None` when the
/// range is empty or does not fit, or when the input is not all ASCII (so
/// that a slice never splits a character).
pub fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() {
        return None;
    }
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    if start >= stop || stop > input.len() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to).map(str::to_string)
}

/// `uriEncode(value)`: percent-encodes everything but the RFC 3986
/// unreserved characters, like a URI label.
pub fn uri_encode(value: &str) -> String {
    crate::encoding::percent_encode(value, false)
}

/// What `parseURL` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, as written.
    pub scheme: String,
    /// Host and optional port.
    pub authority: String,
    /// The path as written (`""` when there is none).
    pub path: String,
    /// The path with a leading and a trailing `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 or IPv6 address.
    pub is_ip: bool,
}

/// `parseURL(url)`: an `http` or `https` URL with a host, an optional port
/// and path, and no query or fragment (an endpoint cannot carry one).
pub fn parse_url(url: &str) -> Option<Url> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    if rest.contains(['?', '#']) || rest.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => (rest.get(..slash)?, rest.get(slash..)?),
        None => (rest, ""),
    };
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() || host.contains('@') {
        return None;
    }
    if let Some(port) = port {
        if port.is_empty()
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u16>().is_err()
        {
            return None;
        }
    }
    let is_ip = if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        inner.parse::<std::net::Ipv6Addr>().ok()?;
        true
    } else {
        is_ipv4(host)
    };
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme: scheme.to_string(),
        authority: authority.to_string(),
        path: path.to_string(),
        normalized_path,
        is_ip,
    })
}

/// `host[:port]`, where the host may be a bracketed IPv6 address.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, rest) = authority.split_at(close + 1);
        return match rest.strip_prefix(':') {
            Some(port) => Some((host, Some(port))),
            None if rest.is_empty() => Some((host, None)),
            None => None,
        };
    }
    Some(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

/// Four decimal octets: `192.168.1.1`.
fn is_ipv4(host: &str) -> bool {
    host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// `isValidHostLabel(value, allowSubDomains)`: 1 to 63 letters, digits and
/// `-`, not starting with `-`; with `allowSubDomains`, several such labels
/// joined by `.`.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    let label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if allow_sub_domains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// What `aws.parseArn` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    /// The partition (`aws`, `aws-cn`, …).
    pub partition: String,
    /// The service namespace.
    pub service: String,
    /// The region, possibly empty.
    pub region: String,
    /// The account, possibly empty.
    pub account_id: String,
    /// The resource, split at every `:` and `/`.
    pub resource_id: Vec<String>,
}

/// `aws.parseArn(value)`: `arn:partition:service:region:account:resource`,
/// where partition, service and resource must not be empty (region and
/// account may be).
pub fn parse_arn(value: &str) -> Option<Arn> {
    let mut parts = value.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account_id = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_string(),
        service: service.to_string(),
        region: region.to_string(),
        account_id: account_id.to_string(),
        resource_id: resource.split([':', '/']).map(str::to_string).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`: the bucket
/// name can be the first label(s) of an S3 host name: 3 to 63 lowercase
/// letters, digits, `-` (and `.` with `allowSubDomains`), starting and
/// ending with a letter or digit, not shaped like an IPv4 address, no `-`
/// next to a `.`.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let bytes = value.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    is_valid_host_label(value, allow_sub_domains)
        && (3..=63).contains(&bytes.len())
        && edge(bytes.first())
        && edge(bytes.last())
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !is_ipv4_shaped(value)
        && !value.contains(".-")
        && !value.contains("-.")
}

/// `^(\d+\.){3}\d+$`: wider than a valid address (`999.1.1.1`), as S3 is.
fn is_ipv4_shaped(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_counts_from_either_end_and_rejects_what_does_not_fit() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, false).as_deref(), Some("bc"));
        assert_eq!(substring("abcdefg", 1, 3, true).as_deref(), Some("ef"));
        assert_eq!(substring("abcd", 0, 4, false).as_deref(), Some("abcd"));
        // Out of range, empty, inverted, negative.
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("", 0, 1, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 2, 1, false), None);
        assert_eq!(substring("abc", -1, 2, false), None);
        // Non-ASCII anywhere, even outside the range.
        assert_eq!(substring("abcdef\u{1F431}", 0, 4, false), None);
        assert_eq!(substring("\u{FDFD}", 0, 1, false), None);
    }

    #[test]
    fn uri_encode_leaves_only_unreserved_characters() {
        assert_eq!(uri_encode("abc-._~09AZ"), "abc-._~09AZ");
        assert_eq!(
            uri_encode("a b/c:d?e#f[g]@!$&'()*+,;=%"),
            "a%20b%2Fc%3Ad%3Fe%23f%5Bg%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25"
        );
        assert_eq!(uri_encode("\u{1F639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }

    fn url(text: &str) -> Option<(String, String, String, String, bool)> {
        parse_url(text).map(|u| (u.scheme, u.authority, u.path, u.normalized_path, u.is_ip))
    }

    fn own(
        s: &str,
        a: &str,
        p: &str,
        n: &str,
        ip: bool,
    ) -> Option<(String, String, String, String, bool)> {
        Some((s.into(), a.into(), p.into(), n.into(), ip))
    }

    #[test]
    fn parse_url_splits_scheme_authority_and_path() {
        assert_eq!(
            url("https://example.com"),
            own("https", "example.com", "", "/", false)
        );
        assert_eq!(
            url("https://example.com/"),
            own("https", "example.com", "/", "/", false)
        );
        assert_eq!(
            url("http://example.com:8000/a/b"),
            own("http", "example.com:8000", "/a/b", "/a/b/", false)
        );
        assert_eq!(
            url("http://192.168.1.1:1234/foo/"),
            own("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        assert_eq!(
            url("https://[2001:db8::1]:443"),
            own("https", "[2001:db8::1]:443", "", "/", true)
        );
        assert_eq!(
            url("https://[::1]/x"),
            own("https", "[::1]", "/x", "/x/", true)
        );
        // A dotted name that is not an address.
        assert_eq!(
            url("https://999.999.abc.blah"),
            own("https", "999.999.abc.blah", "", "/", false)
        );
        assert_eq!(
            url("https://999.1.1.1"),
            own("https", "999.1.1.1", "", "/", false)
        );
    }

    #[test]
    fn parse_url_rejects_what_an_endpoint_cannot_be() {
        for bad in [
            "acbd://example.com",
            "example.com",
            "http://abc.com:a/foo",
            "http://abc.com:/foo",
            "http://abc.com:99999",
            "https://example.com/path?query1=foo",
            "https://example.com/#frag",
            "https://",
            "https:///path",
            "https://[::1",
            "https://[nope]:80",
            "https://a b.com",
        ] {
            assert_eq!(parse_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn host_labels_with_and_without_dots() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("3aws4", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("part1.part2", false));
        assert!(is_valid_host_label("part1.part2", true));
        assert!(!is_valid_host_label("part1..part2", true));
        assert!(!is_valid_host_label(".part1", true));
        assert!(!is_valid_host_label("-lead", false));
        assert!(is_valid_host_label("trail-", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("", true));
        assert!(!is_valid_host_label("part1 part2", true));
        assert!(!is_valid_host_label("under_score", true));
    }

    #[test]
    fn arns_split_into_their_fields() {
        let arn = parse_arn("arn:aws:s3:us-east-2:012345678:outpost/op-1234:bucket").unwrap();
        assert_eq!(
            (
                arn.partition.as_str(),
                arn.service.as_str(),
                arn.region.as_str(),
                arn.account_id.as_str()
            ),
            ("aws", "s3", "us-east-2", "012345678")
        );
        assert_eq!(arn.resource_id, ["outpost", "op-1234", "bucket"]);
        // Region and account may be empty; a trailing colon is an empty part.
        let arn = parse_arn("arn:aws:s3:::outpost:").unwrap();
        assert_eq!((arn.region.as_str(), arn.account_id.as_str()), ("", ""));
        assert_eq!(arn.resource_id, ["outpost", ""]);
    }

    #[test]
    fn invalid_arns_are_none() {
        for bad in [
            "asdf",
            "arn:aws:s3:us-west-2:123456789012:",
            "arn:aws::us-west-2:123456789012:resource-id",
            "arn::s3:us-west-2:123456789012:resource-id",
            "arn:aws:s3:us-west-2",
            "nra:aws:s3:us-west-2:1:r",
            "",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        for (name, plain, dots) in [
            ("bucket-name", true, true),
            ("bucket.name", false, true),
            ("a.b.c", false, true),
            ("abc", true, true),
            ("ab", false, false),
            ("BucketName", false, false),
            ("bucket_name", false, false),
            ("-bucket", false, false),
            ("bucket-", false, false),
            (".bucket", false, false),
            ("bucket.", false, false),
            ("bucket-.name", false, false),
            ("bucket.-name", false, false),
            ("192.168.5.4", false, false),
            ("999.168.5.4", false, false),
        ] {
            assert_eq!(
                is_virtual_hostable_s3_bucket(name, false),
                plain,
                "{name} without dots"
            );
            assert_eq!(
                is_virtual_hostable_s3_bucket(name, true),
                dots,
                "{name} with dots"
            );
        }
        assert!(is_virtual_hostable_s3_bucket(&"a".repeat(63), false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
    }
}
