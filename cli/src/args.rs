//! Hand-written argument parsing: `opgen expand|list|check-endpoints|diff`,
//! `opgen model pull`,
//! `--help`, `--version`.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

/// The usage text `--help` prints and usage errors end with.
pub(crate) const USAGE: &str = "\
opgen: inspect the code opgen::include_operation! generates

Usage:
  opgen expand [--model PATH] [-o FILE] [--serde] (OPERATION... | --all)
  opgen list [--model PATH]
  opgen check-endpoints MODEL...
  opgen diff OLD NEW [OPERATION...]
  opgen model pull SERVICE [--into DIR] [--from URL_OR_DIR]
  opgen --help | --version

Commands:
  expand   print the generated Rust module for the operations (by name or
           absolute shape id), formatted, ready to drop into a crate that
           depends on opgen
  list     print each service of the model and its operations with their
           HTTP method and URI
  check-endpoints
           run the smithy.rules#endpointTests of each model's services
           against the endpoint rules engine; print each failure with a
           diff, then `endpoints: N passed, N failed`; exit 1 on a failure
  diff     compare two versions of a model (files or directories): list,
           per operation (all, or those named), each change of its
           operations, members, enum values, errors, required-ness, types
           and wire traits, marked `breaking` or `compatible` for code
           compiled with opgen, then `N changes: N breaking, N compatible`;
           exit 1 when a change is breaking, 2 when a model cannot be read
  model pull
           fetch the newest model of SERVICE (e.g. `bedrock-agentcore`)
           from a tree laid out like github.com/aws/api-models-aws into
           DIR, replacing the SERVICE-<api-version>.json there, and print
           the `diff` against the file it replaces

Options:
  --model PATH       a Smithy JSON AST file, or a directory of them (default:
                     the bundled Bedrock AgentCore model)
  --all              expand every operation of the model's services
  -o, --output FILE  write the expansion to FILE instead of stdout
  --serde            also derive serde::Serialize/Deserialize
  --into DIR         where `model pull` writes the model (default: model)
  --from URL_OR_DIR  where `model pull` reads it: a local clone of the
                     repository, or the GitHub contents API URL of one
                     (default: https://api.github.com/repos/aws/api-models-aws/contents)
  -h, --help         print this help
  -V, --version      print the version
";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    Help,
    Version,
    List { model: Option<PathBuf> },
    Expand(ExpandArgs),
    CheckEndpoints { models: Vec<PathBuf> },
    Diff(DiffArgs),
    ModelPull(PullArgs),
}

/// The arguments of `opgen diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DiffArgs {
    pub(crate) old: PathBuf,
    pub(crate) new: PathBuf,
    /// Operation names; empty for all.
    pub(crate) operations: Vec<String>,
}

/// The arguments of `opgen model pull`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PullArgs {
    pub(crate) service: String,
    pub(crate) into: Option<PathBuf>,
    pub(crate) from: Option<String>,
}

/// The arguments of `opgen expand`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ExpandArgs {
    pub(crate) model: Option<PathBuf>,
    /// Operation names or absolute shape ids, in the order given.
    pub(crate) operations: Vec<String>,
    pub(crate) all: bool,
    pub(crate) output: Option<PathBuf>,
    pub(crate) serde: bool,
}

/// A command line that does not follow the usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UsageError(pub(crate) String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn usage_error(message: impl Into<String>) -> UsageError {
    UsageError(message.into())
}

/// Parses the arguments after the program name.
pub(crate) fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut args = args.into_iter();
    let Some(first) = args.next() else {
        return Err(usage_error("missing command"));
    };
    let first = utf8(first)?;
    match first.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "-V" | "--version" => Ok(Command::Version),
        "list" => parse_list(args),
        "expand" => parse_expand(args),
        "check-endpoints" => parse_check_endpoints(args),
        "diff" => parse_diff(args),
        "model" => parse_model(args),
        flag if flag.starts_with('-') => Err(usage_error(format!("unknown option `{flag}`"))),
        other => Err(usage_error(format!(
            "unknown command `{other}`; the commands are `expand`, `list`, `check-endpoints`, `diff` and `model pull`"
        ))),
    }
}

/// One command-line item: a flag (with its `=value` if written inline) or a
/// positional argument.
enum Item {
    Flag(String, Option<OsString>),
    Positional(OsString),
}

/// Splits `--flag=value`; everything after `--` is positional.
struct Items<I> {
    args: I,
    only_positional: bool,
}

