//! Finds the model, parses it once per process, calls the generator, and
//! makes every failure a spanned error.

use crate::input::MacroInput;
use opgen_model::{ShapeGraph, ShapeId};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use syn::LitStr;

/// The size and modification time of every file a cached model was read
/// from: when any differs, the model is read again.
type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// Parsed models by path, with the fingerprint they were read at.
type ModelCache = HashMap<PathBuf, (Fingerprint, Arc<ShapeGraph>)>;

static CACHE: Mutex<Option<ModelCache>> = Mutex::new(None);

enum ModelChoice {
    Path(PathBuf, Span),
    Bundled,
}

pub(crate) fn expand(input: &MacroInput) -> syn::Result<TokenStream> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let choice = match &input.model {
        Some(lit) => ModelChoice::Path(manifest_dir.join(lit.value()), lit.span()),
        None => {
            let dir = manifest_dir.join("model");
            if dir.is_dir() {
                ModelChoice::Path(dir, input.operations[0].span())
            } else {
                ModelChoice::Bundled
            }
        }
    };
    let graph = match &choice {
        ModelChoice::Path(path, span) => {
            load_cached(path).map_err(|e| syn::Error::new(*span, model_error(&e, &manifest_dir)))?
        }
        ModelChoice::Bundled => Arc::new(
            ShapeGraph::bundled()
                .map_err(|e| syn::Error::new(Span::call_site(), format!("internal error: {e}")))?,
        ),
    };

    let mut errors: Option<syn::Error> = None;
    let mut push_error = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let mut found: Vec<(ShapeId, Span)> = Vec::new();
    for lit in &input.operations {
        match graph.find_operation(&lit.value()) {
            Ok(id) => {
                if !found.iter().any(|(f, _)| f == &id) {
                    found.push((id, lit.span()));
                }
            }
            Err(e) => push_error(syn::Error::new(lit.span(), e.to_string())),
        }
    }

    let options = opgen_codegen::Options::default()
        .with_serde(input.serde.is_some())
        .with_protocol(input.protocol.as_ref().map(LitStr::value));
    let generated = generate_softly(&graph, &found, &options, &mut push_error);

    let tracked = graph.files().iter().map(|file| {
        let path = file
            .canonicalize()
            .unwrap_or_else(|_| file.clone())
            .to_string_lossy()
            .into_owned();
        quote!(
            const _: &[u8] = ::core::include_bytes!(#path);
        )
    });
    let compile_errors = errors.map(|e| e.into_compile_error());
    Ok(quote! {
        #(#tracked)*
        #compile_errors
        #generated
    })
}

/// Generates the operations; each problem is reported on the literal of
/// the operation it stops (a problem of no one operation on the first), and
/// the operations without one are still generated, so the user sees one
/// error, not a cascade of unresolved names.
fn generate_softly(
    graph: &ShapeGraph,
    found: &[(ShapeId, Span)],
    options: &opgen_codegen::Options,
    push_error: &mut impl FnMut(syn::Error),
) -> TokenStream {
    let ids: Vec<ShapeId> = found.iter().map(|(id, _)| id.clone()).collect();
    if ids.is_empty() {
        return TokenStream::new();
    }
    let generated = opgen_codegen::generate_softly(graph, &ids, options);
    for problem in &generated.errors {
        let op = found
            .iter()
            .find(|(id, _)| Some(id.name()) == problem.operation.as_deref());
        let error = match op {
            Some((id, span)) => syn::Error::new(
                *span,
                format!(
                    "cannot generate operation \"{}\": `{}`: {}",
                    id.name(),
                    problem.shape,
                    problem.message
                ),
            ),
            None => syn::Error::new(
                found.first().map_or(Span::call_site(), |(_, span)| *span),
                format!("cannot generate `{}`: {}", problem.shape, problem.message),
            ),
        };
        push_error(error);
    }
    generated.tokens
}

