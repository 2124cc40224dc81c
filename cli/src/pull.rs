//! `opgen model pull`: the newest model of a service, from a tree laid out
//! like AWS's public `aws/api-models-aws` repository
//! (`models/<service>/service/<api-version>/<service>-<api-version>.json`),
//! into a crate's `model/` directory.
//!
//! The tree is a local directory (a clone) or an HTTP server that answers
//! like the GitHub contents API: a directory is a JSON array of entries
//! with `name` and `type` (`"dir"`), and a file asked for with
//! `Accept: application/vnd.github.raw+json` is its raw content. That API
//! needs no token for public repositories, and two requests suffice: the
//! list of api-versions, then the newest one's file.

use opgen_model::ShapeGraph;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where `model pull` reads by default: the contents API of
/// `github.com/aws/api-models-aws`.
pub const DEFAULT_SOURCE: &str = "https://api.github.com/repos/aws/api-models-aws/contents";

/// Models larger than this are refused rather than held in memory (and
/// parsed, which takes several times the text); AWS's largest models are a
/// few MB.
const MAX_MODEL_BYTES: usize = 64 << 20;

#[cfg(feature = "http")]
use http_source::Http;

/// Where models are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A local clone of the repository (its root, holding `models/`).
    Dir(PathBuf),
    /// The base URL of a GitHub-contents-API-like server.
    Http(String),
}

impl Source {
    /// `http://…` and `https://…` are servers, anything else a directory.
    pub fn parse(text: &str) -> Source {
        if text.starts_with("http://") || text.starts_with("https://") {
            Source::Http(text.trim_end_matches('/').to_string())
        } else {
            Source::Dir(PathBuf::from(text))
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Dir(path) => write!(f, "{}", path.display()),
            Source::Http(url) => f.write_str(url),
        }
    }
}

/// Why a model could not be pulled; the old file is left in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullError(pub String);

impl fmt::Display for PullError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PullError {}

fn error(message: impl Into<String>) -> PullError {
    PullError(message.into())
}

/// A model fetched and parsed, not yet written.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The api-version directory it came from (`2024-02-28`).
    pub api_version: String,
    /// `<service>-<api-version>.json`.
    pub file_name: String,
    /// Its text, which parses as a model.
    pub text: String,
    /// The parsed model.
    pub graph: ShapeGraph,
}

/// Fetches the newest api-version of `service` from `source` and checks
/// that it is a valid model.
pub fn fetch(source: &Source, service: &str) -> Result<Fetched, PullError> {
    check_name(service, "service name")?;
    let service_dir = format!("models/{service}/service");
    let tree = Tree::open(source)?;
    let Some(api_version) = newest(tree.list(&service_dir)?) else {
        return Err(error(format!(
            "service \"{service}\" has no api-version directory under {service_dir} in {source}"
        )));
    };
    let file_name = format!("{service}-{api_version}.json");
    let path = format!("{service_dir}/{api_version}/{file_name}");
    let bytes = tree.read(&path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| error(format!("{path} from {source} is not UTF-8 text")))?;
    let graph = ShapeGraph::from_json(&file_name, &text)
        .map_err(|e| error(format!("{path} from {source} is not a valid model: {e}")))?;
    Ok(Fetched {
        api_version,
        file_name,
        text,
        graph,
    })
}

