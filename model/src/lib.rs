//! Smithy model. (Being written.)
