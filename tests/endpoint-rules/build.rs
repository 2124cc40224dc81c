//! Writes one `endpoint_resolver!` per rule set of `../shared`: each file
//! of the rules-engine suite (`endpoints/rules`) and each model of
//! `models/` with a `smithy.rules#endpointRuleSet`, plus the table that
//! names them.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let shared = manifest.join("../../../shared");
    println!(
        "cargo::rerun-if-changed={}",
        shared.join("endpoints/rules").display()
    );
    println!(
        "cargo::rerun-if-changed={}",
        shared.join("models").display()
    );
    println!("cargo::rustc-check-cfg=cfg(opgen_shared_rules)");
    let mut files = Vec::new();
    json_files(&shared.join("endpoints/rules"), &mut files);
    let mut models = Vec::new();
    json_files(&shared.join("models"), &mut models);
    files.extend(models.into_iter().filter(|path| {
        std::fs::read_to_string(path)
            .is_ok_and(|text| text.contains("smithy.rules#endpointRuleSet"))
    }));
    if !files.is_empty() {
        println!("cargo::rustc-cfg=opgen_shared_rules");
    }
    let mut code = String::new();
    let mut table = String::from(
        "/// Each rule set: its path under `../shared`, and its compiled resolver.\n\
         pub static RULE_SETS: &[(&str, opgen::endpoint::ResolveFn)] = &[\n",
    );
    for (i, path) in files.iter().enumerate() {
        let relative = path
            .strip_prefix(&shared)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let _ = writeln!(
            code,
            "#[doc = {relative:?}]\npub mod rules_{i} {{ opgen::__private::endpoint_resolver!(\"../../../shared/{relative}\"); }}"
        );
        let _ = writeln!(table, "    ({relative:?}, rules_{i}::resolve),");
    }
    table.push_str("];\n");
    code.push_str(&table);
    let _ = std::fs::write(out.join("rule_sets.rs"), code);
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}
