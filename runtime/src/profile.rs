//! The shared AWS configuration files, `~/.aws/config` and
//! `~/.aws/credentials`, and the environment lookups that locate them.
//!
//! Both files use the INI dialect AWS documents: `[default]` and
//! `[profile name]` sections in the config file, `[default]` and `[name]` in
//! the credentials file, `key = value` properties, `#` and `;` comments.
//! When both files define a property for one profile, the credentials file
//! wins. Nested sections (an empty `key =` followed by indented lines) are
//! skipped.
//!
//! ```
//! use opgen::profile::ProfileSet;
//!
//! let profiles = ProfileSet::parse(
//!     "[default]\nregion = eu-west-1\n",
//!     "[default]\naws_access_key_id = AKID\n",
//!     "default",
//! );
//! let default = profiles.selected().unwrap();
//! assert_eq!(default.get("region"), Some("eu-west-1"));
//! assert_eq!(default.get("aws_access_key_id"), Some("AKID"));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

type EnvLookup = dyn Fn(&str) -> Option<String> + Send + Sync;
type FileRead = dyn Fn(&Path) -> io::Result<Vec<u8>> + Send + Sync;

/// Where environment variables are read from: the process environment, or
/// a function (so tests never have to change the process environment).
///
/// `Debug` shows no values, since variables may hold secrets.
#[derive(Clone)]
pub struct Env(Option<Arc<EnvLookup>>);

impl Env {
    /// The process environment, read at each lookup.
    pub fn real() -> Env {
        Env(None)
    }

    /// Variables looked up through `get`.
    pub fn from_fn(get: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Env {
        Env(Some(Arc::new(get)))
    }

    /// Exactly the variables in `pairs`, nothing from the process.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Env
    where
        K: Into<String>,
        V: Into<String>,
    {
        let map: BTreeMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env::from_fn(move |name| map.get(name).cloned())
    }

    /// The value of `name`, if it is set and valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.0 {
            None => std::env::var(name).ok(),
            Some(get) => get(name),
        }
    }

    /// The value of `name` trimmed, or `None` when it is unset or blank.
    pub(crate) fn get_non_empty(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    }
}

impl Default for Env {
    fn default() -> Self {
        Env::real()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            None => "Env(process)",
            Some(_) => "Env(custom)",
        })
    }
}

/// How files are read: the real file system, or a function (for tests).
#[derive(Clone)]
pub struct Fs(Option<Arc<FileRead>>);

impl Fs {
    /// The real file system.
    pub fn real() -> Fs {
        Fs(None)
    }

    /// Files read through `read`; return an error of kind
    /// [`io::ErrorKind::NotFound`] for a file that does not exist.
    pub fn from_fn(read: impl Fn(&Path) -> io::Result<Vec<u8>> + Send + Sync + 'static) -> Fs {
        Fs(Some(Arc::new(read)))
    }

    /// The whole content of the file at `path`.
    pub fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match &self.0 {
            None => std::fs::read(path),
            Some(read) => read(path),
        }
    }
}

impl Default for Fs {
    fn default() -> Self {
        Fs::real()
    }
}

impl fmt::Debug for Fs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            None => "Fs(real)",
            Some(_) => "Fs(custom)",
        })
    }
}

/// The user's home directory: `HOME`, or on Windows `USERPROFILE` (then
/// `HOME`, then `HOMEDRIVE` + `HOMEPATH`).
pub fn home_dir(env: &Env) -> Option<PathBuf> {
    if cfg!(windows) {
        env.get_non_empty("USERPROFILE")
            .or_else(|| env.get_non_empty("HOME"))
            .or_else(|| Some(env.get_non_empty("HOMEDRIVE")? + &env.get_non_empty("HOMEPATH")?))
            .map(PathBuf::from)
    } else {
        env.get_non_empty("HOME").map(PathBuf::from)
    }
}

/// The config file: `AWS_CONFIG_FILE`, else `~/.aws/config`. A leading
/// `~` is the home directory. `None` when no home directory is known.
pub fn config_file_path(env: &Env) -> Option<PathBuf> {
    file_path(env, "AWS_CONFIG_FILE", "config")
}

