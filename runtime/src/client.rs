//! The client that sends generated operations. (Being written.)

/// Sends generated operations.
#[derive(Debug, Clone)]
pub struct Client {
    _config: Config,
}

/// Client configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {}

/// Builds a [`Config`].
#[derive(Debug, Clone, Default)]
pub struct ConfigBuilder {}
