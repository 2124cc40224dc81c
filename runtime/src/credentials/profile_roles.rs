//! Profiles that assume roles: `role_arn` with `source_profile` (a chain of
//! profiles, each assuming its role with the credentials of the next),
//! `credential_source` (`Environment`, `Ec2InstanceMetadata`,
//! `EcsContainer`) or `web_identity_token_file`.
//!
//! The chain is walked from the selected profile to the profile that holds
//! credentials (static keys or `credential_process`), then the roles are
//! assumed back up, as the AWS SDKs do: a source profile with static keys
//! ends the walk even if it names a role too, and a profile that is its own
//! `source_profile` assumes its role with its own keys. A profile met twice
//! is a loop, reported with the path.

use super::profile::{check_supported, static_or_process};
use super::sts::{self, RoleSpec, StsConfig};
#[cfg(feature = "container-credentials")]
use super::ContainerCredentials;
#[cfg(feature = "imds-credentials")]
use super::ImdsCredentials;
use super::{Credentials, CredentialsError, EnvironmentCredentials, ProvideCredentials};
use crate::profile::{Env, Fs, Profile, ProfileSet};
use crate::SharedHttpClient;
use std::time::Duration;

/// What the walk needs besides the profiles.
pub(super) struct Context<'a> {
    pub(super) env: &'a Env,
    pub(super) fs: &'a Fs,
    pub(super) sts: &'a StsConfig,
    #[cfg(feature = "sso-credentials")]
    pub(super) sso: &'a super::sso::SsoConfig,
    // Read only by the container and IMDS sources, which their features
    // may leave out.
    #[cfg_attr(
        not(any(feature = "container-credentials", feature = "imds-credentials")),
        allow(dead_code)
    )]
    pub(super) http_client: Option<&'a SharedHttpClient>,
    pub(super) process_timeout: Duration,
}

/// Whether `profile` is one for this module.
pub(super) fn assumes_a_role(profile: &Profile) -> bool {
    [
        "role_arn",
        "source_profile",
        "credential_source",
        "web_identity_token_file",
    ]
    .iter()
    .any(|key| profile.get(key).is_some())
}

