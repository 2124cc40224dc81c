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
use super::{
    ContainerCredentials, Credentials, CredentialsError, EnvironmentCredentials, ImdsCredentials,
    ProvideCredentials,
};
use crate::profile::{Env, Fs, Profile, ProfileSet};
use crate::SharedHttpClient;
use std::time::Duration;

/// What the walk needs besides the profiles.
pub(super) struct Context<'a> {
    pub(super) env: &'a Env,
    pub(super) fs: &'a Fs,
    pub(super) sts: &'a StsConfig,
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
        "Ec2InstanceMetadata" => {
            let mut imds = ImdsCredentials::new().with_env(context.env.clone());
            if let Some(client) = context.http_client {
                imds = imds.with_http_client(client.clone());
            }
            imds.provide_credentials().await
        }
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
