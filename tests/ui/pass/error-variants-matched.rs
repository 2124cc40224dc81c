//! Each modeled error of `GetResourceOauth2Token` is a variant of
//! `GetResourceOauth2TokenError` carrying its struct; user code keeps a
//! wildcard arm so that errors added to the model later do not break it.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

use agentcore::{GetResourceOauth2Token, GetResourceOauth2TokenError};
use opgen::Operation;

/// Names the variant by matching every modeled error explicitly.
fn variant(error: &GetResourceOauth2TokenError) -> &'static str {
    match error {
        GetResourceOauth2TokenError::AccessDeniedException(e) => {
            assert_eq!(e.message(), Some("no"));
            "AccessDeniedException"
        }
        GetResourceOauth2TokenError::InternalServerException(_) => "InternalServerException",
        GetResourceOauth2TokenError::ResourceNotFoundException(_) => "ResourceNotFoundException",
        GetResourceOauth2TokenError::ThrottlingException(_) => "ThrottlingException",
        GetResourceOauth2TokenError::UnauthorizedException(_) => "UnauthorizedException",
        GetResourceOauth2TokenError::ValidationException(e) => {
            assert_eq!(e.message(), "no");
            "ValidationException"
        }
        GetResourceOauth2TokenError::Unhandled(_) => "Unhandled",
        // Errors added to the model later become new variants; the wildcard
        // keeps this code compiling then (and is required now).
        _ => "a newer error",
    }
}

fn main() {
    let codes = [
        ("AccessDeniedException", 403),
        ("InternalServerException", 500),
        ("ResourceNotFoundException", 404),
        ("ThrottlingException", 429),
        ("UnauthorizedException", 401),
        ("ValidationException", 400),
        ("SomethingNewException", 400),
    ];
    for (code, status) in codes {
        let response = http::Response::builder()
            .status(status)
            .header("x-amzn-errortype", code)
            .body(bytes::Bytes::from_static(
                br#"{"message":"no","reason":"CannotParse"}"#,
            ))
            .unwrap();
        let error = GetResourceOauth2Token::deserialize(response)
            .unwrap_err()
            .into_service_error();
        let expected = if code == "SomethingNewException" {
            "Unhandled"
        } else {
            code
        };
        assert_eq!(variant(&error), expected, "{error:?}");
        assert_eq!(error.code(), Some(code));
    }
}
