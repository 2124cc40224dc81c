//! `opgen`: inspect the code `opgen::include_operation!` generates.
//!
//! `opgen expand [--model PATH] (OP… | --all)` prints the generated module,
//! `opgen list [--model PATH]` the services and their operations,
//! `opgen check-endpoints MODEL…` runs the models' endpoint tests,
//! `opgen diff OLD NEW [OP…]` compares two versions of a model and
//! `opgen model pull SERVICE` fetches the newest one. Exit codes: 0 on
//! success, 1 when the model or the generator fails (or an endpoint test
//! does, or `diff` finds a breaking change), 2 on a usage error (and for
//! `diff`, a model that cannot be read).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod args;

use args::{Command, DiffArgs, ExpandArgs, PullArgs, USAGE};
use opgen_model::{ShapeGraph, ShapeId, BUNDLED_MODEL_NAME};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// A failure after the arguments were understood: printed, then exit 1.
/// Each entry is printed on a line of its own.
struct Failure(Vec<String>);

impl Failure {
    fn one(message: impl ToString) -> Self {
        Failure(vec![message.to_string()])
    }
}

/// How a command ended, when it did not fail: `Breaking` is `diff`'s exit 1
/// (everything printed, nothing went wrong), `Unusable` its exit 2.
enum Outcome {
    Done,
    Breaking,
    Unusable(String),
}

