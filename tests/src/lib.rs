//! Test crate of opgen: see tests/.
