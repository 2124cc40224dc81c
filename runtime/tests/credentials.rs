//! The credential sources, the cache, the default chain and the region,
//! against temporary profile files, real `credential_process` commands and
//! loopback servers. Nothing here touches the process environment: every
//! lookup goes through an `Env` built by the test.

use opgen::__private::bytes::Bytes;
use opgen::__private::http;
use opgen::credentials::{
    CachedCredentials, ContainerCredentials, CredentialsChain, DefaultCredentialsChain,
    ImdsCredentials, ProfileCredentials,
};
use opgen::profile::{Env, Fs};
use opgen::{
    Credentials, CredentialsError, EnvironmentCredentials, HttpClient, HttpClientFuture,
    ProvideCredentials, ProvideCredentialsFuture,
};
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const LIMIT: Duration = Duration::from_secs(20);

/// Runs `test` on a fresh runtime, failing it if it takes longer than
/// `LIMIT`.
fn run<F: Future<Output = ()>>(test: F) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        tokio::time::timeout(LIMIT, test)
            .await
            .expect("the test took too long");
    });
}

// ---------------------------------------------------------------------------
// Helpers: temporary directories, a loopback HTTP server, a recording client.

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "opgen-credentials-{name}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One request as the loopback server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&Seen) -> (u16, String) + Send + Sync;

/// A loopback HTTP/1.1 server answering each request with `handler`,
/// one request per connection; stopped on drop.
struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(handler: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = tokio::spawn({
            let seen = seen.clone();
            async move {
                while let Ok((mut stream, _)) = listener.accept().await {
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&buffer).to_string();
                    let mut lines = text.split("\r\n");
                    let mut start = lines.next().unwrap_or_default().split(' ');
                    let request = Seen {
                        method: start.next().unwrap_or_default().to_owned(),
                        path: start.next().unwrap_or_default().to_owned(),
                        headers: lines
                            .take_while(|l| !l.is_empty())
                            .filter_map(|l| l.split_once(':'))
                            .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                            .collect(),
                    };
                    let (status, body) = handler(&request);
                    seen.lock().unwrap().push(request);
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                }
            }
        });
        Server { addr, seen, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// An `HttpClient` that records requests and answers each with one canned
/// response, for URIs no loopback server can take (169.254.170.2).
#[derive(Debug, Clone)]
struct Canned {
    status: u16,
    body: &'static str,
    requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl Canned {
    fn new(status: u16, body: &'static str) -> Canned {
        Canned {
            status,
            body,
            requests: Arc::default(),
        }
    }

    fn requests(&self) -> Vec<(String, Option<String>)> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| {
                let auth = r
                    .headers()
                    .get("authorization")
                    .map(|v| v.to_str().unwrap().to_owned());
                (r.uri().to_string(), auth)
            })
            .collect()
    }
}

impl HttpClient for Canned {
    fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
        self.requests.lock().unwrap().push(request);
        let response = http::Response::builder()
            .status(self.status)
            .body(Bytes::from_static(self.body.as_bytes()))
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

fn env(pairs: &[(&str, &str)]) -> Env {
    let owned: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Env::from_pairs(owned)
}

/// An environment whose home is `home` and nothing else besides `pairs`.
fn env_at_home(home: &Path, pairs: &[(&str, &str)]) -> Env {
    let home = home.to_str().unwrap();
    let mut all = vec![("HOME", home), ("USERPROFILE", home)];
    all.extend_from_slice(pairs);
    env(&all)
}

const CREDS_JSON: &str = r#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIA_ENDPOINT","SecretAccessKey":"endpoint-secret","Token":"endpoint-token","Expiration":"2099-01-01T00:00:00Z"}"#;

// ---------------------------------------------------------------------------
// Environment

#[test]
fn environment_reads_the_injected_variables() {
    run(async {
        let provider = EnvironmentCredentials::with_env(env(&[
            ("AWS_ACCESS_KEY_ID", "AKID_ENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_SESSION_TOKEN", "env-token"),
        ]));
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "AKID_ENV");
        assert_eq!(creds.session_token(), Some("env-token"));

        let err = EnvironmentCredentials::with_env(env(&[]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_loaded());
        assert_eq!(err.to_string(), "AWS_ACCESS_KEY_ID is not set");
    });
}

// ---------------------------------------------------------------------------
// Profile files

#[test]
fn credentials_file_beats_config_file_and_aws_profile_selects() {
    run(async {
        let home = TempDir::new("precedence");
        home.write(
            ".aws/config",
            "[default]\naws_access_key_id = CONFIG_DEFAULT\naws_secret_access_key = s1\n\
             [profile dev]\naws_access_key_id = CONFIG_DEV\naws_secret_access_key = s2\nregion = eu-west-3\n",
        );
        home.write(
            ".aws/credentials",
            "# keys\n[dev]\naws_access_key_id = CREDENTIALS_DEV ; comment\naws_secret_access_key = s3\n",
        );
        let default = ProfileCredentials::new().with_env(env_at_home(home.path(), &[]));
        let creds = default.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "CONFIG_DEFAULT");

        let dev =
            ProfileCredentials::new().with_env(env_at_home(home.path(), &[("AWS_PROFILE", "dev")]));
        let creds = dev.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "CREDENTIALS_DEV");
        assert_eq!(creds.secret_access_key(), "s3");

        let named = ProfileCredentials::new()
            .with_env(env_at_home(home.path(), &[("AWS_PROFILE", "dev")]))
            .with_profile_name("default");
        let creds = named.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "CONFIG_DEFAULT");
    });
}

