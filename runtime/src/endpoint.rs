//! The address a request is sent to.

use std::fmt;

/// A resolved endpoint: the base URL a request is sent to, plus any headers
/// the endpoint requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    headers: Vec<(String, String)>,
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
        }
    }

    /// Adds a header that every request to this endpoint carries.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The base URL, without a trailing `/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers this endpoint requires.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
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
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}
