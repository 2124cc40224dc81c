//! Replays every seed (`seeds/<target>/`) and every minimized crash input
//! (`regressions/<target>/`) through its harness, on stable Rust, so that a
//! bug the fuzzer once found stays fixed without a nightly toolchain.

use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn seeds_and_regressions_pass_their_harness() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut seeds, mut regressions) = (0, 0);
    for (target, harness) in opgen_fuzz::TARGETS {
        for (kind, count) in [("seeds", &mut seeds), ("regressions", &mut regressions)] {
            for path in inputs(&root.join(kind).join(target)) {
                let data = std::fs::read(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                // A panic names the input: the test harness prints this line
                // with the panic message when the test fails.
                eprintln!("replaying {kind}/{target}/{}", file_name(&path));
                harness(&data);
                *count += 1;
            }
        }
    }
    assert!(seeds > 0, "no seed found under {}", root.display());
    println!(
        "fuzz regressions: {} inputs replayed ({regressions} regressions, {seeds} seeds, {} targets)",
        seeds + regressions,
        opgen_fuzz::TARGETS.len()
    );
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