#[test]
fn file_locations_come_from_the_environment() {
    run(async {
        let dir = TempDir::new("locations");
        let config = dir.write("elsewhere/cfg", "[profile p]\nregion = ap-south-1\n");
        let credentials = dir.write(
            "elsewhere/creds",
            "[p]\naws_access_key_id = AKID_ELSEWHERE\naws_secret_access_key = s\n",
        );
        let env = env(&[
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
            ("AWS_PROFILE", "p"),
        ]);
        let creds = ProfileCredentials::new()
            .with_env(env.clone())
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "AKID_ELSEWHERE");
        assert_eq!(
            opgen::region::default_region_with(&env, &Fs::real()).as_deref(),
            Some("ap-south-1")
        );
    });
}

#[test]
fn missing_profile_or_files_are_not_loaded() {
    run(async {
        let home = TempDir::new("missing");
        let err = ProfileCredentials::new()
            .with_env(env_at_home(home.path(), &[]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_loaded());
        assert_eq!(err.to_string(), "no profile files found");

        home.write(
            ".aws/credentials",
            "[default]\naws_access_key_id = A\naws_secret_access_key = s\n",
        );
        let err = ProfileCredentials::new()
            .with_env(env_at_home(home.path(), &[("AWS_PROFILE", "nope")]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_loaded());
        assert!(
            err.to_string().starts_with("no profile `nope` in "),
            "{err}"
        );
    });
}

/// Without the `sso-credentials` feature an SSO profile is an error naming
/// the profile and the key.
#[test]
#[cfg(not(feature = "sso-credentials"))]
fn sso_profile_is_an_error_naming_profile_and_key() {
    run(async {
        let home = TempDir::new("sso");
        home.write(
            ".aws/config",
            "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
        );
        let err = ProfileCredentials::new()
            .with_env(env_at_home(home.path(), &[("AWS_PROFILE", "dev")]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(!err.is_not_loaded());
        let text = err.to_string();
        assert!(
            text.contains("profile `dev`") && text.contains("`sso_session`"),
            "{text}"
        );
    });
}

// ---------------------------------------------------------------------------
// SSO profiles

#[cfg(feature = "sso-credentials")]
mod sso {
    use super::*;

    /// The token cache file of sso-session `corp`: sha1("corp").
    const CORP_CACHE: &str = ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
    /// The token cache file of the legacy start URL
    /// `https://legacy.awsapps.com/start`: its sha1.
    const LEGACY_CACHE: &str = ".aws/sso/cache/79e435d7a515078e81c9dffc35f38d5687ebd3a7.json";
    const TOKEN: &str = "sso-access-token-value";
    const SESSION_CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n\
        [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n";
    const ROLE_CREDENTIALS: &str = r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-session-token","expiration":4102444800000}}"#;

    fn cached_token(expires_at: &str) -> String {
        format!(
            r#"{{"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1","accessToken":"{TOKEN}","expiresAt":"{expires_at}"}}"#
        )
    }

    /// A portal stub answering `GetRoleCredentials` with `status` and `body`.
    async fn portal(status: u16, body: &'static str) -> Server {
        Server::start(move |_| (status, body.to_owned())).await
    }

    async fn load(home: &TempDir, server: &Server) -> Result<Credentials, CredentialsError> {
        ProfileCredentials::new()
            .with_env(env_at_home(
                home.path(),
                &[
                    ("AWS_PROFILE", "dev"),
                    ("AWS_ENDPOINT_URL_SSO", &server.url()),
                ],
            ))
            .provide_credentials()
            .await
    }

    #[test]
    fn session_profile_sends_the_token_unsigned_and_gets_expiring_credentials() {
        run(async {
            let home = TempDir::new("sso-session");
            home.write(".aws/config", SESSION_CONFIG);
            home.write(CORP_CACHE, &cached_token("2099-01-01T00:00:00Z"));
            let server = portal(200, ROLE_CREDENTIALS).await;
            let creds = load(&home, &server).await.unwrap();
            assert_eq!(creds.access_key_id(), "ASIASSO");
            assert_eq!(creds.secret_access_key(), "sso-secret");
            assert_eq!(creds.session_token(), Some("sso-session-token"));
            assert_eq!(
                creds.expiry(),
                Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_800))
            );
            let seen = server.seen();
            assert_eq!(seen.len(), 1);
            assert_eq!(seen[0].method, "GET");
            assert_eq!(
                seen[0].path,
                "/federation/credentials?role_name=Dev&account_id=123456789012"
            );
            assert_eq!(seen[0].header("x-amz-sso_bearer_token"), Some(TOKEN));
            assert_eq!(seen[0].header("authorization"), None);
        });
    }

    /// The legacy form keys the cache by the start URL and calls the portal
    /// of its own `sso_region`, not of `AWS_REGION`.
    #[test]
    fn legacy_profile_calls_the_portal_of_its_region() {
        run(async {
            let home = TempDir::new("sso-legacy");
            home.write(
                ".aws/config",
                "[default]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = ap-southeast-2\n\
                 sso_account_id = 111122223333\nsso_role_name = ReadOnly\nregion = us-west-2\n",
            );
            home.write(LEGACY_CACHE, &cached_token("2099-01-01T00:00:00Z"));
            let client = Canned::new(200, ROLE_CREDENTIALS);
            let creds = ProfileCredentials::new()
                .with_env(env_at_home(home.path(), &[("AWS_REGION", "us-west-2")]))
                .with_http_client(client.clone())
                .provide_credentials()
                .await
                .unwrap();
            assert_eq!(creds.access_key_id(), "ASIASSO");
            assert_eq!(
                client.requests(),
                [(
                    "https://portal.sso.ap-southeast-2.amazonaws.com/federation/credentials?role_name=ReadOnly&account_id=111122223333".to_owned(),
                    None
                )]
            );
        });
    }

    #[test]
    fn an_expired_token_says_to_log_in_and_sends_nothing() {
        run(async {
            let home = TempDir::new("sso-expired");
            home.write(".aws/config", SESSION_CONFIG);
            home.write(CORP_CACHE, &cached_token("2020-01-01T00:00:00Z"));
            let server = portal(200, ROLE_CREDENTIALS).await;
            let err = load(&home, &server).await.unwrap_err();
            assert!(!err.is_not_loaded());
            assert_eq!(
                err.to_string(),
                "profile `dev`: the SSO token for sso-session `corp` expired at \
                 2020-01-01T00:00:00Z; run `aws sso login --profile dev`"
            );
            assert!(server.seen().is_empty());
        });
    }

    #[test]
    fn a_missing_token_cache_says_to_log_in() {
        run(async {
            let home = TempDir::new("sso-missing");
            home.write(".aws/config", SESSION_CONFIG);
            let server = portal(200, ROLE_CREDENTIALS).await;
            let err = load(&home, &server).await.unwrap_err();
            assert!(!err.is_not_loaded());
            let text = err.to_string();
            assert!(
                text.starts_with("profile `dev`: no SSO token for sso-session `corp` ("),
                "{text}"
            );
            assert!(
                text.contains("ee0bfd2552fbd840c02cc48b6e823320543c450f.json does not exist"),
                "{text}"
            );
            assert!(
                text.ends_with("; run `aws sso login --profile dev`"),
                "{text}"
            );
            assert!(server.seen().is_empty());
        });
    }

    #[test]
    fn a_refused_token_names_the_profile_and_the_code_but_not_the_token() {
        run(async {
            let home = TempDir::new("sso-401");
            home.write(".aws/config", SESSION_CONFIG);
            home.write(CORP_CACHE, &cached_token("2099-01-01T00:00:00Z"));
            let server = portal(
                401,
                r#"{"__type":"UnauthorizedException","message":"Session token not found or invalid"}"#,
            )
            .await;
            let err = load(&home, &server).await.unwrap_err();
            assert!(!err.is_not_loaded());
            let text = err.to_string();
            assert!(
                text.starts_with(
                    "GetRoleCredentials of role `Dev` in account 123456789012 for profile `dev` failed"
                ),
                "{text}"
            );
            assert!(
                text.contains("(UnauthorizedException: Session token not found or invalid)"),
                "{text}"
            );
            assert!(!text.contains(TOKEN), "{text}");
            assert!(!format!("{err:?}").contains(TOKEN));
            // A 401 is not retried.
            assert_eq!(server.seen().len(), 1);
        });
    }

    /// An SSO profile is a `source_profile` like one with static keys: its
    /// role credentials sign the `AssumeRole` of the profile above it.
    #[test]
    #[cfg(feature = "sts-credentials")]
    fn an_sso_profile_sources_a_role() {
        run(async {
            let home = TempDir::new("sso-source");
            home.write(
                ".aws/config",
                &format!(
                    "[profile admin]\nrole_arn = arn:aws:iam::999999999999:role/admin\nsource_profile = dev\n{SESSION_CONFIG}"
                ),
            );
            home.write(CORP_CACHE, &cached_token("2099-01-01T00:00:00Z"));
            let server = Server::start(|request| match request.method.as_str() {
                "GET" => (200, ROLE_CREDENTIALS.to_owned()),
                _ => (
                    200,
                    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                     <AssumeRoleResult><Credentials><AccessKeyId>ASIAADMIN</AccessKeyId>\
                     <SecretAccessKey>admin-secret</SecretAccessKey>\
                     <SessionToken>admin-token</SessionToken>\
                     <Expiration>2030-01-02T03:04:05Z</Expiration></Credentials>\
                     </AssumeRoleResult></AssumeRoleResponse>"
                        .to_owned(),
                ),
            })
            .await;
            let creds = ProfileCredentials::new()
                .with_env(env_at_home(
                    home.path(),
                    &[
                        ("AWS_PROFILE", "admin"),
                        ("AWS_ENDPOINT_URL", &server.url()),
                    ],
                ))
                .provide_credentials()
                .await
                .unwrap();
            assert_eq!(creds.access_key_id(), "ASIAADMIN");
            let seen = server.seen();
            assert_eq!(seen.len(), 2);
            assert_eq!(seen[0].header("x-amz-sso_bearer_token"), Some(TOKEN));
            assert_eq!(seen[1].method, "POST");
            let authorization = seen[1].header("authorization").unwrap_or_default();
            assert!(
                authorization.contains("Credential=ASIASSO/"),
                "{authorization}"
            );
        });
    }

    /// The default chain caches SSO credentials until near their expiry.
    #[test]
    fn the_default_chain_caches_sso_credentials() {
        run(async {
            let home = TempDir::new("sso-chain");
            home.write(".aws/config", SESSION_CONFIG);
            home.write(CORP_CACHE, &cached_token("2099-01-01T00:00:00Z"));
            let server = portal(200, ROLE_CREDENTIALS).await;
            let chain = DefaultCredentialsChain::from_env_with(
                env_at_home(
                    home.path(),
                    &[
                        ("AWS_PROFILE", "dev"),
                        ("AWS_ENDPOINT_URL_SSO", &server.url()),
                    ],
                ),
                Fs::real(),
            );
            for _ in 0..3 {
                let creds = chain.provide_credentials().await.unwrap();
                assert_eq!(creds.access_key_id(), "ASIASSO");
            }
            assert_eq!(server.seen().len(), 1);
        });
    }
}

/// A role profile whose `source_profile` is missing fails naming both,
/// rather than calling STS with no credentials.
#[test]
#[cfg(feature = "sts-credentials")]
fn role_profile_with_a_missing_source_profile_names_it() {
    run(async {
        let home = TempDir::new("role");
        home.write(
            ".aws/config",
            "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n",
        );
        let err = ProfileCredentials::new()
            .with_env(env_at_home(home.path(), &[("AWS_PROFILE", "admin")]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(!err.is_not_loaded());
        let text = err.to_string();
        assert!(
            text.contains("profile `admin`") && text.contains("source_profile `default`"),
            "{text}"
        );
    });
}

#[cfg(unix)]
mod process {
    use super::*;

    fn profile_with_process(home: &TempDir, command: &str) -> ProfileCredentials {
        home.write(
            ".aws/config",
            &format!("[profile proc]\ncredential_process = {command}\n"),
        );
        ProfileCredentials::new().with_env(env_at_home(home.path(), &[("AWS_PROFILE", "proc")]))
    }

    #[test]
    fn process_output_with_expiration() {
        run(async {
            let home = TempDir::new("process-expiry");
            let output = home.write(
                "out.json",
                r#"{"Version": 1, "AccessKeyId": "ASIA_PROCESS", "SecretAccessKey": "process-secret",
                    "SessionToken": "process-token", "Expiration": "2099-12-31T23:59:59Z"}"#,
            );
            let provider = profile_with_process(&home, &format!("cat '{}'", output.display()));
            let creds = provider.provide_credentials().await.unwrap();
            assert_eq!(creds.access_key_id(), "ASIA_PROCESS");
            assert_eq!(creds.secret_access_key(), "process-secret");
            assert_eq!(creds.session_token(), Some("process-token"));
            let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_799);
            assert_eq!(creds.expiry(), Some(expected));
        });
    }

    #[test]
    fn process_output_without_expiration() {
        run(async {
            let home = TempDir::new("process-static");
            let output = home.write(
                "out.json",
                r#"{"Version":1,"AccessKeyId":"AKIA_PROCESS","SecretAccessKey":"s"}"#,
            );
            let provider = profile_with_process(&home, &format!("cat '{}'", output.display()));
            let creds = provider.provide_credentials().await.unwrap();
            assert_eq!(creds.access_key_id(), "AKIA_PROCESS");
            assert_eq!(creds.session_token(), None);
            assert_eq!(creds.expiry(), None);
        });
    }

    #[test]
    fn failing_process_reports_status_and_stderr_but_not_stdout() {
        run(async {
            let home = TempDir::new("process-fail");
            let provider = profile_with_process(
                &home,
                "echo STDOUT-SECRET-VALUE; echo 'token expired, run login' >&2; exit 3",
            );
            let err = provider.provide_credentials().await.unwrap_err();
            let text = err.to_string();
            assert!(!err.is_not_loaded());
            assert!(text.contains("profile `proc`"), "{text}");
            assert!(text.contains("exit status: 3"), "{text}");
            assert!(text.contains("token expired, run login"), "{text}");
            assert!(!text.contains("STDOUT-SECRET-VALUE"), "{text}");
            assert!(!format!("{err:?}").contains("STDOUT-SECRET-VALUE"));
        });
    }

    /// Whether the process `pid` still exists (a zombie would: `/proc`
    /// keeps its entry until it is reaped).
    fn exists(pid: &str) -> bool {
        std::process::Command::new("kill")
            .args(["-0", pid])
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .success()
            || Path::new(&format!("/proc/{pid}")).exists()
    }

    /// A profile whose process writes its pid to a file and then `exec`s
    /// `program`, so that the pid is that of the program.
    fn process_with_pid(home: &TempDir, program: &str) -> (ProfileCredentials, PathBuf) {
        let pid_file = home.path().join("pid");
        let command = format!("echo $$ > '{}'; exec {program}", pid_file.display());
        (profile_with_process(home, &command), pid_file)
    }

    #[test]
    fn a_hung_process_is_killed_and_reaped_at_its_timeout() {
        run(async {
            let home = TempDir::new("process-hung");
            let (provider, pid_file) = process_with_pid(&home, "sleep 30");
            let provider = provider.with_process_timeout(Duration::from_millis(500));
            let started = std::time::Instant::now();
            let err = provider.provide_credentials().await.unwrap_err();
            let took = started.elapsed();
            assert!(took < Duration::from_secs(5), "took {took:?}");
            assert!(!err.is_not_loaded());
            let text = err.to_string();
            assert!(text.contains("profile `proc`"), "{text}");
            assert!(text.contains("timed out after 500ms"), "{text}");
            let pid = std::fs::read_to_string(&pid_file).unwrap();
            let pid = pid.trim();
            assert!(!pid.is_empty());
            assert!(!exists(pid), "process {pid} outlived its timeout");
        });
    }

    #[test]
    fn the_default_process_timeout_is_five_seconds() {
        assert_eq!(
            opgen::credentials::DEFAULT_CREDENTIAL_PROCESS_TIMEOUT,
            Duration::from_secs(5)
        );
    }

    #[test]
    fn a_process_printing_without_end_is_stopped_at_the_output_cap() {
        run(async {
            let home = TempDir::new("process-flood");
            let (provider, pid_file) = process_with_pid(&home, "yes SECRET-LINE");
            let err = provider.provide_credentials().await.unwrap_err();
            let text = err.to_string();
            assert!(text.contains("profile `proc`"), "{text}");
            assert!(text.contains("more than 65536 bytes"), "{text}");
            assert!(!text.contains("SECRET-LINE"), "{text}");
            let pid = std::fs::read_to_string(&pid_file).unwrap();
            assert!(!exists(pid.trim()), "process {pid} left running");
        });
    }

    #[test]
    fn malformed_process_output_is_not_echoed() {
        run(async {
            let home = TempDir::new("process-bad");
            let provider = profile_with_process(
                &home,
                r#"echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "LEAKED-SECRET"}'"#,
            );
            let err = provider.provide_credentials().await.unwrap_err();
            let text = err.to_string();
            assert!(text.contains("`Version` is not 1"), "{text}");
            assert!(!text.contains("LEAKED-SECRET"), "{text}");
        });
    }
}

// ---------------------------------------------------------------------------
// Container endpoint

#[test]
fn container_full_uri_with_token() {
    run(async {
        let server = Server::start(|_| (200, CREDS_JSON.to_owned())).await;
        let uri = format!("{}/creds", server.url());
        let provider = ContainerCredentials::new().with_env(env(&[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic container-token"),
        ]));
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIA_ENDPOINT");
        assert_eq!(creds.session_token(), Some("endpoint-token"));
        assert!(creds.expiry().is_some());
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].method, "GET");
        assert_eq!(seen[0].path, "/creds");
        assert_eq!(
            seen[0].header("authorization"),
            Some("Basic container-token")
        );
    });
}

#[test]
fn container_token_file_beats_token_variable() {
    run(async {
        let dir = TempDir::new("token-file");
        let token_file = dir.write("token", "eks-pod-identity-token\n");
        let server = Server::start(|_| (200, CREDS_JSON.to_owned())).await;
        let uri = format!("{}/v1/credentials", server.url());
        let provider = ContainerCredentials::new().with_env(env(&[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                token_file.to_str().unwrap(),
            ),
        ]));
        provider.provide_credentials().await.unwrap();
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(
            seen[0].header("authorization"),
            Some("eks-pod-identity-token")
        );

        let missing = ContainerCredentials::new().with_env(env(&[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                "/nonexistent/opgen/token",
            ),
        ]));
        let err = missing.provide_credentials().await.unwrap_err();
        assert!(!err.is_not_loaded());
        assert!(
            err.to_string()
                .contains("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
            "{err}"
        );
    });
}