impl<I: Iterator<Item = OsString>> Items<I> {
    fn new(args: I) -> Self {
        Items {
            args,
            only_positional: false,
        }
    }

    fn next(&mut self) -> Result<Option<Item>, UsageError> {
        let Some(arg) = self.args.next() else {
            return Ok(None);
        };
        if self.only_positional {
            return Ok(Some(Item::Positional(arg)));
        }
        let Some(text) = arg.to_str() else {
            return Ok(Some(Item::Positional(arg)));
        };
        if text == "--" {
            self.only_positional = true;
            return self.next();
        }
        if text.starts_with("--") {
            return Ok(Some(match text.split_once('=') {
                Some((flag, value)) => Item::Flag(flag.to_string(), Some(value.into())),
                None => Item::Flag(text.to_string(), None),
            }));
        }
        if text.starts_with('-') && text.len() > 1 {
            return Ok(Some(Item::Flag(text.to_string(), None)));
        }
        Ok(Some(Item::Positional(arg)))
    }

    /// The value of `flag`: inline (`--flag=value`) or the next argument.
    fn value(&mut self, flag: &str, inline: Option<OsString>) -> Result<OsString, UsageError> {
        match inline.or_else(|| self.args.next()) {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(usage_error(format!("`{flag}` needs a value"))),
        }
    }
}

fn utf8(arg: OsString) -> Result<String, UsageError> {
    arg.into_string()
        .map_err(|arg| usage_error(format!("argument {arg:?} is not valid UTF-8")))
}

fn set_once(slot: &mut Option<PathBuf>, flag: &str, value: OsString) -> Result<(), UsageError> {
    if slot.is_some() {
        return Err(usage_error(format!("`{flag}` given twice")));
    }
    *slot = Some(PathBuf::from(value));
    Ok(())
}

fn no_inline_value(flag: &str, inline: Option<OsString>) -> Result<(), UsageError> {
    match inline {
        Some(_) => Err(usage_error(format!("`{flag}` takes no value"))),
        None => Ok(()),
    }
}

fn parse_list(args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut items = Items::new(args);
    let mut model = None;
    while let Some(item) = items.next()? {
        match item {
            Item::Flag(flag, inline) => match flag.as_str() {
                "--model" => {
                    let value = items.value(&flag, inline)?;
                    set_once(&mut model, &flag, value)?;
                }
                "-h" | "--help" => return Ok(Command::Help),
                _ => return Err(usage_error(format!("unknown option `{flag}` for `list`"))),
            },
            Item::Positional(arg) => {
                return Err(usage_error(format!(
                    "unexpected argument {arg:?}: `list` takes no operation names"
                )))
            }
        }
    }
    Ok(Command::List { model })
}

fn parse_check_endpoints(args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut items = Items::new(args);
    let mut models = Vec::new();
    while let Some(item) = items.next()? {
        match item {
            Item::Flag(flag, _) if flag == "-h" || flag == "--help" => return Ok(Command::Help),
            Item::Flag(flag, _) => {
                return Err(usage_error(format!(
                    "unknown option `{flag}` for `check-endpoints`"
                )))
            }
            Item::Positional(model) => models.push(PathBuf::from(model)),
        }
    }
    if models.is_empty() {
        return Err(usage_error(
            "`check-endpoints` needs at least one model file or directory",
        ));
    }
    Ok(Command::CheckEndpoints { models })
}