/// A model error as the user wrote the path: relative to the crate, not the
/// absolute path the macro resolved (which differs between machines).
fn model_error(error: &opgen_model::ModelError, manifest_dir: &Path) -> String {
    let mut prefix = manifest_dir.to_string_lossy().into_owned();
    if !prefix.ends_with('/') {
        prefix.push('/');
    }
    let message = error.to_string().replace(&prefix, "");
    match error {
        opgen_model::ModelError::Io { .. } | opgen_model::ModelError::EmptyDirectory { .. } => {
            format!(
                "{message}; model paths are relative to the directory of the crate's Cargo.toml"
            )
        }
        _ => message,
    }
}

fn fingerprint(path: &Path) -> Fingerprint {
    let mut files = vec![path.to_path_buf()];
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            files.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let meta = std::fs::metadata(&file).ok();
            let size = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta.and_then(|m| m.modified().ok());
            (file, size, modified)
        })
        .collect()
}

fn load_cached(path: &Path) -> Result<Arc<ShapeGraph>, opgen_model::ModelError> {
    let print = fingerprint(path);
    if let Ok(guard) = CACHE.lock() {
        if let Some((cached_print, graph)) = guard.as_ref().and_then(|c| c.get(path)) {
            if *cached_print == print {
                return Ok(graph.clone());
            }
        }
    }
    let graph = Arc::new(ShapeGraph::load(path)?);
    if let Ok(mut guard) = CACHE.lock() {
        guard
            .get_or_insert_with(HashMap::new)
            .insert(path.to_path_buf(), (print, graph.clone()));
    }
    Ok(graph)
}

/// `endpoint_resolver!(path)`: see the macro.
pub(crate) fn endpoint_resolver(path: &LitStr) -> syn::Result<TokenStream> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let file = manifest_dir.join(path.value());
    let text = std::fs::read_to_string(&file)
        .map_err(|e| syn::Error::new(path.span(), format!("{}: {e}", file.display())))?;
    let tracked = file
        .canonicalize()
        .unwrap_or_else(|_| file.clone())
        .to_string_lossy()
        .into_owned();
    let resolver = opgen_codegen::endpoint_resolver_from_json(&text).unwrap_or_else(|why| {
        let message = format!("not compiled: {why}");
        quote! {
            pub fn resolve(
                _: &::opgen::endpoint::EndpointParams,
            ) -> ::core::result::Result<::opgen::Endpoint, ::opgen::EndpointError> {
                ::core::result::Result::Err(::opgen::EndpointError::new(#message))
            }
        }
    });
    Ok(quote! {
        const _: &[u8] = ::core::include_bytes!(#tracked);
        #resolver
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(shape: &str) -> String {
        format!(
            r#"{{"smithy": "2.0", "shapes": {{"ex#{shape}": {{"type": "structure", "members": {{}}}}}}}}"#
        )
    }

    #[test]
    fn parsed_models_are_cached_until_the_file_changes() {
        let dir = std::env::temp_dir().join(format!("opgen-cache-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("model.json");
        std::fs::write(&file, model("First")).unwrap();

        let first = load_cached(&file).unwrap();
        let again = load_cached(&file).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "second lookup must not parse");

        // A different size is a different fingerprint, whatever the clock.
        std::fs::write(&file, model("SecondShape")).unwrap();
        let changed = load_cached(&file).unwrap();
        assert!(!Arc::ptr_eq(&first, &changed));
        assert!(changed
            .shape(&ShapeId::parse("ex#SecondShape").unwrap())
            .is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn cached_lookup_of_the_control_plane_model_skips_the_parse() {
        let file = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/models/other/bedrock-agentcore-control-2023-06-05.json"
        ));
        if !file.exists() {
            eprintln!("skipped: ../shared/models is absent");
            return;
        }
        let start = std::time::Instant::now();
        let parsed = load_cached(file).unwrap();
        let parse = start.elapsed();
        let start = std::time::Instant::now();
        let cached = load_cached(file).unwrap();
        let lookup = start.elapsed();
        assert!(Arc::ptr_eq(&parsed, &cached));
        println!("control-plane model: first load {parse:?}, cached lookup {lookup:?}");
    }
}