#[test]
fn container_relative_uri_goes_to_the_ecs_host() {
    run(async {
        let client = Canned::new(200, CREDS_JSON);
        let provider = ContainerCredentials::new()
            .with_env(env(&[(
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "/v2/credentials/x",
            )]))
            .with_http_client(client.clone());
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIA_ENDPOINT");
        assert_eq!(
            client.requests(),
            [("http://169.254.170.2/v2/credentials/x".to_owned(), None)]
        );
    });
}

#[test]
fn container_relative_uri_not_starting_with_a_slash_is_refused_before_sending() {
    run(async {
        // Appended to `http://169.254.170.2`, each of these would move the
        // request, and its authorization token, to another host or port.
        for relative in [
            "@attacker.example/x",
            ".attacker.example/x",
            ":8080/x",
            "attacker.example",
            "?x=1",
            "#x",
        ] {
            let client = Canned::new(200, CREDS_JSON);
            let err = ContainerCredentials::new()
                .with_env(env(&[
                    ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", relative),
                    ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-token"),
                ]))
                .with_http_client(client.clone())
                .provide_credentials()
                .await
                .unwrap_err();
            assert!(!err.is_not_loaded(), "{relative:?}: {err}");
            let message = err.to_string();
            assert!(
                message.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                    && message.contains("must start with `/`"),
                "{relative:?}: {message}"
            );
            assert!(!message.contains("container-token"), "{message}");
            assert!(client.requests().is_empty(), "{relative:?} was sent");
        }
    });
}

