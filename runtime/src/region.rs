//! The region to call, from the environment or the profile files.
//!
//! ```no_run
//! let region = opgen::region::default_region();
//! println!("{}", region.as_deref().unwrap_or("no region configured"));
//! ```

use crate::profile::{Env, Fs, ProfileSet};

/// The region from the process environment and the real profile files;
/// see [`default_region_with`].
pub fn default_region() -> Option<String> {
    default_region_with(&Env::real(), &Fs::real())
}

/// The region as the AWS SDKs find it: `AWS_REGION`, else
/// `AWS_DEFAULT_REGION`, else the `region` of the selected profile
/// (`AWS_PROFILE`, else `default`) in the profile files (see
/// [`crate::profile`]; as in the AWS SDK for Rust, a `region` in the
/// credentials file counts too, and beats the config file's). Blank values
/// count as unset. The files are read only when neither variable is set.
pub fn default_region_with(env: &Env, fs: &Fs) -> Option<String> {
    env.get_non_empty("AWS_REGION")
        .or_else(|| env.get_non_empty("AWS_DEFAULT_REGION"))
        .or_else(|| {
            let profiles = ProfileSet::load(env, fs);
            let region = profiles.selected()?.get("region")?.trim();
            (!region.is_empty()).then(|| region.to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::path::Path;

    fn fs_with_config(config: &'static str) -> Fs {
        Fs::from_fn(move |path: &Path| {
            if path == Path::new("/home/u/.aws/config") {
                Ok(config.as_bytes().to_vec())
            } else {
                Err(io::Error::from(io::ErrorKind::NotFound))
            }
        })
    }

    #[test]
    fn variables_before_profile() {
        let fs = fs_with_config(
            "[default]\nregion = from-profile\n[profile dev]\nregion = dev-region\n",
        );
        let env = |pairs: &[(&str, &str)]| {
            let mut all = vec![("HOME", "/home/u"), ("USERPROFILE", "/home/u")];
            all.extend_from_slice(pairs);
            Env::from_pairs(all)
        };
        let both = env(&[("AWS_REGION", "a"), ("AWS_DEFAULT_REGION", "b")]);
        assert_eq!(default_region_with(&both, &fs).as_deref(), Some("a"));
        let default_only = env(&[("AWS_REGION", " "), ("AWS_DEFAULT_REGION", "b")]);
        assert_eq!(
            default_region_with(&default_only, &fs).as_deref(),
            Some("b")
        );
        assert_eq!(
            default_region_with(&env(&[]), &fs).as_deref(),
            Some("from-profile")
        );
        let dev = env(&[("AWS_PROFILE", "dev")]);
        assert_eq!(
            default_region_with(&dev, &fs).as_deref(),
            Some("dev-region")
        );
        let missing = env(&[("AWS_PROFILE", "nope")]);
        assert_eq!(default_region_with(&missing, &fs), None);
    }
}