/// A [`Source`] opened for reading: one HTTP client for all requests.
enum Tree<'s> {
    Dir(&'s Path),
    Http(Http, &'s str),
}

impl<'s> Tree<'s> {
    fn open(source: &'s Source) -> Result<Tree<'s>, PullError> {
        Ok(match source {
            Source::Dir(root) => Tree::Dir(root),
            Source::Http(base) => Tree::Http(Http::new()?, base),
        })
    }

    /// The names of the subdirectories of `path`.
    fn list(&self, path: &str) -> Result<Vec<String>, PullError> {
        match self {
            Tree::Dir(root) => list_dir(root, path),
            Tree::Http(http, base) => http.list(base, path),
        }
    }

    /// The content of the file at `path`, at most [`MAX_MODEL_BYTES`].
    fn read(&self, path: &str) -> Result<Vec<u8>, PullError> {
        match self {
            Tree::Dir(root) => read_limited(&root.join(path)),
            Tree::Http(http, base) => http.raw(base, path),
        }
    }
}

/// What [`install`] did.
#[derive(Debug)]
pub struct Installed {
    /// The file written.
    pub path: PathBuf,
    /// The file it replaced and its model, when there was one; `Err` holds
    /// why the old file could not be read as a model.
    pub replaced: Option<(PathBuf, Result<ShapeGraph, String>)>,
    /// Whether the new model is byte for byte the old one (nothing written).
    pub unchanged: bool,
}

/// Writes `fetched` into `dir` as `<service>-<api-version>.json`, replacing
/// the model of `service` there (the same file, or one of an older
/// api-version, which is removed). The new text goes to a temporary file
/// first and is renamed over the old one, so a failure leaves the old file.
pub fn install(dir: &Path, service: &str, fetched: &Fetched) -> Result<Installed, PullError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| error(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join(&fetched.file_name);
    let replaced = previous_model(dir, service)?;
    let old = match &replaced {
        Some(old) => Some((
            old.clone(),
            std::fs::read(old).map_err(|e| error(format!("cannot read {}: {e}", old.display())))?,
        )),
        None => None,
    };
    if let Some((old_path, old_text)) = &old {
        if *old_path == path && old_text.as_slice() == fetched.text.as_bytes() {
            return Ok(Installed {
                replaced: Some((path.clone(), Ok(fetched.graph.clone()))),
                path,
                unchanged: true,
            });
        }
    }
    let replaced = old.map(|(old_path, text)| {
        let graph = std::str::from_utf8(&text)
            .map_err(|_| "not UTF-8 text".to_string())
            .and_then(|text| {
                ShapeGraph::from_json(&old_path.display().to_string(), text)
                    .map_err(|e| e.to_string())
            });
        (old_path, graph)
    });
    let temp = dir.join(format!(".{}.{}.tmp", fetched.file_name, std::process::id()));
    let written = std::fs::write(&temp, &fetched.text).and_then(|()| std::fs::rename(&temp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(error(format!("cannot write {}: {e}", path.display())));
    }
    if let Some((old_path, _)) = &replaced {
        if *old_path != path {
            std::fs::remove_file(old_path)
                .map_err(|e| error(format!("cannot remove {}: {e}", old_path.display())))?;
        }
    }
    Ok(Installed {
        path,
        replaced,
        unchanged: false,
    })
}

/// The model of `service` in `dir`: `<service>-<api-version>.json`, the
/// newest when there are several. The api-version must follow the service
/// name directly, so `bedrock-agent` does not take
/// `bedrock-agent-runtime-2023-07-26.json`.
fn previous_model(dir: &Path, service: &str) -> Result<Option<PathBuf>, PullError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| error(format!("cannot read {}: {e}", dir.display())))?;
    let mut found: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| {
            name.strip_prefix(service)
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| rest.strip_suffix(".json"))
                .is_some_and(is_api_version)
        })
        .collect();
    found.sort();
    Ok(found.pop().map(|name| dir.join(name)))
}

/// `YYYY-MM-DD`, the form of every api-version of the repository.
fn is_api_version(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// The newest api-version among directory names; other names are ignored.
fn newest(names: Vec<String>) -> Option<String> {
    names.into_iter().filter(|n| is_api_version(n)).max()
}

/// Service names go into paths and URLs, so only the repository's
/// characters are allowed (no `/`, no `..`).
fn check_name(name: &str, what: &str) -> Result<(), PullError> {
    let valid = !name.is_empty()
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !name.contains("..");
    if valid {
        Ok(())
    } else {
        Err(error(format!(
            "invalid {what} \"{name}\": use the directory name under models/ of the repository, e.g. `bedrock-agentcore`"
        )))
    }
}

fn list_dir(root: &Path, relative: &str) -> Result<Vec<String>, PullError> {
    if !root.join("models").is_dir() {
        return Err(error(format!(
            "{} is not laid out like aws/api-models-aws: it has no models/ directory",
            root.display()
        )));
    }
    let dir = root.join(relative);
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            error(format!(
                "no service \"{}\" in {}: {} does not exist",
                relative
                    .trim_start_matches("models/")
                    .trim_end_matches("/service"),
                root.display(),
                dir.display()
            ))
        } else {
            error(format!("cannot read {}: {e}", dir.display()))
        }
    })?;
    Ok(entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect())
}

