//! The endpoint rule sets of `../shared` (the rules-engine suite and every
//! model that has one), each compiled by `opgen::__private::endpoint_resolver!`
//! as `include_operation!` compiles a service's rules. The test
//! (`tests/compiled.rs`) holds each against the runtime's interpreter.
#![allow(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/rule_sets.rs"));