/// Where the credentials at the end of the chain come from.
enum Base<'a> {
    /// Static keys or `credential_process` of a profile.
    Profile(&'a Profile),
    /// An SSO profile's role.
    #[cfg(feature = "sso-credentials")]
    Sso(&'a Profile),
    /// A `credential_source`, by name.
    Source(&'a str),
    /// `web_identity_token_file` with the profile's role.
    WebIdentity(&'a str, RoleSpec),
}

fn non_empty<'p>(profile: &'p Profile, key: &str) -> Option<&'p str> {
    profile.get(key).filter(|value| !value.is_empty())
}

fn has_static_keys(profile: &Profile) -> bool {
    non_empty(profile, "aws_access_key_id").is_some()
        && non_empty(profile, "aws_secret_access_key").is_some()
}

/// The role of `profile`: `role_arn`, `role_session_name`, `external_id`,
/// `duration_seconds`.
fn role_of(profile: &Profile, role_arn: &str) -> Result<RoleSpec, CredentialsError> {
    let mut role = RoleSpec::new(role_arn);
    role.session_name = non_empty(profile, "role_session_name").map(str::to_owned);
    role.external_id = non_empty(profile, "external_id").map(str::to_owned);
    if let Some(seconds) = non_empty(profile, "duration_seconds") {
        let seconds: u64 = seconds.parse().map_err(|_| {
            CredentialsError::new(format!(
                "profile `{}` has an invalid `duration_seconds` `{seconds}`",
                profile.name()
            ))
        })?;
        role.duration = Some(Duration::from_secs(seconds));
    }
    Ok(role)
}

/// Walks from `name` to the base credentials, collecting the roles to
/// assume (the selected profile's first).
fn walk<'a>(
    set: &'a ProfileSet,
    name: &'a str,
) -> Result<(Base<'a>, Vec<RoleSpec>), CredentialsError> {
    let mut roles = Vec::new();
    let mut visited: Vec<&str> = Vec::new();
    let mut current = name;
    loop {
        if visited.contains(&current) {
            visited.push(current);
            return Err(CredentialsError::new(format!(
                "the profiles' source_profile settings form a loop: {}",
                visited.join(" -> ")
            )));
        }
        let profile = set.get(current).ok_or_else(|| {
            let from = visited.last().copied().unwrap_or(name);
            CredentialsError::new(format!(
                "profile `{from}` names source_profile `{current}`, which does not exist"
            ))
        })?;
        visited.push(current);
        check_supported(profile)?;
        let is_source = visited.len() > 1;
        if is_source && has_static_keys(profile) {
            return Ok((Base::Profile(profile), roles));
        }
        // An SSO profile is a source like one with static keys.
        #[cfg(feature = "sso-credentials")]
        if is_source && super::sso::is_sso_profile(profile) {
            return Ok((Base::Sso(profile), roles));
        }
        let Some(role_arn) = non_empty(profile, "role_arn") else {
            if non_empty(profile, "web_identity_token_file").is_some()
                || non_empty(profile, "source_profile").is_some()
                || non_empty(profile, "credential_source").is_some()
            {
                return Err(CredentialsError::new(format!(
                    "profile `{current}` has no `role_arn` to assume"
                )));
            }
            return Ok((Base::Profile(profile), roles));
        };
        let role = role_of(profile, role_arn)?;
        if let Some(token_file) = non_empty(profile, "web_identity_token_file") {
            return Ok((Base::WebIdentity(token_file, role), roles));
        }
        match (
            non_empty(profile, "source_profile"),
            non_empty(profile, "credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(CredentialsError::new(format!(
                    "profile `{current}` sets both `source_profile` and `credential_source`; keep one"
                )))
            }
            (Some(source), None) => {
                roles.push(role);
                if source == current {
                    return Ok((Base::Profile(profile), roles));
                }
                current = source;
            }
            (None, Some(source)) => {
                roles.push(role);
                return Ok((Base::Source(source), roles));
            }
            (None, None) => {
                return Err(CredentialsError::new(format!(
                    "profile `{current}` has `role_arn` but neither `source_profile` nor `credential_source`"
                )))
            }
        }
    }
}

/// The credentials of the selected profile `name`, which assumes a role.
pub(super) async fn load(
    set: &ProfileSet,
    name: &str,
    context: &Context<'_>,
) -> Result<Credentials, CredentialsError> {
    let (base, roles) = walk(set, name)?;
    let mut credentials = match base {
        Base::Profile(profile) => static_or_process(profile, context.process_timeout)
            .await
            .map_err(|e| CredentialsError::new(e.message().to_owned()))?,
        #[cfg(feature = "sso-credentials")]
        Base::Sso(profile) => {
            super::sso::load(set, profile, context.env, context.fs, context.sso).await?
        }
        Base::Source(source) => from_source(source, context).await?,
        Base::WebIdentity(token_file, role) => {
            let token = sts::read_token(context.fs, token_file)?;
            sts::assume_role_with_web_identity(context.sts, context.env, context.fs, token, &role)
                .await?
        }
    };
    for role in roles.iter().rev() {
        credentials =
            sts::assume_role(context.sts, context.env, context.fs, credentials, role).await?;
    }
    Ok(credentials)
}