fn read_limited(path: &Path) -> Result<Vec<u8>, PullError> {
    let size = std::fs::metadata(path)
        .map_err(|e| error(format!("cannot read {}: {e}", path.display())))?
        .len();
    if size > MAX_MODEL_BYTES as u64 {
        return Err(error(format!(
            "{} is {size} bytes, more than the {MAX_MODEL_BYTES} a model may have",
            path.display()
        )));
    }
    std::fs::read(path).map_err(|e| error(format!("cannot read {}: {e}", path.display())))
}

/// Stands in for the HTTP source when the CLI is built without it.
#[cfg(not(feature = "http"))]
struct Http;

#[cfg(not(feature = "http"))]
impl Http {
    fn new() -> Result<Http, PullError> {
        Err(error(
            "this opgen was built without the `http` feature: pull from a local clone with `--from DIR`",
        ))
    }

    fn list(&self, _base: &str, _path: &str) -> Result<Vec<String>, PullError> {
        Ok(Vec::new())
    }

    fn raw(&self, _base: &str, _path: &str) -> Result<Vec<u8>, PullError> {
        Ok(Vec::new())
    }
}

#[cfg(feature = "http")]
mod http_source {
    use super::{error, PullError, MAX_MODEL_BYTES};
    use opgen::{DefaultHttpClient, HttpClient};
    use std::time::Duration;

    /// A directory listing larger than this is not a listing of api-versions.
    const MAX_LISTING_BYTES: usize = 4 << 20;

    /// How long a server may keep us waiting for a response head, or between
    /// two chunks of a body, before the pull fails instead of hanging.
    const STALL_TIMEOUT: Duration = Duration::from_secs(30);

    /// Blocking GETs through opgen's own HTTP client on a current-thread
    /// runtime.
    pub(super) struct Http {
        client: DefaultHttpClient,
        runtime: tokio::runtime::Runtime,
    }

    impl Http {
        pub(super) fn new() -> Result<Http, PullError> {
            let client = DefaultHttpClient::new()
                .map_err(|e| error(format!("cannot make an HTTP client: {}", chain(&e))))?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| error(format!("cannot start the async runtime: {e}")))?;
            Ok(Http { client, runtime })
        }