/// The credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else
/// `~/.aws/credentials`. A leading `~` is the home directory.
pub fn credentials_file_path(env: &Env) -> Option<PathBuf> {
    file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

fn file_path(env: &Env, variable: &str, default_name: &str) -> Option<PathBuf> {
    match env.get_non_empty(variable) {
        Some(path) => expand_home(env, &path),
        None => Some(home_dir(env)?.join(".aws").join(default_name)),
    }
}

fn expand_home(env: &Env, path: &str) -> Option<PathBuf> {
    let rest = if path == "~" {
        ""
    } else if let Some(rest) = path
        .strip_prefix("~/")
        .or_else(|| path.strip_prefix("~\\").filter(|_| cfg!(windows)))
    {
        rest
    } else {
        return Some(PathBuf::from(path));
    };
    Some(home_dir(env)?.join(rest))
}

/// The profile to use: `AWS_PROFILE`, else `default`.
pub fn selected_profile_name(env: &Env) -> String {
    env.get_non_empty("AWS_PROFILE")
        .unwrap_or_else(|| DEFAULT.to_owned())
}

const DEFAULT: &str = "default";

/// One profile: its name and its properties, keys in lowercase.
///
/// `Debug` lists the property names only, since values may be secrets.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
}

impl Profile {
    /// The profile's name (`default`, or `name` of `[profile name]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of property `key` (matched case-insensitively).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The property names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("keys", &self.properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The profiles of both files merged, and which one is selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    /// `[sso-session name]` sections of the config file, by name.
    sso_sessions: BTreeMap<String, Profile>,
    selected: String,
    files: Vec<PathBuf>,
}

impl ProfileSet {
    /// Reads both files as located by `env` (see [`config_file_path`],
    /// [`credentials_file_path`]) and selects [`selected_profile_name`].
    ///
    /// A file that is missing or unreadable counts as empty, as in the AWS
    /// SDKs; [`ProfileSet::files`] says which ones were read.
    pub fn load(env: &Env, fs: &Fs) -> ProfileSet {
        let mut set = ProfileSet {
            selected: selected_profile_name(env),
            ..ProfileSet::default()
        };
        let sources = [
            (config_file_path(env), FileKind::Config),
            (credentials_file_path(env), FileKind::Credentials),
        ];
        for (path, kind) in sources {
            let Some(path) = path else { continue };
            if let Ok(bytes) = fs.read(&path) {
                set.merge(&String::from_utf8_lossy(&bytes), kind);
                set.files.push(path);
            }
        }
        set
    }

    /// The profiles of a config file and a credentials file given as text
    /// (no I/O), with `selected` as the selected profile.
    pub fn parse(config: &str, credentials: &str, selected: &str) -> ProfileSet {
        let mut set = ProfileSet {
            selected: selected.to_owned(),
            ..ProfileSet::default()
        };
        set.merge(config, FileKind::Config);
        set.merge(credentials, FileKind::Credentials);
        set
    }

    /// The name of the selected profile.
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// The selected profile, if either file defines it.
    pub fn selected(&self) -> Option<&Profile> {
        self.get(&self.selected)
    }

    /// The profile named `name`.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The `[sso-session name]` section of the config file named `name`
    /// (its properties: `sso_start_url`, `sso_region`…).
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// The names of every profile, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// The files that were read, config file first.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    fn merge(&mut self, text: &str, kind: FileKind) {
        let sections = parse_sections(text);
        // In the config file `[profile default]` beats `[default]`, as in the
        // AWS SDKs, whatever their order.
        let has_prefixed_default = kind == FileKind::Config
            && sections
                .iter()
                .any(|(header, _)| profile_name(header, kind) == Some((DEFAULT, true)));
        for (header, properties) in sections {
            if let Some(name) = sso_session_name(&header, kind) {
                merge_into(&mut self.sso_sessions, name, properties);
                continue;
            }
            let Some((name, prefixed)) = profile_name(&header, kind) else {
                continue;
            };
            if name == DEFAULT && !prefixed && has_prefixed_default {
                continue;
            }
            merge_into(&mut self.profiles, name, properties);
        }
    }
}