#[test]
fn container_full_uri_host_not_allowed() {
    run(async {
        let client = Canned::new(200, CREDS_JSON);
        let provider = ContainerCredentials::new()
            .with_env(env(&[(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://169.254.169.254/creds",
            )]))
            .with_http_client(client.clone());
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(!err.is_not_loaded());
        assert!(
            err.to_string().contains("`169.254.169.254` is not allowed"),
            "{err}"
        );
        assert!(client.requests().is_empty());

        let https = ContainerCredentials::new()
            .with_env(env(&[(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "https://creds.example.com/x",
            )]))
            .with_http_client(client.clone());
        https.provide_credentials().await.unwrap();
        assert_eq!(client.requests().len(), 1);
    });
}

#[test]
fn container_failures() {
    run(async {
        let err = ContainerCredentials::new()
            .with_env(env(&[]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_loaded());

        let server = Server::start(|_| (500, "boom: container-token".to_owned())).await;
        let uri = format!("{}/creds", server.url());
        let err = ContainerCredentials::new()
            .with_env(env(&[
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container-token"),
            ]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(!err.is_not_loaded());
        assert!(err.to_string().contains("HTTP 500"), "{err}");
        assert!(!err.to_string().contains("container-token"), "{err}");
        // A 5xx is retried once.
        assert_eq!(server.seen().len(), 2);
    });
}

/// A loopback server that answers every request with `status` and a
/// chunked body that never ends, until the client goes away.
async fn endless_server(status: u16) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut chunk = [0u8; 4096];
                let _ = stream.read(&mut chunk).await;
                let head = format!("HTTP/1.1 {status} X\r\ntransfer-encoding: chunked\r\n\r\n");
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                // 64 KiB chunks: `10000` is the size in hex.
                let mut data = b"10000\r\n".to_vec();
                data.extend_from_slice(&[b'{'; 0x10000]);
                data.extend_from_slice(b"\r\n");
                while stream.write_all(&data).await.is_ok() {}
            });
        }
    });
    Server {
        addr,
        seen: Arc::default(),
        task,
    }
}