        /// The names of the subdirectories of `path`.
        pub(super) fn list(&self, base: &str, path: &str) -> Result<Vec<String>, PullError> {
            let url = format!("{base}/{path}");
            let body = self.get(&url, "application/vnd.github+json", MAX_LISTING_BYTES)?;
            let listing: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|e| error(format!("GET {url}: the listing is not JSON: {e}")))?;
            let entries = listing.as_array().ok_or_else(|| {
                error(format!(
                    "GET {url}: expected a JSON array of directory entries"
                ))
            })?;
            Ok(entries
                .iter()
                .filter(|e| e.get("type").and_then(|t| t.as_str()) == Some("dir"))
                .filter_map(|e| e.get("name").and_then(|n| n.as_str()))
                .map(str::to_string)
                .collect())
        }

        /// The raw content of the file at `path`.
        pub(super) fn raw(&self, base: &str, path: &str) -> Result<Vec<u8>, PullError> {
            self.get(
                &format!("{base}/{path}"),
                "application/vnd.github.raw+json",
                MAX_MODEL_BYTES,
            )
        }

        fn get(&self, url: &str, accept: &str, limit: usize) -> Result<Vec<u8>, PullError> {
            let request = http::Request::get(url)
                .header("accept", accept)
                // GitHub's API refuses requests without a User-Agent.
                .header(
                    "user-agent",
                    concat!("opgen-cli/", env!("CARGO_PKG_VERSION")),
                )
                .body(bytes::Bytes::new())
                .map_err(|e| error(format!("invalid URL {url}: {e}")))?;
            self.runtime.block_on(async {
            let response = tokio::time::timeout(STALL_TIMEOUT, self.client.call_streaming(request))
                .await
                .map_err(|_| error(format!("GET {url}: no response in {STALL_TIMEOUT:?}")))?
                .map_err(|e| error(format!("GET {url}: {}", chain(&e))))?;
            let status = response.status();
            let mut stream = response.into_body();
            let mut body = Vec::new();
            loop {
                let chunk = tokio::time::timeout(STALL_TIMEOUT, stream.next())
                    .await
                    .map_err(|_| {
                        error(format!("GET {url}: the body stalled for {STALL_TIMEOUT:?}"))
                    })?;
                let Some(chunk) = chunk else { break };
                let chunk = chunk.map_err(|e| error(format!("GET {url}: {}", chain(&e))))?;
                if body.len() + chunk.len() > limit {
                    return Err(error(format!(
                        "GET {url}: the response is larger than {limit} bytes"
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            if status == http::StatusCode::NOT_FOUND {
                return Err(error(format!(
                    "GET {url}: 404 Not Found; check the service name (the directory under models/ of the repository)"
                )));
            }
            if !status.is_success() {
                let message = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v.get("message")?.as_str().map(str::to_string))
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                return Err(error(format!("GET {url}: HTTP {status}{message}")));
            }
            Ok(body)
        })
        }
    }

    /// An error and its causes, `: `-separated.
    fn chain(e: &dyn std::error::Error) -> String {
        let mut text = e.to_string();
        let mut source = e.source();
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_are_dates() {
        assert!(is_api_version("2024-02-28"));
        assert!(!is_api_version("2024-02-2"));
        assert!(!is_api_version("runtime-2023"));
        assert!(!is_api_version("2024/02/28"));
        assert_eq!(
            newest(vec![
                "2011-06-15".into(),
                "2024-02-28".into(),
                "latest".into(),
                "2019-01-01".into()
            ]),
            Some("2024-02-28".into())
        );
        assert_eq!(newest(vec!["x".into()]), None);
    }

    #[test]
    fn service_names_cannot_leave_the_tree() {
        for bad in ["", "../etc", "a/b", "A", "-x", "a..b", "s3 "] {
            assert!(check_name(bad, "service name").is_err(), "{bad:?}");
        }
        for good in ["s3", "bedrock-agentcore", "sso-oidc", "elastic.x"] {
            assert!(check_name(good, "service name").is_ok(), "{good:?}");
        }
    }

    #[test]
    fn sources_are_urls_or_directories() {
        assert_eq!(
            Source::parse("https://h/x/"),
            Source::Http("https://h/x".into())
        );
        assert_eq!(Source::parse("../clone"), Source::Dir("../clone".into()));
    }

    #[test]
    fn previous_model_is_the_service_and_not_a_longer_name() {
        let dir = std::env::temp_dir().join(format!("opgen-pull-prev-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "bedrock-agent-runtime-2023-07-26.json",
            "bedrock-agent-2023-06-05.json",
            "bedrock-agent-2022-01-01.json",
            "notes.txt",
        ] {
            std::fs::write(dir.join(name), "{}").unwrap();
        }
        assert_eq!(
            previous_model(&dir, "bedrock-agent").unwrap(),
            Some(dir.join("bedrock-agent-2023-06-05.json"))
        );
        assert_eq!(
            previous_model(&dir, "bedrock-agent-runtime").unwrap(),
            Some(dir.join("bedrock-agent-runtime-2023-07-26.json"))
        );
        assert_eq!(previous_model(&dir, "s3").unwrap(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
