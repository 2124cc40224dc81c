//! The restJson1 conformance cases of `../shared/conformance`, each generated
//! by opgen-codegen at build time into a module of its own (see `build.rs`);
//! `tests/restjson1.rs` runs them.

/// A request case: `run(params, endpoint)` builds the input from the case's
/// values (in wire form) and serializes it; `Err` holds why the case's model
/// could not be generated.
pub struct InputCase {
    /// The case id.
    pub id: &'static str,
    /// The generated runner, or the generation error.
    pub run: Result<InputRun, &'static str>,
}

/// Builds and serializes a case's input.
pub type InputRun =
    fn(
        &serde_json::Value,
        &str,
    ) -> Result<opgen::__private::http::Request<opgen::__private::bytes::Bytes>, String>;

/// A response case: `run(response, expected, error_shape)` deserializes the
/// response and compares it with the expected output or error (values in wire
/// form); it returns the error metadata when the response was an error.
pub struct OutputCase {
    /// The case id.
    pub id: &'static str,
    /// The generated runner, or the generation error.
    pub run: Result<OutputRun, &'static str>,
}

/// Deserializes a case's response and compares it with the expectation.
pub type OutputRun = fn(
    opgen::__private::http::Response<opgen::__private::bytes::Bytes>,
    &serde_json::Value,
    Option<&str>,
) -> Result<Option<opgen::ErrorMetadata>, String>;

/// Equal by `PartialEq`, or by `Debug` text (NaN is not equal to itself).
fn same<T: PartialEq + std::fmt::Debug>(actual: &T, expected: &T) -> Result<(), String> {
    if actual == expected || format!("{actual:?}") == format!("{expected:?}") {
        Ok(())
    } else {
        Err(format!("got      {actual:?}\nexpected {expected:?}"))
    }
}

include!(concat!(env!("OUT_DIR"), "/cases.rs"));