#[test]
fn an_endless_container_response_is_cut_at_the_cap() {
    run(async {
        for status in [200, 500] {
            let server = endless_server(status).await;
            let uri = format!("{}/creds", server.url());
            let err = ContainerCredentials::new()
                .with_env(env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)]))
                .provide_credentials()
                .await
                .unwrap_err();
            assert!(!err.is_not_loaded());
            assert!(err.to_string().contains("larger than 65536 bytes"), "{err}");
        }
    });
}

#[test]
fn an_endless_imds_response_is_cut_at_the_cap() {
    run(async {
        let server = endless_server(200).await;
        let err = ImdsCredentials::new()
            .with_env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url())]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("larger than 65536 bytes"), "{err}");
    });
}

// ---------------------------------------------------------------------------
// IMDS

/// An IMDSv2 stub: a token for a PUT, then the role and its credentials
/// for GETs carrying that token.
async fn imds_server() -> Server {
    Server::start(|request| {
        let token_ok = request.header("x-aws-ec2-metadata-token") == Some("imds-session-token");
        match (request.method.as_str(), request.path.as_str()) {
            ("PUT", "/latest/api/token")
                if request
                    .header("x-aws-ec2-metadata-token-ttl-seconds")
                    .is_some() =>
            {
                (200, "imds-session-token".to_owned())
            }
            ("GET", "/latest/meta-data/iam/security-credentials/") if token_ok => {
                (200, "my-role\n".to_owned())
            }
            ("GET", "/latest/meta-data/iam/security-credentials/my-role") if token_ok => {
                (200, CREDS_JSON.replace("ASIA_ENDPOINT", "ASIA_IMDS"))
            }
            _ => (401, String::new()),
        }
    })
    .await
}

