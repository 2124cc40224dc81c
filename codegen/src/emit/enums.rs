//! Enums (string and int), each with an `Unknown` variant so that values
//! added to the model later are kept, not rejected.

use crate::docs::doc_attrs;
use crate::ir::{EnumIr, Ir};
use opgen_model::EnumValue;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub(crate) fn emit_enum(ir: &Ir, shape: &EnumIr) -> TokenStream {
    let name = &shape.ident;
    let docs = doc_attrs(
        shape.docs.as_deref(),
        &format!("The `{}` enum of the model.", shape.id.name()),
    );
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut decls = Vec::new();
    for v in &shape.values {
        let ident = &v.ident;
        let doc = doc_attrs(
            v.docs.as_deref(),
            &match &v.value {
                EnumValue::String(s) => format!("`{s}`"),
                EnumValue::Int(i) => format!("`{i}`"),
            },
        );
        decls.push(quote!(#doc #ident,));
        names.push(ident.clone());
        values.push(v.value.clone());
    }
    let serde = ir.serde.then(|| emit_enum_serde(name, shape.int));
    let body = if shape.int {
        emit_int_enum(name, &docs, &decls, &names, &values)
    } else {
        emit_string_enum(name, &docs, &decls, &names, &values)
    };
    quote!(#body #serde)
}

/// serde as the wire value (a string, or an integer for intEnums), so an
/// unknown value round-trips too.
fn emit_enum_serde(name: &Ident, is_int: bool) -> TokenStream {
    let (ser, de) = if is_int {
        (
            quote!(serializer.serialize_i32(self.as_i32())),
            quote!(<i32 as ::opgen::__private::serde::Deserialize>::deserialize(deserializer).map(#name::from)),
        )
    } else {
        (
            quote!(serializer.serialize_str(self.as_str())),
            quote!(<::std::string::String as ::opgen::__private::serde::Deserialize>::deserialize(deserializer).map(#name::from)),
        )
    };
    quote! {
        impl ::opgen::__private::serde::Serialize for #name {
            fn serialize<S: ::opgen::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #ser
            }
        }

        impl<'de> ::opgen::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::opgen::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #de
            }
        }
    }
}

fn emit_string_enum(
    name: &Ident,
    docs: &TokenStream,
    decls: &[TokenStream],
    names: &[Ident],
    values: &[EnumValue],
) -> TokenStream {
    let texts: Vec<String> = values
        .iter()
        .map(|v| match v {
            EnumValue::String(s) => s.clone(),
            EnumValue::Int(i) => i.to_string(),
        })
        .collect();
    quote! {
        #docs
        ///
        /// Values this version of the model does not know are kept in
        /// `Unknown`; match it with a wildcard so that new values added to the
        /// model keep your code compiling.
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::cmp::PartialOrd, ::core::cmp::Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A value this version of the model does not know, as received.
            Unknown(::std::string::String),
            /// Not a value: makes a wildcard arm necessary in user `match`es,
            /// so that values added to the model later break no build.
            #[doc(hidden)]
            __NonExhaustive(::opgen::__private::NonExhaustive),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#name::#names => #texts,)*
                    #name::Unknown(value) => value.as_str(),
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#texts),*]
            }
        }

        impl ::core::convert::From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#texts => #name::#names,)*
                    other => #name::Unknown(::std::string::String::from(other)),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for #name {
            #[inline]
            fn from(value: ::std::string::String) -> Self {
                #name::from(value.as_str())
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;
            #[inline]
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(#name::from(value))
            }
        }

        impl ::core::convert::AsRef<str> for #name {
            #[inline]
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn emit_int_enum(
    name: &Ident,
    docs: &TokenStream,
    decls: &[TokenStream],
    names: &[Ident],
    values: &[EnumValue],
) -> TokenStream {
    let numbers: Vec<i32> = values
        .iter()
        .map(|v| match v {
            EnumValue::Int(i) => i32::try_from(*i).unwrap_or(i32::MAX),
            EnumValue::String(_) => 0,
        })
        .collect();
    quote! {
        #docs
        ///
        /// Values this version of the model does not know are kept in
        /// `Unknown`; match it with a wildcard.
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::cmp::PartialOrd, ::core::cmp::Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A value this version of the model does not know, as received.
            Unknown(i32),
            /// Not a value: makes a wildcard arm necessary in user `match`es,
            /// so that values added to the model later break no build.
            #[doc(hidden)]
            __NonExhaustive(::opgen::__private::NonExhaustive),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(#name::#names => #numbers,)*
                    #name::Unknown(value) => *value,
                    #name::__NonExhaustive(never) => never.unreachable(),
                }
            }

            /// Every value the model defines, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#numbers),*]
            }
        }

        impl ::core::convert::From<i32> for #name {
            #[inline]
            fn from(value: i32) -> Self {
                match value {
                    #(#numbers => #name::#names,)*
                    other => #name::Unknown(other),
                }
            }
        }

        impl ::core::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.as_i32(), f)
            }
        }
    }
}
