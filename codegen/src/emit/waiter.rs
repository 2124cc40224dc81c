//! `wait_until_<name>` on the operation type of a `smithy.waiters#waitable`
//! operation, one per waiter: its acceptors, and the plain function that
//! matches them against a call's result (the translated JMESPath), handed
//! to the runtime's `Waiter`.

use crate::ir::{AcceptorIr, AcceptorState, Comparator, MatcherIr, OperationIr, WaiterIr};
use crate::jmespath;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) fn emit_waiters(op: &OperationIr) -> TokenStream {
    if op.waiters.is_empty() {
        return TokenStream::new();
    }
    let name = &op.ident;
    let waiters = op.waiters.iter().map(|w| emit_waiter(op, w));
    quote! {
        impl #name {
            #(#waiters)*
        }
    }
}

fn emit_waiter(op: &OperationIr, waiter: &WaiterIr) -> TokenStream {
    let fn_ident = &waiter.fn_ident;
    let matcher_ident = format_ident!(
        "__{}_acceptor",
        fn_ident.to_string().trim_start_matches("r#")
    );
    let waiter_name = &waiter.name;
    let (min, max) = (waiter.min_delay, waiter.max_delay);
    let acceptors = waiter.acceptors.iter().enumerate().map(|(i, a)| {
        let state = match a.state {
            AcceptorState::Success => quote!(Success),
            AcceptorState::Failure => quote!(Failure),
            AcceptorState::Retry => quote!(Retry),
        };
        let description = &a.description;
        quote!(::opgen::Acceptor::new(#waiter_name, #i, ::opgen::AcceptorState::#state, #description))
    });
    let checks = waiter.acceptors.iter().enumerate().map(|(i, a)| {
        let matches = matcher(a);
        quote! {
            if #matches {
                return ::core::option::Option::Some(#i);
            }
        }
    });
    let docs = docs(op, waiter);
    quote! {
        #docs
        pub async fn #fn_ident(
            client: &::opgen::Client,
            input: <Self as ::opgen::Operation>::Input,
            max_wait: ::core::time::Duration,
        ) -> ::core::result::Result<::opgen::WaiterSuccess<Self>, ::opgen::WaiterError<Self>> {
            const ACCEPTORS: &[::opgen::Acceptor] = &[#(#acceptors),*];
            ::opgen::Waiter::<Self>::new(ACCEPTORS, Self::#matcher_ident, #min, #max)
                .wait(client, input, max_wait)
                .await
        }

        fn #matcher_ident(
            input: &<Self as ::opgen::Operation>::Input,
            result: &::core::result::Result<
                <Self as ::opgen::Operation>::Output,
                ::opgen::Error<<Self as ::opgen::Operation>::Error>,
            >,
        ) -> ::core::option::Option<usize> {
            let _ = input;
            #(#checks)*
            ::core::option::Option::None
        }
    }
}

/// Whether the acceptor `a` matches `result` (and `input`).
fn matcher(a: &AcceptorIr) -> TokenStream {
    match &a.matcher {
        MatcherIr::Success(true) => quote!(result.is_ok()),
        MatcherIr::Success(false) => quote!(result.is_err()),
        MatcherIr::ErrorType(codes) => {
            let codes = codes.iter().map(|c| quote!(code == #c));
            quote! {
                result
                    .as_ref()
                    .err()
                    .and_then(|e| e.as_service_error())
                    .and_then(|e| ::opgen::ProvideErrorMetadata::meta(e).code())
                    .is_some_and(|code| #(#codes)||*)
            }
        }
        MatcherIr::Path {
            path,
            comparator,
            expected,
            input,
            ..
        } => {
            let value = jmespath::to_tokens(path);
            let compare = match comparator {
                Comparator::StringEquals => {
                    quote!(#value == ::core::option::Option::Some(#expected))
                }
                Comparator::BooleanEquals => {
                    let expected = expected == "true";
                    quote!(#value == ::core::option::Option::Some(#expected))
                }
                Comparator::AllStringEquals => {
                    quote!(#value.is_some_and(|l| !l.is_empty() && l.iter().all(|s| *s == #expected)))
                }
                Comparator::AnyStringEquals => {
                    quote!(#value.is_some_and(|l| l.iter().any(|s| *s == #expected)))
                }
            };
            // An `inputOutput` path starts at `input` or `output`; an
            // `output` path at the output.
            let scope = if *input {
                TokenStream::new()
            } else {
                quote!(let cur = ::core::option::Option::Some(output);)
            };
            quote! {
                result.as_ref().is_ok_and(|output| {
                    #scope
                    #compare
                })
            }
        }
    }
}

fn docs(op: &OperationIr, waiter: &WaiterIr) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    if let Some(docs) = &waiter.docs {
        lines.extend(
            crate::docs::html_to_text(docs)
                .lines()
                .map(|l| format!(" {l}")),
        );
        lines.push(String::new());
    }
    lines.push(format!(
        " The `{}` waiter: calls `{}` with `input` until an acceptor ends the wait or `max_wait` runs out. Its acceptors, tried in order after each call:",
        waiter.name, op.name
    ));
    lines.push(String::new());
    for a in &waiter.acceptors {
        let state = match a.state {
            AcceptorState::Success => "success",
            AcceptorState::Failure => "failure",
            AcceptorState::Retry => "retry",
        };
        lines.push(format!(" - {state} on {}", a.description));
    }
    lines.push(String::new());
    lines.push(format!(
        " A call error that no acceptor matches ends the wait with [`WaiterError::Operation`](::opgen::WaiterError::Operation). Between calls the waiter sleeps between {} s and {} s (jittered exponential backoff); see [`Waiter::wait`](::opgen::Waiter::wait).",
        waiter.min_delay, waiter.max_delay
    ));
    quote!(#(#[doc = #lines])*)
}
