//! trybuild: every `tests/ui/pass/*.rs` compiles and runs (each asserts
//! behaviour in its `main`), and every `tests/ui/fail/*.rs` fails to compile
//! with the reviewed `.stderr` beside it. Bless with `TRYBUILD=overwrite`,
//! then read each changed `.stderr`.
//!
//! trybuild builds the cases in a crate of its own at
//! `<target dir>/tests/trybuild/opgen-tests/`, which is the
//! `CARGO_MANIFEST_DIR` that `model = "…"` paths are relative to. So that
//! cases can name the small models of `tests/ui/models/` whatever the target
//! dir is, this test copies them to `ui-models/` in that directory first and
//! the cases say `model = "ui-models/…"`.
//!
//! `model-path-missing` and `model-invalid-json` print the resolved model
//! path, which trybuild shortens to `$WORKSPACE/target/…`: their `.stderr`
//! hold only with the default target directory.

use std::path::Path;

#[test]
fn ui() {
    stage_models();
    // One `TestCases` so that pass and fail cases build in one cargo run.
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}

/// Copies `tests/ui/models/*.json` to `ui-models/` in trybuild's project
/// directory. A file whose content is unchanged is left alone: rewriting it
/// would bump its mtime and, through the expansion's `include_bytes!`, make
/// cargo rebuild every case.
fn stage_models() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/models");
    let staged = target_dir().join("tests/trybuild/opgen-tests/ui-models");
    std::fs::create_dir_all(&staged).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let content = std::fs::read(&path).unwrap();
        let copy = staged.join(path.file_name().unwrap());
        if std::fs::read(&copy).ok().as_ref() != Some(&content) {
            std::fs::write(&copy, &content).unwrap();
        }
    }
}

/// The target directory, where trybuild puts its project (`cargo metadata`'s
/// `target_directory`); cargo gives integration tests `<target dir>/tmp`.
fn target_dir() -> &'static Path {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap()
}