#[test]
fn imds_token_then_role_then_credentials() {
    run(async {
        let server = imds_server().await;
        let provider = ImdsCredentials::new()
            .with_env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url())]));
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIA_IMDS");
        assert_eq!(creds.session_token(), Some("endpoint-token"));
        let seen = server.seen();
        let steps: Vec<(&str, &str)> = seen
            .iter()
            .map(|s| (s.method.as_str(), s.path.as_str()))
            .collect();
        assert_eq!(
            steps,
            [
                ("PUT", "/latest/api/token"),
                ("GET", "/latest/meta-data/iam/security-credentials/"),
                ("GET", "/latest/meta-data/iam/security-credentials/my-role"),
            ]
        );
        assert_eq!(
            seen[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
            Some("21600")
        );
        assert!(seen[0].header("x-aws-ec2-metadata-token").is_none());
        for get in &seen[1..] {
            assert_eq!(
                get.header("x-aws-ec2-metadata-token"),
                Some("imds-session-token")
            );
        }
    });
}

#[test]
fn imds_disabled_sends_nothing() {
    run(async {
        let server = imds_server().await;
        let provider = ImdsCredentials::new().with_env(env(&[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.url()),
            ("AWS_EC2_METADATA_DISABLED", "TRUE"),
        ]));
        let err = provider.provide_credentials().await.unwrap_err();
        assert!(err.is_not_loaded());
        assert!(
            err.to_string().contains("AWS_EC2_METADATA_DISABLED"),
            "{err}"
        );
        assert!(server.seen().is_empty());
    });
}

#[test]
fn imds_failures() {
    run(async {
        // Nothing listens on a port just released.
        let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", closed.local_addr().unwrap());
        drop(closed);
        let err = ImdsCredentials::new()
            .with_env(env(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url)]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_loaded(), "{err}");
        assert!(err.to_string().contains("cannot reach"), "{err}");

        let no_role = Server::start(|request| match request.method.as_str() {
            "PUT" => (200, "t".to_owned()),
            _ => (404, String::new()),
        })
        .await;
        let err = ImdsCredentials::new()
            .with_env(env(&[(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                &no_role.url(),
            )]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_loaded());
        assert!(err.to_string().contains("no IAM role"), "{err}");
    });
}

// ---------------------------------------------------------------------------
// Cache

/// Counts loads; each takes a little while, so concurrent callers overlap.
#[derive(Debug, Clone)]
struct Counting {
    loads: Arc<AtomicUsize>,
    lifetime: Option<Duration>,
}

impl Counting {
    fn new(lifetime: Option<Duration>) -> Counting {
        Counting {
            loads: Arc::default(),
            lifetime,
        }
    }

    fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(async move {
            let n = self.loads.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            let creds = Credentials::new(format!("AKID{n}"), "s", None);
            Ok(match self.lifetime {
                Some(lifetime) => creds.with_expiry(SystemTime::now() + lifetime),
                None => creds,
            })
        })
    }
}

#[test]
fn fifty_concurrent_calls_cause_one_load() {
    run(async {
        let inner = Counting::new(Some(Duration::from_secs(3600)));
        let cache = CachedCredentials::new(inner.clone());
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let cache = cache.clone();
            tasks.spawn(async move { cache.provide_credentials().await });
        }
        let mut keys = Vec::new();
        while let Some(result) = tasks.join_next().await {
            keys.push(result.unwrap().unwrap().access_key_id().to_owned());
        }
        assert_eq!(keys.len(), 50);
        assert!(keys.iter().all(|k| k == "AKID1"), "{keys:?}");
        assert_eq!(inner.loads(), 1);
    });
}

