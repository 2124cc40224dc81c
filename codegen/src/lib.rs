//! Smithy shape graph to Rust tokens. (Being written.)