fn parse_diff(args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut items = Items::new(args);
    let mut positional = Vec::new();
    while let Some(item) = items.next()? {
        match item {
            Item::Flag(flag, _) if flag == "-h" || flag == "--help" => return Ok(Command::Help),
            Item::Flag(flag, _) => {
                return Err(usage_error(format!("unknown option `{flag}` for `diff`")))
            }
            Item::Positional(arg) => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    let (Some(old), Some(new)) = (positional.next(), positional.next()) else {
        return Err(usage_error(
            "`diff` needs the old and the new model: `opgen diff OLD NEW [OPERATION...]`",
        ));
    };
    Ok(Command::Diff(DiffArgs {
        old: PathBuf::from(old),
        new: PathBuf::from(new),
        operations: positional.map(utf8).collect::<Result<_, _>>()?,
    }))
}

fn parse_model(mut args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    match args.next().map(utf8).transpose()?.as_deref() {
        Some("pull") => {}
        Some("-h" | "--help") => return Ok(Command::Help),
        Some(other) => {
            return Err(usage_error(format!(
                "unknown subcommand `model {other}`; the only one is `model pull`"
            )))
        }
        None => {
            return Err(usage_error(
                "`model` needs a subcommand: `model pull SERVICE`",
            ))
        }
    }
    let mut items = Items::new(args);
    let mut service = None;
    let mut into = None;
    let mut from: Option<String> = None;
    while let Some(item) = items.next()? {
        match item {
            Item::Flag(flag, inline) => match flag.as_str() {
                "--into" => {
                    let value = items.value(&flag, inline)?;
                    set_once(&mut into, &flag, value)?;
                }
                "--from" => {
                    let value = utf8(items.value(&flag, inline)?)?;
                    if from.replace(value).is_some() {
                        return Err(usage_error("`--from` given twice"));
                    }
                }
                "-h" | "--help" => return Ok(Command::Help),
                _ => {
                    return Err(usage_error(format!(
                        "unknown option `{flag}` for `model pull`"
                    )))
                }
            },
            Item::Positional(arg) if service.is_none() => service = Some(utf8(arg)?),
            Item::Positional(arg) => {
                return Err(usage_error(format!(
                    "unexpected argument {arg:?}: `model pull` takes one service"
                )))
            }
        }
    }
    let Some(service) = service else {
        return Err(usage_error(
            "`model pull` needs a service name as in the repository, e.g. `bedrock-agentcore`",
        ));
    };
    Ok(Command::ModelPull(PullArgs {
        service,
        into,
        from,
    }))
}

fn parse_expand(args: impl Iterator<Item = OsString>) -> Result<Command, UsageError> {
    let mut items = Items::new(args);
    let mut expand = ExpandArgs::default();
    while let Some(item) = items.next()? {
        match item {
            Item::Flag(flag, inline) => match flag.as_str() {
                "--model" => {
                    let value = items.value(&flag, inline)?;
                    set_once(&mut expand.model, &flag, value)?;
                }
                "-o" | "--output" => {
                    let value = items.value(&flag, inline)?;
                    set_once(&mut expand.output, &flag, value)?;
                }
                "--all" => {
                    no_inline_value(&flag, inline)?;
                    expand.all = true;
                }
                "--serde" => {
                    no_inline_value(&flag, inline)?;
                    expand.serde = true;
                }
                "-h" | "--help" => return Ok(Command::Help),
                _ => return Err(usage_error(format!("unknown option `{flag}` for `expand`"))),
            },
            Item::Positional(arg) => expand.operations.push(utf8(arg)?),
        }
    }
    match (expand.all, expand.operations.is_empty()) {
        (false, true) => Err(usage_error(
            "`expand` needs operation names, or `--all` for every operation",
        )),
        (true, false) => Err(usage_error(
            "`--all` and operation names exclude each other; give one or the other",
        )),
        _ => Ok(Command::Expand(expand)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Command, UsageError> {
        parse(args.iter().map(OsString::from))
    }

    fn expand(args: &[&str]) -> ExpandArgs {
        match parse_str(args) {
            Ok(Command::Expand(e)) => e,
            other => panic!("{args:?} parsed as {other:?}"),
        }
    }

    fn error(args: &[&str]) -> String {
        match parse_str(args) {
            Err(UsageError(message)) => message,
            Ok(command) => panic!("{args:?} parsed as {command:?}"),
        }
    }

    #[test]
    fn help_and_version_flags() {
        for args in [
            &["--help"][..],
            &["-h"],
            &["help"],
            &["expand", "-h"],
            &["list", "--help"],
        ] {
            assert_eq!(parse_str(args), Ok(Command::Help), "{args:?}");
        }
        assert_eq!(parse_str(&["--version"]), Ok(Command::Version));
        assert_eq!(parse_str(&["-V"]), Ok(Command::Version));
    }

    #[test]
    fn list_with_and_without_model() {
        assert_eq!(parse_str(&["list"]), Ok(Command::List { model: None }));
        let with_model = Ok(Command::List {
            model: Some(PathBuf::from("m.json")),
        });
        assert_eq!(parse_str(&["list", "--model", "m.json"]), with_model);
        assert_eq!(parse_str(&["list", "--model=m.json"]), with_model);
    }

    #[test]
    fn expand_collects_operations_in_order() {
        let e = expand(&["expand", "B", "--model", "dir", "A", "ns#C"]);
        assert_eq!(e.operations, ["B", "A", "ns#C"]);
        assert_eq!(e.model, Some(PathBuf::from("dir")));
        assert!(!e.all && !e.serde && e.output.is_none());
    }

    #[test]
    fn expand_all_output_and_serde() {
        let e = expand(&["expand", "--all", "-o", "out.rs", "--serde"]);
        assert!(e.all && e.serde && e.operations.is_empty());
        assert_eq!(e.output, Some(PathBuf::from("out.rs")));
        assert_eq!(
            expand(&["expand", "--output=x.rs", "Op"]).output,
            Some(PathBuf::from("x.rs"))
        );
    }

    #[test]
    fn double_dash_makes_the_rest_positional() {
        let e = expand(&["expand", "--", "--all"]);
        assert_eq!(e.operations, ["--all"]);
        assert!(!e.all);
    }

    #[test]
    fn expand_needs_operations_or_all_but_not_both() {
        assert!(error(&["expand"]).contains("needs operation names"));
        assert!(error(&["expand", "--all", "Op"]).contains("exclude each other"));
    }

    #[test]
    fn check_endpoints_takes_models() {
        assert_eq!(
            parse_str(&["check-endpoints", "a.json", "dir"]),
            Ok(Command::CheckEndpoints {
                models: vec![PathBuf::from("a.json"), PathBuf::from("dir")]
            })
        );
        assert!(error(&["check-endpoints"]).contains("needs at least one model"));
        assert!(error(&["check-endpoints", "--all"]).contains("unknown option `--all`"));
        assert_eq!(parse_str(&["check-endpoints", "-h"]), Ok(Command::Help));
    }

    #[test]
    fn diff_takes_two_models_and_operations() {
        assert_eq!(
            parse_str(&["diff", "old.json", "new", "A", "B"]),
            Ok(Command::Diff(DiffArgs {
                old: PathBuf::from("old.json"),
                new: PathBuf::from("new"),
                operations: vec!["A".into(), "B".into()],
            }))
        );
        assert!(error(&["diff", "old.json"]).contains("needs the old and the new model"));
        assert!(error(&["diff", "a", "b", "--all"]).contains("unknown option `--all` for `diff`"));
    }

    #[test]
    fn model_pull_takes_a_service_and_places() {
        assert_eq!(
            parse_str(&["model", "pull", "sts", "--into", "m", "--from=http://x/"]),
            Ok(Command::ModelPull(PullArgs {
                service: "sts".into(),
                into: Some(PathBuf::from("m")),
                from: Some("http://x/".into()),
            }))
        );
        assert_eq!(
            parse_str(&["model", "pull", "sts"]),
            Ok(Command::ModelPull(PullArgs {
                service: "sts".into(),
                into: None,
                from: None,
            }))
        );
        assert!(error(&["model", "pull"]).contains("needs a service name"));
        assert!(error(&["model", "pull", "a", "b"]).contains("takes one service"));
        assert!(error(&["model", "push"]).contains("unknown subcommand `model push`"));
        assert!(error(&["model"]).contains("needs a subcommand"));
        assert_eq!(
            error(&["model", "pull", "a", "--from", "x", "--from", "y"]),
            "`--from` given twice"
        );
    }

    #[test]
    fn unknown_commands_and_flags_are_usage_errors() {
        assert_eq!(error(&[]), "missing command");
        assert!(error(&["frobnicate"]).contains("unknown command `frobnicate`"));
        assert!(error(&["--frob"]).contains("unknown option `--frob`"));
        assert!(error(&["expand", "--frob", "Op"]).contains("unknown option `--frob` for `expand`"));
        assert!(error(&["list", "-x"]).contains("unknown option `-x` for `list`"));
        assert!(error(&["list", "Op"]).contains("takes no operation names"));
    }

    #[test]
    fn flag_values_are_required_and_single() {
        assert_eq!(
            error(&["expand", "Op", "--model"]),
            "`--model` needs a value"
        );
        assert_eq!(
            error(&["expand", "Op", "--model="]),
            "`--model` needs a value"
        );
        assert_eq!(error(&["expand", "Op", "-o"]), "`-o` needs a value");
        assert_eq!(
            error(&["list", "--model", "a", "--model", "b"]),
            "`--model` given twice"
        );
        assert_eq!(error(&["expand", "--all=yes"]), "`--all` takes no value");
    }
}