#[test]
fn credentials_are_refreshed_near_expiry() {
    run(async {
        // Expiring within the default 5-minute buffer: every call reloads.
        let inner = Counting::new(Some(Duration::from_secs(60)));
        let cache = CachedCredentials::new(inner.clone());
        cache.provide_credentials().await.unwrap();
        let second = cache.provide_credentials().await.unwrap();
        assert_eq!(second.access_key_id(), "AKID2");
        assert_eq!(inner.loads(), 2);

        // Without a buffer: reused until the expiry, then reloaded.
        let inner = Counting::new(Some(Duration::from_millis(400)));
        let cache = CachedCredentials::new(inner.clone()).with_refresh_buffer(Duration::ZERO);
        cache.provide_credentials().await.unwrap();
        cache.provide_credentials().await.unwrap();
        assert_eq!(inner.loads(), 1);
        tokio::time::sleep(Duration::from_millis(500)).await;
        let refreshed = cache.provide_credentials().await.unwrap();
        assert_eq!(refreshed.access_key_id(), "AKID2");
        assert_eq!(inner.loads(), 2);

        // Without an expiry: reused for the static lifetime.
        let inner = Counting::new(None);
        let cache = CachedCredentials::new(inner.clone());
        cache.provide_credentials().await.unwrap();
        cache.provide_credentials().await.unwrap();
        assert_eq!(inner.loads(), 1);
        cache.invalidate();
        cache.provide_credentials().await.unwrap();
        assert_eq!(inner.loads(), 2);
    });
}

#[derive(Debug)]
struct Failing(&'static str);

impl ProvideCredentials for Failing {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        Box::pin(async move { Err(CredentialsError::new(self.0)) })
    }
}

#[test]
fn errors_are_not_cached() {
    run(async {
        let cache = CachedCredentials::new(Failing("broken"));
        for _ in 0..2 {
            let err = cache.provide_credentials().await.unwrap_err();
            assert_eq!(err.to_string(), "broken");
        }
    });
}

// ---------------------------------------------------------------------------
// The default chain

struct AllSources {
    home: TempDir,
    container: Server,
    imds: Server,
}

impl AllSources {
    async fn new() -> AllSources {
        let home = TempDir::new("chain");
        home.write(
            ".aws/credentials",
            "[default]\naws_access_key_id = AKID_PROFILE\naws_secret_access_key = s\n",
        );
        let container_json = CREDS_JSON.replace("ASIA_ENDPOINT", "ASIA_CONTAINER");
        let container = Server::start(move |_| (200, container_json.clone())).await;
        AllSources {
            home,
            container,
            imds: imds_server().await,
        }
    }

    /// The chain with the sources named in `with`.
    fn chain(&self, with: &[&str]) -> DefaultCredentialsChain {
        let home = if with.contains(&"profile") {
            self.home.path().to_owned()
        } else {
            self.home.path().join("empty")
        };
        let container_uri = format!("{}/creds", self.container.url());
        let mut pairs = vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", self.imds.url())];
        if with.contains(&"environment") {
            pairs.push(("AWS_ACCESS_KEY_ID", "AKID_ENV".to_owned()));
            pairs.push(("AWS_SECRET_ACCESS_KEY", "s".to_owned()));
        }
        if with.contains(&"container") {
            pairs.push(("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_uri));
        }
        if !with.contains(&"imds") {
            pairs.push(("AWS_EC2_METADATA_DISABLED", "true".to_owned()));
        }
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        DefaultCredentialsChain::from_env_with(env_at_home(&home, &pairs), Fs::real())
    }
}

#[test]
fn chain_order_env_profile_container_imds() {
    run(async {
        let sources = AllSources::new().await;
        let cases: [(&[&str], &str); 4] = [
            (&["environment", "profile", "container", "imds"], "AKID_ENV"),
            (&["profile", "container", "imds"], "AKID_PROFILE"),
            (&["container", "imds"], "ASIA_CONTAINER"),
            (&["imds"], "ASIA_IMDS"),
        ];
        for (with, expected) in cases {
            let creds = sources.chain(with).provide_credentials().await.unwrap();
            assert_eq!(creds.access_key_id(), expected, "with {with:?}");
        }
        // Only the last two cases reached the endpoints, once each.
        assert_eq!(sources.container.seen().len(), 1);
        assert_eq!(sources.imds.seen().len(), 3);
    });
}

#[test]
fn chain_error_lists_every_source() {
    run(async {
        let sources = AllSources::new().await;
        let err = sources.chain(&[]).provide_credentials().await.unwrap_err();
        assert!(err.is_not_loaded());
        let text = err.to_string();
        let positions: Vec<usize> = ["environment: ", "profile: ", "container: ", "IMDS: "]
            .iter()
            .map(|name| {
                text.find(name)
                    .unwrap_or_else(|| panic!("{name} missing in {text}"))
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(text.contains("AWS_ACCESS_KEY_ID is not set"), "{text}");
        assert!(text.contains("AWS_EC2_METADATA_DISABLED"), "{text}");
    });
}

#[test]
fn a_failing_configured_source_stops_the_chain() {
    run(async {
        let sources = AllSources::new().await;
        sources.home.write(
            ".aws/config",
            "[profile broken]\naws_access_key_id = ONLY_HALF\n",
        );
        let home = sources.home.path().to_str().unwrap().to_owned();
        let imds = sources.imds.url();
        let chain = DefaultCredentialsChain::from_env_with(
            env(&[
                ("HOME", &home),
                ("USERPROFILE", &home),
                ("AWS_PROFILE", "broken"),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds),
            ]),
            Fs::real(),
        );
        let err = chain.provide_credentials().await.unwrap_err();
        assert!(!err.is_not_loaded());
        assert_eq!(
            err.to_string(),
            "profile: profile `broken` is missing `aws_secret_access_key`"
        );
        assert!(sources.imds.seen().is_empty());
    });
}

#[test]
fn custom_chain_tries_in_order() {
    run(async {
        let chain = CredentialsChain::new()
            .or_else("first", EnvironmentCredentials::with_env(env(&[])))
            .or_else("second", Credentials::new("AKID_SECOND", "s", None))
            .or_else("third", Failing("never reached"));
        let creds = chain.provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "AKID_SECOND");
        let err = CredentialsChain::new()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_loaded());
    });
}

// ---------------------------------------------------------------------------
// Region

#[test]
fn region_from_variables_then_profile() {
    let home = TempDir::new("region");
    home.write(
        ".aws/config",
        "[default]\nregion = us-west-2\n[profile eu]\nregion = eu-north-1\n",
    );
    let region = |pairs: &[(&str, &str)]| {
        opgen::region::default_region_with(&env_at_home(home.path(), pairs), &Fs::real())
    };
    assert_eq!(region(&[]).as_deref(), Some("us-west-2"));
    assert_eq!(
        region(&[("AWS_PROFILE", "eu")]).as_deref(),
        Some("eu-north-1")
    );
    assert_eq!(
        region(&[
            ("AWS_DEFAULT_REGION", "ca-central-1"),
            ("AWS_PROFILE", "eu")
        ])
        .as_deref(),
        Some("ca-central-1")
    );
    assert_eq!(
        region(&[
            ("AWS_REGION", "sa-east-1"),
            ("AWS_DEFAULT_REGION", "ca-central-1")
        ])
        .as_deref(),
        Some("sa-east-1")
    );
    assert_eq!(region(&[("AWS_PROFILE", "none")]), None);
}

// ---------------------------------------------------------------------------
// Secrets never shown

#[test]
fn debug_and_display_never_show_secrets() {
    run(async {
        const SECRETS: [&str; 4] = [
            "SECRET-env",
            "TOKEN-env",
            "TOKEN-container",
            "SECRET-profile",
        ];
        let home = TempDir::new("secrets");
        home.write(
            ".aws/credentials",
            "[default]\naws_access_key_id = AKID_P\naws_secret_access_key = SECRET-profile\n",
        );
        let server = Server::start(|_| (500, "TOKEN-container".to_owned())).await;
        let uri = format!("{}/creds", server.url());
        let env = env_at_home(
            home.path(),
            &[
                ("AWS_ACCESS_KEY_ID", "AKID_E"),
                ("AWS_SECRET_ACCESS_KEY", "SECRET-env"),
                ("AWS_SESSION_TOKEN", "TOKEN-env"),
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "TOKEN-container"),
                ("AWS_EC2_METADATA_DISABLED", "true"),
            ],
        );
        let environment = EnvironmentCredentials::with_env(env.clone());
        let profile = ProfileCredentials::new().with_env(env.clone());
        let container = ContainerCredentials::new().with_env(env.clone());
        let imds = ImdsCredentials::new().with_env(env.clone());
        let chain = DefaultCredentialsChain::from_env_with(env.clone(), Fs::real());
        let cache = CachedCredentials::new(profile.clone());

        let mut shown = vec![
            format!("{environment:?}"),
            format!("{profile:?}"),
            format!("{container:?}"),
            format!("{imds:?}"),
            format!("{env:?}"),
        ];
        for creds in [
            environment.provide_credentials().await.unwrap(),
            profile.provide_credentials().await.unwrap(),
            chain.provide_credentials().await.unwrap(),
            cache.provide_credentials().await.unwrap(),
        ] {
            shown.push(format!("{creds:?}"));
        }
        // After loading, the caches hold credentials.
        shown.push(format!("{chain:?}"));
        shown.push(format!("{cache:?}"));
        let container_error = container.provide_credentials().await.unwrap_err();
        shown.push(format!("{container_error:?}"));
        shown.push(container_error.to_string());
        let imds_error = imds.provide_credentials().await.unwrap_err();
        shown.push(format!("{imds_error:?} {imds_error}"));
        let config = opgen::Config::builder()
            .credentials_provider(chain.clone())
            .build();
        shown.push(format!("{config:?}"));

        for text in &shown {
            for secret in SECRETS {
                assert!(!text.contains(secret), "{secret} shown in {text}");
            }
        }
        // The redacted forms still say what they are.
        assert!(shown.iter().any(|t| t.contains("AKID_E")));
    });
}