/// The credentials of a `credential_source`. Nothing found there is an
/// error, not "not loaded": the profile asked for that source.
async fn from_source(source: &str, context: &Context<'_>) -> Result<Credentials, CredentialsError> {
    let result = match source {
        "Environment" => {
            EnvironmentCredentials::with_env(context.env.clone())
                .provide_credentials()
                .await
        }
        #[cfg(not(feature = "imds-credentials"))]
        "Ec2InstanceMetadata" => Err(super::not_compiled_in(
            "credential_source `Ec2InstanceMetadata`",
            "imds-credentials",
            true,
        )),
        #[cfg(feature = "imds-credentials")]
        "Ec2InstanceMetadata" => {
            let mut imds = ImdsCredentials::new().with_env(context.env.clone());
            if let Some(client) = context.http_client {
                imds = imds.with_http_client(client.clone());
            }
            imds.provide_credentials().await
        }
        #[cfg(not(feature = "container-credentials"))]
        "EcsContainer" => Err(super::not_compiled_in(
            "credential_source `EcsContainer`",
            "container-credentials",
            true,
        )),
        #[cfg(feature = "container-credentials")]
        "EcsContainer" => {
            let mut container = ContainerCredentials::new()
                .with_env(context.env.clone())
                .with_fs(context.fs.clone());
            if let Some(client) = context.http_client {
                container = container.with_http_client(client.clone());
            }
            container.provide_credentials().await
        }
        other => {
            return Err(CredentialsError::new(format!(
                "unknown credential_source `{other}`; expected Environment, Ec2InstanceMetadata or EcsContainer"
            )))
        }
    };
    result.map_err(|e| {
        CredentialsError::new(format!("credential_source `{source}`: {}", e.message()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{ProfileCredentials, WebIdentityCredentials};
    use crate::{Config, HttpClient, HttpClientFuture};
    use bytes::Bytes;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    /// STS on a test double: records each request and answers the n-th
    /// with the credentials `ASIA{n}` / `secret{n}` / `token{n}`, or with
    /// `error` when set.
    #[derive(Debug, Clone, Default)]
    struct Sts {
        requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
        error: Option<&'static str>,
    }

    impl Sts {
        fn bodies(&self) -> Vec<String> {
            self.requests
                .lock()
                .unwrap()
                .iter()
                .map(|r| String::from_utf8(r.body().to_vec()).unwrap())
                .collect()
        }

        fn authorizations(&self) -> Vec<Option<String>> {
            self.requests
                .lock()
                .unwrap()
                .iter()
                .map(|r| {
                    r.headers()
                        .get("authorization")
                        .map(|v| v.to_str().unwrap().to_owned())
                })
                .collect()
        }
    }

    impl HttpClient for Sts {
        fn call(&self, request: http::Request<Bytes>) -> HttpClientFuture {
            let body = String::from_utf8_lossy(request.body()).into_owned();
            let mut requests = self.requests.lock().unwrap();
            requests.push(request);
            let n = requests.len();
            let response = match self.error {
                Some(code) => http::Response::builder()
                    .status(403)
                    .body(Bytes::from(format!(
                        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
                         <Message>Not authorized</Message></Error>\
                         <RequestId>req-1</RequestId></ErrorResponse>"
                    )))
                    .unwrap(),
                None => {
                    let action = if body.starts_with("Action=AssumeRoleWithWebIdentity&") {
                        "AssumeRoleWithWebIdentity"
                    } else {
                        "AssumeRole"
                    };
                    http::Response::new(Bytes::from(format!(
                        "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                         <{action}Result><Credentials><AccessKeyId>ASIA{n}</AccessKeyId>\
                         <SecretAccessKey>secret{n}</SecretAccessKey>\
                         <SessionToken>token{n}</SessionToken>\
                         <Expiration>2030-01-02T03:04:05Z</Expiration></Credentials>\
                         <AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId>\
                         <Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>\
                         </{action}Result></{action}Response>"
                    )))
                }
            };
            Box::pin(async move { Ok(response) })
        }
    }

    fn sts_config() -> Config {
        Config::builder()
            .region("eu-west-1")
            .retry_config(crate::RetryConfig::disabled())
            .build()
    }

    fn files(files: &[(&'static str, &'static str)]) -> Fs {
        let files: HashMap<std::path::PathBuf, &'static str> = files
            .iter()
            .map(|(path, text)| (std::path::PathBuf::from(path), *text))
            .collect();
        Fs::from_fn(move |path| {
            files
                .get(path)
                .map(|text| text.as_bytes().to_vec())
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
        })
    }

    fn profile_provider(
        config: &'static str,
        vars: &[(&str, &str)],
        sts: &Sts,
    ) -> ProfileCredentials {
        let mut env: Vec<(String, String)> = vec![
            ("AWS_CONFIG_FILE".into(), "/aws/config".into()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".into(),
                "/aws/credentials".into(),
            ),
        ];
        env.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        ProfileCredentials::new()
            .with_env(Env::from_pairs(env))
            .with_fs(files(&[("/aws/config", config)]))
            .with_sts_config(sts_config())
            .with_http_client(sts.clone())
    }

    fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(future)
    }

    const EXPIRY: u64 = 1_893_553_445; // 2030-01-02T03:04:05Z

    #[test]
    fn web_identity_from_the_environment_posts_the_token_unsigned() {
        let sts = Sts::default();
        let provider = WebIdentityCredentials::new()
            .with_env(Env::from_pairs([
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/token"),
                ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
                ("AWS_ROLE_SESSION_NAME", "my session"),
            ]))
            .with_fs(files(&[("/var/token", "eyJ.token.sig\n")]))
            .with_sts_config(sts_config())
            .with_http_client(sts.clone());
        let credentials = block_on(provider.provide_credentials()).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIA1");
        assert_eq!(credentials.secret_access_key(), "secret1");
        assert_eq!(credentials.session_token(), Some("token1"));
        assert_eq!(
            credentials.expiry(),
            Some(std::time::UNIX_EPOCH + Duration::from_secs(EXPIRY))
        );
        assert_eq!(
            sts.bodies(),
            ["Action=AssumeRoleWithWebIdentity&Version=2011-06-15\
              &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb\
              &RoleSessionName=my%20session&WebIdentityToken=eyJ.token.sig"]
        );
        assert_eq!(sts.authorizations(), [None]);
        let request = &sts.requests.lock().unwrap()[0];
        assert_eq!(request.uri(), "https://sts.eu-west-1.amazonaws.com/");
        assert_eq!(request.method(), http::Method::POST);
    }

    #[test]
    fn web_identity_needs_its_file_variable_and_a_role() {
        let sts = Sts::default();
        let provider = |vars: Vec<(&'static str, &'static str)>| {
            WebIdentityCredentials::new()
                .with_env(Env::from_pairs(vars))
                .with_fs(files(&[]))
                .with_sts_config(sts_config())
                .with_http_client(sts.clone())
        };
        let error = block_on(provider(vec![]).provide_credentials()).unwrap_err();
        assert!(error.is_not_loaded(), "{error}");
        let error =
            block_on(provider(vec![("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")]).provide_credentials())
                .unwrap_err();
        assert!(!error.is_not_loaded());
        assert!(error.to_string().contains("AWS_ROLE_ARN"), "{error}");
        let error = block_on(
            provider(vec![
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/missing"),
                ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r"),
            ])
            .provide_credentials(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("/missing"), "{error}");
        assert!(sts.bodies().is_empty());
    }

    #[test]
    fn source_profile_chains_assume_each_role_with_the_previous_credentials() {
        let sts = Sts::default();
        let provider = profile_provider(
            "[profile top]\nrole_arn = arn:aws:iam::111111111111:role/top\nsource_profile = middle\n\
             role_session_name = top-session\nexternal_id = ext-1\nduration_seconds = 900\n\
             [profile middle]\nrole_arn = arn:aws:iam::222222222222:role/middle\nsource_profile = base\n\
             role_session_name = middle-session\n\
             [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
            &[("AWS_PROFILE", "top")],
            &sts,
        );
        let credentials = block_on(provider.provide_credentials()).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIA2");
        assert_eq!(
            sts.bodies(),
            [
                "Action=AssumeRole&Version=2011-06-15\
                 &RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fmiddle\
                 &RoleSessionName=middle-session",
                // Members in the model's order (alphabetical in sts.json).
                "Action=AssumeRole&Version=2011-06-15&DurationSeconds=900&ExternalId=ext-1\
                 &RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Ftop\
                 &RoleSessionName=top-session",
            ]
        );
        let authorizations = sts.authorizations();
        assert!(
            authorizations[0]
                .as_deref()
                .unwrap()
                .contains("Credential=AKIDBASE/"),
            "{authorizations:?}"
        );
        assert!(
            authorizations[1]
                .as_deref()
                .unwrap()
                .contains("Credential=ASIA1/"),
            "{authorizations:?}"
        );
        assert_eq!(
            sts.requests.lock().unwrap()[1].headers()["x-amz-security-token"],
            "token1"
        );
    }

    #[test]
    fn a_source_profile_loop_is_an_error_naming_the_path() {
        let sts = Sts::default();
        let provider = profile_provider(
            "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
             [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n",
            &[("AWS_PROFILE", "a")],
            &sts,
        );
        let error = block_on(provider.provide_credentials()).unwrap_err();
        assert!(!error.is_not_loaded());
        assert!(error.to_string().contains("a -> b -> a"), "{error}");
        assert!(sts.bodies().is_empty());
    }

    #[test]
    fn a_profile_that_is_its_own_source_uses_its_keys() {
        let sts = Sts::default();
        let provider = profile_provider(
            "[profile me]\nrole_arn = arn:aws:iam::1:role/me\nsource_profile = me\n\
             aws_access_key_id = AKIDME\naws_secret_access_key = me-secret\n",
            &[("AWS_PROFILE", "me")],
            &sts,
        );
        let credentials = block_on(provider.provide_credentials()).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIA1");
        assert!(sts.authorizations()[0]
            .as_deref()
            .unwrap()
            .contains("Credential=AKIDME/"));
    }

    #[test]
    fn credential_source_environment_signs_with_the_environment_keys() {
        let sts = Sts::default();
        let provider = profile_provider(
            "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n",
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ],
            &sts,
        );
        let credentials = block_on(provider.provide_credentials()).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIA1");
        assert!(sts.authorizations()[0]
            .as_deref()
            .unwrap()
            .contains("Credential=AKIDENV/"));
    }

    #[test]
    fn misconfigured_role_profiles_are_errors_naming_the_profile() {
        for (config, expected) in [
            (
                "[default]\nrole_arn = arn:aws:iam::1:role/r\n",
                "neither `source_profile` nor `credential_source`",
            ),
            (
                "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = nowhere\n",
                "source_profile `nowhere`, which does not exist",
            ),
            (
                "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Elsewhere\n",
                "unknown credential_source `Elsewhere`",
            ),
            (
                "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = b\ncredential_source = Environment\n",
                "sets both",
            ),
            (
                "[default]\nsource_profile = b\n",
                "profile `default` has no `role_arn`",
            ),
            (
                "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = b\n[profile b]\nsso_session = corp\n",
                if cfg!(feature = "sso-credentials") {
                    "profile `b` names sso_session `corp`, but the config file has no [sso-session corp]"
                } else {
                    "`sso_session`, which opgen does not support"
                },
            ),
        ] {
            let sts = Sts::default();
            let error = block_on(profile_provider(config, &[], &sts).provide_credentials())
                .unwrap_err();
            assert!(!error.is_not_loaded(), "{error}");
            assert!(error.to_string().contains(expected), "{config}: {error}");
            assert!(sts.bodies().is_empty());
        }
    }

    #[test]
    fn a_refusal_of_sts_names_the_role_and_the_code_but_no_secret() {
        let sts = Sts {
            error: Some("AccessDenied"),
            ..Sts::default()
        };
        let provider = profile_provider(
            "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n\
             [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
            &[],
            &sts,
        );
        let error = block_on(provider.provide_credentials()).unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("AssumeRole of `arn:aws:iam::1:role/r`"),
            "{text}"
        );
        assert!(text.contains("AccessDenied"), "{text}");
        assert!(!text.contains("base-secret"), "{text}");
    }

    #[test]
    fn the_default_chain_tries_web_identity_after_the_profiles() {
        let sts = Sts::default();
        let env = Env::from_pairs([
            ("AWS_CONFIG_FILE", "/aws/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/aws/credentials"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
            ("AWS_REGION", "ap-south-1"),
            ("AWS_ENDPOINT_URL_STS", "https://sts.test.example"),
        ]);
        let chain = crate::credentials::DefaultCredentialsChain::from_env_with(
            env,
            files(&[("/var/token", "tok")]),
        )
        .with_http_client(sts.clone());
        let credentials = block_on(chain.provide_credentials()).unwrap();
        assert_eq!(credentials.access_key_id(), "ASIA1");
        let requests = sts.requests.lock().unwrap();
        assert_eq!(requests[0].uri(), "https://sts.test.example/");
        assert!(String::from_utf8_lossy(requests[0].body()).contains("RoleSessionName=opgen-"));
    }
}
