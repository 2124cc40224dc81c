//! Structures: the type, its getters, its builder, `Debug` with redaction,
//! and its JSON form.

use crate::context::Context;
use crate::docs::doc_attrs;
use crate::naming::{field_ident, prefixed_ident, type_ident};
use crate::types::{access, is_optional, list_item_type, map_value_type, rust_type, Access};
use opgen_model::{Member, Shape, ShapeKind, TimestampFormat};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

pub(crate) const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// One member as the emitters see it.
pub(crate) struct Field<'a> {
    pub(crate) member: &'a Member,
    pub(crate) ident: proc_macro2::Ident,
    pub(crate) ty: TokenStream,
    pub(crate) optional: bool,
    pub(crate) wire_name: String,
}

/// The fields of a structure, with members whose names collide reported.
pub(crate) fn fields<'a>(ctx: &Context, shape: &'a Shape) -> Vec<Field<'a>> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for member in &shape.members {
        let ident = field_ident(&member.name);
        let key = ident.to_string();
        if let Some(first) = seen.get(&key) {
            ctx.diagnostics.error(
                format!("{}${}", shape.id, member.name),
                format!(
                    "members `{first}` and `{}` both become the Rust name `{key}`; rename one in the model",
                    member.name
                ),
            );
            continue;
        }
        seen.insert(key.clone(), &member.name);
        if key == "__meta" {
            ctx.diagnostics.error(
                format!("{}${}", shape.id, member.name),
                "the member name `__meta` is reserved by opgen",
            );
        }
        out.push(Field {
            member,
            ty: rust_type(ctx, &member.target, Some(&shape.id)),
            optional: is_optional(ctx, shape, member),
            wire_name: member
                .traits
                .json_name()
                .unwrap_or(&member.name)
                .to_string(),
            ident,
        });
    }
    out
}