fn main() -> ExitCode {
    let command = match args::parse(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Diff(diff_args) => match diff(&diff_args) {
            Ok(Outcome::Done) => Ok(()),
            Ok(Outcome::Breaking) => return ExitCode::FAILURE,
            Ok(Outcome::Unusable(message)) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
            Err(failure) => Err(failure),
        },
        Command::ModelPull(pull_args) => pull(&pull_args),
        Command::Help => write_stdout(USAGE.as_bytes()),
        Command::Version => {
            write_stdout(format!("opgen {}\n", env!("CARGO_PKG_VERSION")).as_bytes())
        }
        Command::List { model } => list(model.as_deref()),
        Command::Expand(expand_args) => expand(&expand_args),
        Command::CheckEndpoints { models } => check_endpoints(&models),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(messages)) => {
            for message in messages {
                eprintln!("error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Writes to stdout; a closed pipe (`opgen list | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Failure::one(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// The model at `path`, or the bundled one; with the name the output uses.
fn load_model(path: Option<&Path>) -> Result<(ShapeGraph, String), Failure> {
    match path {
        Some(path) => ShapeGraph::load(path)
            .map(|graph| (graph, path.display().to_string()))
            .map_err(Failure::one),
        None => ShapeGraph::bundled()
            .map(|graph| (graph, BUNDLED_MODEL_NAME.to_string()))
            .map_err(|e| Failure::one(format!("internal error: {e}"))),
    }
}

fn list(model: Option<&Path>) -> Result<(), Failure> {
    let (graph, _) = load_model(model)?;
    let mut out = String::new();
    let mut services = 0;
    for service in graph.services() {
        services += 1;
        let operations: Vec<ShapeId> = graph.service_operations(service).into_iter().collect();
        let version = service
            .version
            .as_deref()
            .map(|v| format!("version {v}, "))
            .unwrap_or_default();
        out.push_str(&format!(
            "{} ({version}{} operation{})\n",
            service.id,
            operations.len(),
            if operations.len() == 1 { "" } else { "s" }
        ));
        list_operations(&graph, &operations, &mut out);
    }
    if services == 0 {
        let unbound: Vec<ShapeId> = graph
            .shapes()
            .filter(|s| s.kind == opgen_model::ShapeKind::Operation)
            .map(|s| s.id.clone())
            .collect();
        out.push_str(&format!(
            "(no service shape; {} operation{})\n",
            unbound.len(),
            if unbound.len() == 1 { "" } else { "s" }
        ));
        list_operations(&graph, &unbound, &mut out);
    }
    write_stdout(out.as_bytes())
}

/// `  Name  METHOD /uri`, names padded to one column.
fn list_operations(graph: &ShapeGraph, operations: &[ShapeId], out: &mut String) {
    let width = operations
        .iter()
        .map(|id| id.name().len())
        .max()
        .unwrap_or(0);
    for id in operations {
        let http = graph
            .shape(id)
            .and_then(|shape| shape.traits.http())
            .map(|http| format!("{} {}", http.method, http.uri));
        match http {
            Some(http) => out.push_str(&format!("  {:width$}  {http}\n", id.name())),
            None => out.push_str(&format!("  {}\n", id.name())),
        }
    }
}

fn expand(args: &ExpandArgs) -> Result<(), Failure> {
    let started = Instant::now();
    eprintln!(
        "loading model {}…",
        args.model.as_deref().map_or_else(
            || BUNDLED_MODEL_NAME.to_string(),
            |p| p.display().to_string()
        )
    );
    let (graph, model_name) = load_model(args.model.as_deref())?;
    eprintln!(
        "loaded {} shapes in {} ms",
        graph.shapes().count(),
        started.elapsed().as_millis()
    );

    let operations = resolve_operations(&graph, args)?;
    eprintln!(
        "generating {} operation{}…",
        operations.len(),
        if operations.len() == 1 { "" } else { "s" }
    );
    let started = Instant::now();
    let options = opgen_codegen::Options::default().with_serde(args.serde);
    let tokens = opgen_codegen::generate(&graph, &operations, &options)
        .map_err(|errors| Failure(errors.iter().map(ToString::to_string).collect()))?;
    eprintln!("generated in {} ms", started.elapsed().as_millis());

    let started = Instant::now();
    let source = opgen_cli::render(tokens, &operations, &model_name)
        .map_err(|e| Failure::one(opgen_cli::ExpandError::Parse(e)))?;
    eprintln!(
        "formatted {} lines in {} ms",
        source.lines().count(),
        started.elapsed().as_millis()
    );

    match &args.output {
        Some(path) => write_file(path, &source),
        None => write_stdout(source.as_bytes()),
    }
}

/// The operations asked for, as shape ids without duplicates, in the order
/// given; every unknown name is reported, each with its suggestion.
fn resolve_operations(graph: &ShapeGraph, args: &ExpandArgs) -> Result<Vec<ShapeId>, Failure> {
    if args.all {
        let all: Vec<ShapeId> = graph.operations().into_iter().collect();
        if all.is_empty() {
            return Err(Failure::one(
                "the model has no operation bound to a service shape; name the operations to expand",
            ));
        }
        return Ok(all);
    }
    let mut found: Vec<ShapeId> = Vec::new();
    let mut errors = Vec::new();
    for name in &args.operations {
        match graph.find_operation(name) {
            Ok(id) if !found.contains(&id) => found.push(id),
            Ok(_) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(Failure(errors))
    }
}

/// Runs the `smithy.rules#endpointTests` of every service of every model.
fn check_endpoints(models: &[std::path::PathBuf]) -> Result<(), Failure> {
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut out = String::new();
    for path in models {
        let graph = ShapeGraph::load(path).map_err(Failure::one)?;
        let mut checked = 0;
        for service in graph.services() {
            let (Some(rules), Some(tests)) = (
                service.traits.get("smithy.rules#endpointRuleSet"),
                service.traits.get("smithy.rules#endpointTests"),
            ) else {
                continue;
            };
            checked += 1;
            let results = opgen_cli::endpoints::run_tests(rules, tests)
                .map_err(|e| Failure::one(format!("{}: {}: {e}", path.display(), service.id)))?;
            for result in results {
                match result.outcome {
                    Ok(()) => passed += 1,
                    Err(diff) => {
                        failed += 1;
                        out.push_str(&format!(
                            "FAILED {} ({}): {}\n{diff}",
                            service.id,
                            path.display(),
                            result.documentation
                        ));
                    }
                }
            }
        }
        if checked == 0 {
            eprintln!(
                "warning: {}: no service with both smithy.rules#endpointRuleSet and smithy.rules#endpointTests",
                path.display()
            );
        }
    }
    out.push_str(&format!("endpoints: {passed} passed, {failed} failed\n"));
    write_stdout(out.as_bytes())?;
    if failed > 0 {
        return Err(Failure::one(format!(
            "{failed} endpoint test{} failed",
            if failed == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// Compares two models; breaking changes make exit status 1, a model that
/// cannot be read or an unknown operation 2.
fn diff(args: &DiffArgs) -> Result<Outcome, Failure> {
    let load = |path: &Path| ShapeGraph::load(path).map_err(|e| e.to_string());
    let (old, new) = match (load(&args.old), load(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => return Ok(Outcome::Unusable(e)),
    };
    let report = match opgen_cli::diff::diff(&old, &new, &args.operations) {
        Ok(report) => report,
        Err(e) => return Ok(Outcome::Unusable(e.to_string())),
    };
    write_stdout(report.to_string().as_bytes())?;
    Ok(if report.is_breaking() {
        Outcome::Breaking
    } else {
        Outcome::Done
    })
}

/// Fetches the newest model of a service into the model directory and
/// prints its diff against the file it replaced.
fn pull(args: &PullArgs) -> Result<(), Failure> {
    let source = opgen_cli::pull::Source::parse(
        args.from
            .as_deref()
            .unwrap_or(opgen_cli::pull::DEFAULT_SOURCE),
    );
    let into = args.into.as_deref().unwrap_or(Path::new("model"));
    eprintln!(
        "fetching the newest model of {} from {source}…",
        args.service
    );
    let started = Instant::now();
    let fetched = opgen_cli::pull::fetch(&source, &args.service).map_err(Failure::one)?;
    eprintln!(
        "fetched {} ({} bytes, {} shapes) in {} ms",
        fetched.file_name,
        fetched.text.len(),
        fetched.graph.shapes().count(),
        started.elapsed().as_millis()
    );
    let installed =
        opgen_cli::pull::install(into, &args.service, &fetched).map_err(Failure::one)?;
    if installed.unchanged {
        eprintln!("{} is up to date", installed.path.display());
        return write_stdout(b"0 changes: 0 breaking, 0 compatible\n");
    }
    match &installed.replaced {
        Some((old_path, Ok(old))) => {
            eprintln!(
                "wrote {} (replacing {}); changes:",
                installed.path.display(),
                old_path.display()
            );
            let report = opgen_cli::diff::diff(old, &fetched.graph, &[]).map_err(Failure::one)?;
            write_stdout(report.to_string().as_bytes())
        }
        Some((old_path, Err(e))) => {
            eprintln!(
                "wrote {} (replacing {}, which was not a valid model, so there is no diff: {e})",
                installed.path.display(),
                old_path.display()
            );
            Ok(())
        }
        None => {
            eprintln!(
                "wrote {} (new; nothing to compare with)",
                installed.path.display()
            );
            Ok(())
        }
    }
}

fn write_file(path: &Path, source: &str) -> Result<(), Failure> {
    std::fs::write(path, source)
        .map_err(|e| Failure::one(format!("cannot write {}: {e}", path.display())))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