// ---------------------------------------------------------------------------
// aws-config bridge

#[cfg(feature = "aws-config")]
mod aws_config_bridge {
    use super::*;
    use aws_credential_types::provider::error::CredentialsError as AwsError;
    use aws_credential_types::provider::{future, ProvideCredentials as AwsProvide};
    use opgen::credentials::AwsSdkCredentials;

    #[derive(Debug)]
    struct NotHere;

    impl AwsProvide for NotHere {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(Err(AwsError::not_loaded("nothing here")))
        }
    }

    #[test]
    fn aws_sdk_providers_bridge_into_opgen() {
        run(async {
            let expiry = SystemTime::UNIX_EPOCH + Duration::from_secs(4_000_000_000);
            let sdk = aws_credential_types::Credentials::new(
                "AKID_SDK",
                "sdk-secret",
                Some("sdk-token".to_owned()),
                Some(expiry),
                "test",
            );
            let provider = AwsSdkCredentials::new(sdk);
            let creds = provider.provide_credentials().await.unwrap();
            assert_eq!(creds.access_key_id(), "AKID_SDK");
            assert_eq!(creds.secret_access_key(), "sdk-secret");
            assert_eq!(creds.session_token(), Some("sdk-token"));
            assert_eq!(creds.expiry(), Some(expiry));
            let shown = format!("{provider:?}");
            assert!(
                !shown.contains("sdk-secret") && !shown.contains("sdk-token"),
                "{shown}"
            );

            let err = AwsSdkCredentials::new(NotHere)
                .provide_credentials()
                .await
                .unwrap_err();
            assert!(err.is_not_loaded());
            assert!(err.to_string().contains("nothing here"), "{err}");

            let chain = CredentialsChain::new()
                .or_else("sdk", AwsSdkCredentials::new(NotHere))
                .or_else("static", Credentials::new("AKID_NEXT", "s", None));
            let creds = chain.provide_credentials().await.unwrap();
            assert_eq!(creds.access_key_id(), "AKID_NEXT");
        });
    }
}