pub(crate) fn emit_structure(ctx: &Context, shape: &Shape) -> TokenStream {
    let name = type_ident(shape.id.name());
    let builder = format_ident!("{}Builder", name);
    let fields = fields(ctx, shape);
    let is_error = ctx.errors.contains(&shape.id) || shape.traits.error().is_some();
    let docs = doc_attrs(shape.traits.documentation(), &default_doc(ctx, shape));

    let serde = ctx.options.serde;
    let decls = fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = &f.ty;
        let name = &f.member.name;
        let attrs = match (serde, f.optional) {
            (false, _) => quote!(),
            // A stream can be read only once, so it has no serde form.
            (true, _) if ctx.is_byte_stream(&f.member.target) => quote!(#[serde(skip)]),
            (true, true) => quote! {
                #[serde(rename = #name, default, skip_serializing_if = "::core::option::Option::is_none")]
            },
            (true, false) => quote!(#[serde(rename = #name)]),
        };
        if f.optional {
            quote!(#attrs #ident: ::core::option::Option<#ty>,)
        } else {
            quote!(#attrs #ident: #ty,)
        }
    });
    let meta_decl = is_error.then(|| {
        let skip = serde.then(|| quote!(#[serde(skip)]));
        quote!(#skip __meta: ::opgen::ErrorMetadata,)
    });
    let serde_derive = serde_derive(ctx);
    let getters = fields.iter().map(|f| emit_getter(ctx, f));
    let debug = emit_debug(ctx, shape, &name, &fields, false);
    let value_derives = value_derives(ctx, &fields);
    let builder_def = emit_builder(ctx, shape, &name, &builder, &fields, is_error);
    // A structure holding a stream is only ever a whole HTTP message, never
    // a JSON value.
    let json =
        (!has_byte_stream(ctx, &fields)).then(|| emit_json(ctx, shape, &name, &fields, is_error));
    let error_impls = is_error.then(|| emit_error_impls(shape, &name, &fields));
    let builder_doc = format!(" Creates a builder for [`{name}`].");

    quote! {
        #docs
        #value_derives
        #serde_derive
        #[non_exhaustive]
        pub struct #name {
            #(#decls)*
            #meta_decl
        }

        impl #name {
            #(#getters)*

            #[doc = #builder_doc]
            pub fn builder() -> #builder {
                <#builder as ::core::default::Default>::default()
            }
        }

        #debug
        #builder_def
        #json
        #error_impls
    }
}

fn has_byte_stream(ctx: &Context, fields: &[Field]) -> bool {
    fields.iter().any(|f| ctx.is_byte_stream(&f.member.target))
}

/// `Clone` and `PartialEq`, which a structure holding a stream cannot have:
/// a stream is read once and compared never.
fn value_derives(ctx: &Context, fields: &[Field]) -> TokenStream {
    if has_byte_stream(ctx, fields) {
        TokenStream::new()
    } else {
        quote!(#[derive(::core::clone::Clone, ::core::cmp::PartialEq)])
    }
}

/// The serde derives and crate path, when the `serde` option is on. The
/// names are the model's member names; the wire format never uses these.
pub(crate) fn serde_derive(ctx: &Context) -> TokenStream {
    if ctx.options.serde {
        quote! {
            #[derive(::opgen::__private::serde::Serialize, ::opgen::__private::serde::Deserialize)]
            #[serde(crate = "::opgen::__private::serde")]
        }
    } else {
        TokenStream::new()
    }
}

fn default_doc(ctx: &Context, shape: &Shape) -> String {
    let op_of = |set: &std::collections::BTreeSet<opgen_model::ShapeId>,
                 which: fn(&Shape) -> Option<&opgen_model::ShapeId>| {
        ctx.operations.iter().find(|op| {
            set.contains(&shape.id) && ctx.graph.shape(op).and_then(which) == Some(&shape.id)
        })
    };
    if let Some(op) = op_of(&ctx.inputs, |s| s.input.as_ref()) {
        format!("Input of `{}`.", op.name())
    } else if let Some(op) = op_of(&ctx.outputs, |s| s.output.as_ref()) {
        format!("Output of `{}`.", op.name())
    } else {
        format!("The `{}` structure of the model.", shape.id.name())
    }
}

fn member_doc(member: &Member, fallback: &str) -> TokenStream {
    doc_attrs(member.traits.documentation(), fallback)
}

fn emit_getter(ctx: &Context, f: &Field) -> TokenStream {
    let ident = &f.ident;
    let ty = &f.ty;
    let docs = member_doc(f.member, &format!("The `{}` member.", f.member.name));
    let body = match (access(ctx, &f.member.target), f.optional) {
        (Access::Copy, true) => quote!(-> ::core::option::Option<#ty> { self.#ident }),
        (Access::Copy, false) => quote!(-> #ty { self.#ident }),
        (Access::Str, true) => quote!(-> ::core::option::Option<&str> { self.#ident.as_deref() }),
        (Access::Str, false) => quote!(-> &str { &self.#ident }),
        (Access::Slice, opt) => {
            let item = list_item_type(ctx, &f.member.target);
            let docs_note = " (empty when not set).";
            let _ = docs_note;
            if opt {
                quote!(-> &[#item] { self.#ident.as_deref().unwrap_or_default() })
            } else {
                quote!(-> &[#item] { &self.#ident })
            }
        }
        (Access::Ref, true) => quote!(-> ::core::option::Option<&#ty> { self.#ident.as_ref() }),
        (Access::Ref, false) => quote!(-> &#ty { &self.#ident }),
    };
    let take = ctx.is_byte_stream(&f.member.target).then(|| {
        let take = prefixed_ident("take", &f.member.name);
        let doc = format!(
            " Takes the `{}` stream out to read it, leaving an empty one.",
            f.member.name
        );
        if f.optional {
            quote! {
                #[doc = #doc]
                pub fn #take(&mut self) -> ::core::option::Option<#ty> {
                    self.#ident.take()
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                pub fn #take(&mut self) -> #ty {
                    ::core::mem::take(&mut self.#ident)
                }
            }
        }
    });
    quote! {
        #docs
        pub fn #ident(&self) #body

        #take
    }
}

/// `Debug` that prints every member, redacting sensitive ones (or the whole
/// value when the shape itself is sensitive).
pub(crate) fn emit_debug(
    ctx: &Context,
    shape: &Shape,
    name: &proc_macro2::Ident,
    fields: &[Field],
    builder: bool,
) -> TokenStream {
    let title = if builder {
        format!("{}Builder", name)
    } else {
        name.to_string()
    };
    let body = if shape.traits.sensitive() {
        quote!(f.write_str(#REDACTED))
    } else {
        let entries = fields.iter().map(|fl| {
            let ident = &fl.ident;
            let label = ident.to_string().trim_start_matches("r#").to_string();
            if ctx.is_sensitive(fl.member) {
                quote!(.field(#label, &#REDACTED))
            } else {
                quote!(.field(#label, &self.#ident))
            }
        });
        quote!(f.debug_struct(#title) #(#entries)* .finish())
    };
    let ty = if builder {
        let b = format_ident!("{}Builder", name);
        quote!(#b)
    } else {
        quote!(#name)
    };
    quote! {
        impl ::core::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #body
            }
        }
    }
}

fn emit_builder(
    ctx: &Context,
    shape: &Shape,
    name: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
    fields: &[Field],
    is_error: bool,
) -> TokenStream {
    let shape_name = shape.id.name();
    let decls = fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = &f.ty;
        quote!(#ident: ::core::option::Option<#ty>,)
    });
    let setters = fields.iter().map(|f| emit_setters(ctx, f));
    let assigns = fields.iter().map(|f| {
        let ident = &f.ident;
        let member_name = &f.member.name;
        let value = quote!(self.#ident);
        // An unset idempotency token is filled in when the request is
        // serialized, so it is never "missing".
        let required = f.member.traits.required() && !f.member.traits.idempotency_token();
        match (required, f.optional) {
            (true, true) => quote! {
                #ident: ::core::option::Option::Some(#value.ok_or_else(|| ::opgen::BuildError::missing_member(#shape_name, #member_name))?),
            },
            (true, false) | (false, false) => quote! {
                #ident: #value.ok_or_else(|| ::opgen::BuildError::missing_member(#shape_name, #member_name))?,
            },
            (false, true) => quote!(#ident: #value,),
        }
    });
    let meta_assign = is_error.then(|| quote!(__meta: ::core::default::Default::default(),));
    let debug = emit_debug(ctx, shape, name, fields, true);
    let doc = format!(" Builder of [`{name}`]: set members, then call `build`.");
    let has_required = fields
        .iter()
        .any(|f| f.member.traits.required() && !f.member.traits.idempotency_token());
    let build_doc = if has_required {
        format!(
            " Builds the [`{name}`]; fails with a [`BuildError`](::opgen::BuildError) naming the first required member not set."
        )
    } else {
        format!(" Builds the [`{name}`]. No member is required, so this does not fail today; the `Result` keeps callers compiling if the model adds one.")
    };
    let value_derives = value_derives(ctx, fields);
    quote! {
        #[doc = #doc]
        #value_derives
        #[derive(::core::default::Default)]
        pub struct #builder {
            #(#decls)*
        }

        impl #builder {
            #(#setters)*

            #[doc = #build_doc]
            pub fn build(self) -> ::core::result::Result<#name, ::opgen::BuildError> {
                ::core::result::Result::Ok(#name {
                    #(#assigns)*
                    #meta_assign
                })
            }
        }

        #debug
    }
}

fn emit_setters(ctx: &Context, f: &Field) -> TokenStream {
    let ident = &f.ident;
    let ty = &f.ty;
    let set = prefixed_ident("set", &f.member.name);
    let docs = member_doc(f.member, &format!("Sets the `{}` member.", f.member.name));
    let target_kind = ctx.kind(&f.member.target);
    let setter = match target_kind {
        Some(ShapeKind::List | ShapeKind::Set) => {
            let item = list_item_type(ctx, &f.member.target);
            quote! {
                pub fn #ident<I>(mut self, items: I) -> Self
                where
                    I: ::core::iter::IntoIterator,
                    I::Item: ::core::convert::Into<#item>,
                {
                    self.#ident = ::core::option::Option::Some(items.into_iter().map(::core::convert::Into::into).collect());
                    self
                }
            }
        }
        Some(ShapeKind::Map) => {
            let value = map_value_type(ctx, &f.member.target);
            quote! {
                pub fn #ident<I, K, V>(mut self, entries: I) -> Self
                where
                    I: ::core::iter::IntoIterator<Item = (K, V)>,
                    K: ::core::convert::Into<::std::string::String>,
                    V: ::core::convert::Into<#value>,
                {
                    self.#ident = ::core::option::Option::Some(
                        entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
                    );
                    self
                }
            }
        }
        _ => quote! {
            pub fn #ident(mut self, value: impl ::core::convert::Into<#ty>) -> Self {
                self.#ident = ::core::option::Option::Some(value.into());
                self
            }
        },
    };
    let set_doc = format!(" Sets or clears the `{}` member.", f.member.name);
    quote! {
        #docs
        #setter

        #[doc = #set_doc]
        pub fn #set(mut self, value: ::core::option::Option<#ty>) -> Self {
            self.#ident = value;
            self
        }
    }
}

/// The JSON value expression of a member value `value` (a reference).
pub(crate) fn json_value(ctx: &Context, member: &Member, value: TokenStream) -> TokenStream {
    if ctx.kind(&member.target) == Some(ShapeKind::Timestamp) {
        let format = member
            .traits
            .timestamp_format()
            .or_else(|| {
                ctx.shape(&member.target)
                    .and_then(|t| t.traits.timestamp_format())
            })
            .unwrap_or(TimestampFormat::EpochSeconds);
        let format = timestamp_format_tokens(format);
        quote!(::opgen::__private::json::timestamp_to_json(#value, #format))
    } else {
        quote!(::opgen::__private::json::ToJson::to_json(#value))
    }
}

pub(crate) fn timestamp_format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(::opgen::__private::json::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::opgen::__private::json::TimestampFormat::HttpDate),
        TimestampFormat::EpochSeconds => {
            quote!(::opgen::__private::json::TimestampFormat::EpochSeconds)
        }
    }
}

/// Statements that insert `fields` of `source` (an expression of the
/// structure) into a `serde_json::Map` named `object`.
pub(crate) fn json_inserts<'f>(
    ctx: &'f Context,
    fields: impl IntoIterator<Item = &'f Field<'f>>,
    source: TokenStream,
) -> TokenStream {
    let inserts = fields.into_iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.wire_name;
        if f.optional {
            let value = json_value(ctx, f.member, quote!(value));
            quote! {
                if let ::core::option::Option::Some(value) = &#source.#ident {
                    object.insert(::std::string::String::from(#wire), #value);
                }
            }
        } else {
            let value = json_value(ctx, f.member, quote!(&#source.#ident));
            quote!(object.insert(::std::string::String::from(#wire), #value);)
        }
    });
    quote!(#(#inserts)*)
}

/// Field initialisers reading `fields` from a `serde_json::Map` named `object`.
pub(crate) fn json_reads<'f>(
    ctx: &Context,
    shape: &Shape,
    fields: impl IntoIterator<Item = &'f Field<'f>>,
) -> TokenStream {
    let shape_name = shape.id.name();
    let reads = fields.into_iter().map(|f| {
        let ident = &f.ident;
        let wire = &f.wire_name;
        let default = f
            .member
            .traits
            .default_value()
            .or_else(|| ctx.shape(&f.member.target).and_then(|t| t.traits.default_value()))
            .filter(|d| !d.is_null());
        if let (true, Some(default)) = (f.optional, default) {
            // A member the service left out takes the model's @default.
            let default = default.to_string();
            quote!(#ident: ::opgen::__private::json::member_or_default(object, #shape_name, #wire, #default)?,)
        } else if f.optional {
            quote!(#ident: ::opgen::__private::json::member(object, #shape_name, #wire)?,)
        } else {
            quote!(#ident: ::opgen::__private::json::required_member(object, #shape_name, #wire)?,)
        }
    });
    quote!(#(#reads)*)
}

fn emit_json(
    ctx: &Context,
    shape: &Shape,
    name: &proc_macro2::Ident,
    fields: &[Field],
    is_error: bool,
) -> TokenStream {
    let shape_name = shape.id.name();
    let inserts = json_inserts(ctx, fields, quote!(self));
    let reads = json_reads(ctx, shape, fields);
    let meta = is_error.then(|| quote!(__meta: ::core::default::Default::default(),));
    let object_binding = if fields.is_empty() {
        quote!(let _ = ::opgen::__private::json::object(value, #shape_name)?;)
    } else {
        quote!(let object = ::opgen::__private::json::object(value, #shape_name)?;)
    };
    let mut_kw = (!fields.is_empty()).then(|| quote!(mut));
    quote! {
        impl ::opgen::__private::json::ToJson for #name {
            fn to_json(&self) -> ::opgen::__private::serde_json::Value {
                let #mut_kw object = ::opgen::__private::serde_json::Map::new();
                #inserts
                ::opgen::__private::serde_json::Value::Object(object)
            }
        }

        impl ::opgen::__private::json::FromJson for #name {
            fn from_json(value: &::opgen::__private::serde_json::Value) -> ::core::result::Result<Self, ::std::string::String> {
                #object_binding
                ::core::result::Result::Ok(#name {
                    #reads
                    #meta
                })
            }
        }
    }
}

fn emit_error_impls(shape: &Shape, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let code = shape.id.name();
    let message = fields
        .iter()
        .find(|f| f.member.name.eq_ignore_ascii_case("message"))
        .map(|f| {
            let ident = &f.ident;
            if f.optional {
                quote!(self.#ident.as_deref())
            } else {
                quote!(::core::option::Option::Some(self.#ident.as_str()))
            }
        })
        .unwrap_or_else(|| quote!(::core::option::Option::None));
    let retryable = shape.traits.retryable().is_some();
    let throttling = shape.traits.retryable() == Some(true);
    quote! {
        impl #name {
            /// The code, message and request id the service sent with this error.
            pub fn meta(&self) -> &::opgen::ErrorMetadata {
                &self.__meta
            }

            /// Whether the model marks this error `@retryable`.
            pub fn is_retryable(&self) -> bool {
                #retryable
            }

            /// Whether the model marks this error as throttling.
            pub fn is_throttling(&self) -> bool {
                #throttling
            }

            #[doc(hidden)]
            pub fn __with_meta(mut self, meta: ::opgen::ErrorMetadata) -> Self {
                self.__meta = meta;
                self
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(#code)?;
                if let ::core::option::Option::Some(message) = #message.or(self.__meta.message()) {
                    ::core::write!(f, ": {}", message)?;
                }
                ::core::result::Result::Ok(())
            }
        }

        impl ::std::error::Error for #name {}
    }
}