/// Adds `properties` to the section `name` of `sections`, later values
/// winning.
fn merge_into(
    sections: &mut BTreeMap<String, Profile>,
    name: &str,
    properties: Vec<(String, String)>,
) {
    let section = sections.entry(name.to_owned()).or_insert_with(|| Profile {
        name: name.to_owned(),
        properties: BTreeMap::new(),
    });
    section.properties.extend(properties);
}

/// The name of an `[sso-session name]` header of the config file.
fn sso_session_name(header: &str, kind: FileKind) -> Option<&str> {
    let (prefix, name) = header.trim().split_once([' ', '\t'])?;
    let name = name.trim();
    (kind == FileKind::Config && prefix == "sso-session" && !name.is_empty()).then_some(name)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Config,
    Credentials,
}

/// The profile a section header names, and whether it had the `profile`
/// prefix; `None` for other sections (`sso-session`, `services`, invalid
/// names, unprefixed names in the config file).
fn profile_name(header: &str, kind: FileKind) -> Option<(&str, bool)> {
    let header = header.trim();
    let (name, prefixed) = match header.split_once([' ', '\t']) {
        Some((prefix, name)) => {
            if kind == FileKind::Credentials || prefix != "profile" {
                return None;
            }
            (name.trim(), true)
        }
        None => {
            if kind == FileKind::Config && header != DEFAULT {
                return None;
            }
            (header, false)
        }
    };
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c));
    valid.then_some((name, prefixed))
}

/// Sections in file order, each with its properties; a header seen twice
/// gives two entries, merged later in order.
fn parse_sections(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    // Whether indented lines continue the last property's value; after an
    // empty `key =` they are a nested section, which is skipped.
    let mut continues_value = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if continues_value {
                if let Some((_, value)) = sections
                    .last_mut()
                    .and_then(|(_, properties)| properties.last_mut())
                {
                    value.push('\n');
                    value.push_str(strip_comment(trimmed, true));
                }
            }
            continue;
        }
        continues_value = false;
        if let Some(rest) = trimmed.strip_prefix('[') {
            // Anything after `]` may only be a comment.
            if let Some(header) = strip_comment(rest, false).strip_suffix(']') {
                sections.push((header.to_owned(), Vec::new()));
            } else {
                // A malformed header must not let its properties land in
                // the previous profile.
                sections.push((String::new(), Vec::new()));
            }
            continue;
        }
        let Some((key, value)) = strip_comment(trimmed, true).split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key.is_empty() {
            continue;
        }
        if let Some((_, properties)) = sections.last_mut() {
            continues_value = !value.is_empty();
            properties.push((key, value.to_owned()));
        }
    }
    sections
}

/// `line` without a trailing `#`/`;` comment. In property values a comment
/// must follow whitespace, so that `key=a#b` keeps its `#`.
fn strip_comment(line: &str, needs_whitespace: bool) -> &str {
    let mut previous_whitespace = false;
    for (index, c) in line.char_indices() {
        if (c == '#' || c == ';') && (previous_whitespace || !needs_whitespace) {
            return line[..index].trim_end();
        }
        previous_whitespace = c.is_whitespace();
    }
    line.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_properties_and_comments() {
        let config = "\
# a comment
; another
[default]
region = us-west-2 # trailing comment
output=json;not-a-comment

[profile dev] ; comment after header
Region = eu-central-1
s3 =
  max_concurrent_requests = 20
  addressing_style = path
after_nested = yes
[sso-session corp]
sso_region = us-east-1
[not-prefixed]
region = ignored-1
";
        let set = ProfileSet::parse(config, "", "dev");
        let default = set.get("default").unwrap();
        assert_eq!(default.get("region"), Some("us-west-2"));
        assert_eq!(default.get("output"), Some("json;not-a-comment"));
        let dev = set.selected().unwrap();
        assert_eq!(dev.get("region"), Some("eu-central-1"));
        assert_eq!(dev.get("s3"), Some(""));
        assert_eq!(dev.get("max_concurrent_requests"), None);
        assert_eq!(dev.get("after_nested"), Some("yes"));
        assert_eq!(set.names().collect::<Vec<_>>(), ["default", "dev"]);
        let corp = set.sso_session("corp").unwrap();
        assert_eq!(corp.name(), "corp");
        assert_eq!(corp.get("sso_region"), Some("us-east-1"));
        assert!(set.sso_session("dev").is_none());
    }

    #[test]
    fn sso_sessions_come_from_the_config_file_only() {
        let set = ProfileSet::parse(
            "[sso-session a]\nsso_region = r1\n[sso-session a]\nsso_start_url = u\n",
            "[sso-session b]\nsso_region = r2\n",
            "default",
        );
        let a = set.sso_session("a").unwrap();
        assert_eq!(
            (a.get("sso_region"), a.get("sso_start_url")),
            (Some("r1"), Some("u"))
        );
        assert!(set.sso_session("b").is_none());
        assert!(set.get("a").is_none());
    }

    #[test]
    fn continuation_lines_extend_a_value() {
        let set = ProfileSet::parse("[default]\nkey = first\n  second\n", "", "default");
        assert_eq!(set.selected().unwrap().get("key"), Some("first\nsecond"));
    }

    #[test]
    fn credentials_file_overrides_config_and_uses_bare_names() {
        let config = "[profile dev]\naws_access_key_id = FROM_CONFIG\nregion = r1\n";
        let credentials = "[dev]\naws_access_key_id = FROM_CREDENTIALS\n[profile ignored]\nx = y\n";
        let set = ProfileSet::parse(config, credentials, "dev");
        let dev = set.selected().unwrap();
        assert_eq!(dev.get("aws_access_key_id"), Some("FROM_CREDENTIALS"));
        assert_eq!(dev.get("region"), Some("r1"));
        assert!(set.get("ignored").is_none());
    }

    #[test]
    fn prefixed_default_beats_plain_default_in_config() {
        let config = "[profile default]\nregion = a\n[default]\nregion = b\n";
        let set = ProfileSet::parse(config, "", "default");
        assert_eq!(set.selected().unwrap().get("region"), Some("a"));
    }

    #[test]
    fn malformed_lines_do_not_break_parsing() {
        let config = "orphan = 1\n  indented orphan\n[default\nx = 1\n[default]\nno equals sign\n= no key\nregion = ok\n";
        let set = ProfileSet::parse(config, "", "default");
        let default = set.selected().unwrap();
        assert_eq!(default.get("region"), Some("ok"));
        assert_eq!(default.get("x"), None);
        assert_eq!(default.get("orphan"), None);
    }

    #[test]
    fn debug_shows_no_values() {
        let set = ProfileSet::parse("", "[default]\naws_secret_access_key = s3cr3t\n", "default");
        let shown = format!("{set:?}");
        assert!(shown.contains("aws_secret_access_key"));
        assert!(!shown.contains("s3cr3t"));
    }

    #[test]
    fn paths_follow_the_environment() {
        let env = Env::from_pairs([("HOME", "/home/u"), ("USERPROFILE", "/home/u")]);
        assert_eq!(
            config_file_path(&env),
            Some(PathBuf::from("/home/u/.aws/config"))
        );
        assert_eq!(
            credentials_file_path(&env),
            Some(PathBuf::from("/home/u/.aws/credentials"))
        );
        let env = Env::from_pairs([
            ("HOME", "/home/u"),
            ("USERPROFILE", "/home/u"),
            ("AWS_CONFIG_FILE", "~/elsewhere/cfg"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/abs/creds"),
            ("AWS_PROFILE", " dev "),
        ]);
        assert_eq!(
            config_file_path(&env),
            Some(PathBuf::from("/home/u").join("elsewhere/cfg"))
        );
        assert_eq!(
            credentials_file_path(&env),
            Some(PathBuf::from("/abs/creds"))
        );
        assert_eq!(selected_profile_name(&env), "dev");
        assert_eq!(config_file_path(&Env::from_pairs::<&str, &str>([])), None);
    }
}
