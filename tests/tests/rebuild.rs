//! A user crate with a `model/` directory and no `model =` gets its client
//! from that directory, and cargo rebuilds it when the model changes (the
//! expansion `include_bytes!`s every model file it read).
//!
//! The crate is `tests/fixtures/model-dir`, copied to a fresh temporary
//! directory with its `opgen` path dependency pointed at this workspace's
//! `runtime/`. It builds into `target/fixtures`, shared across runs, so the
//! dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The first build compiles `opgen` and its dependencies (about two
/// minutes on two cores); later ones only the fixture.
const FIRST_BUILD_LIMIT: Duration = Duration::from_secs(900);
const REBUILD_LIMIT: Duration = Duration::from_secs(300);

const FLAVOR_MEMBERS: &str = r#""members": {
                "VANILLA""#;
const FLAVOR_MEMBERS_WITH_MINT: &str = r#""members": {
                "MINT": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "MINT" } },
                "VANILLA""#;

#[test]
fn model_dir_is_used_and_a_model_change_rebuilds() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let fixture = TempCrate::copy_fixture(&workspace.join("tests/fixtures/model-dir"), workspace);
    // `CARGO_TARGET_TMPDIR` is `<target dir>/tmp`.
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("fixtures");
    println!("fixture crate: {}", fixture.dir.display());
    println!("target dir: {}", target_dir.display());

    let first = fixture.run(&target_dir, FIRST_BUILD_LIMIT);
    assert!(
        first.contains("service: example.scoops#Scoops"),
        "the client did not come from the crate's model/ directory:\n{first}"
    );
    assert_eq!(flavors(&first), ["CHOCOLATE", "VANILLA"], "{first}");

    let model = fixture.dir.join("model/scoops.json");
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(
        text.contains(FLAVOR_MEMBERS),
        "the fixture model changed shape"
    );
    println!("adding enum value MINT to {}", model.display());
    std::fs::write(
        &model,
        text.replace(FLAVOR_MEMBERS, FLAVOR_MEMBERS_WITH_MINT),
    )
    .unwrap();

    let second = fixture.run(&target_dir, REBUILD_LIMIT);
    assert_eq!(
        flavors(&second),
        ["CHOCOLATE", "MINT", "VANILLA"],
        "cargo did not rebuild against the changed model:\n{second}"
    );
}

/// The sorted values after `flavors: ` in the program's output.
fn flavors(output: &str) -> Vec<&str> {
    let line = output
        .lines()
        .find_map(|l| l.strip_prefix("flavors: "))
        .unwrap_or_else(|| panic!("no `flavors:` line in:\n{output}"));
    let mut values: Vec<&str> = line.split(',').collect();
    values.sort_unstable();
    values
}

/// A copy of a fixture crate in a directory of its own, removed on drop.
struct TempCrate {
    dir: PathBuf,
}

impl TempCrate {
    fn copy_fixture(fixture: &Path, workspace: &Path) -> TempCrate {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("opgen-rebuild-{}-{nanos}", std::process::id()));
        let temp = TempCrate { dir };
        copy_dir(fixture, &temp.dir);
        let manifest = temp.dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        let relative = r#"opgen = { path = "../../../runtime" }"#;
        assert!(
            text.contains(relative),
            "the fixture's opgen dependency moved"
        );
        let runtime = workspace.join("runtime");
        let absolute = format!("opgen = {{ path = {:?} }}", runtime.to_str().unwrap());
        std::fs::write(&manifest, text.replace(relative, &absolute)).unwrap();
        // The workspace's lock file pins the same versions the workspace
        // already built and downloaded, so `--offline` resolves.
        std::fs::copy(workspace.join("Cargo.lock"), temp.dir.join("Cargo.lock")).unwrap();
        temp
    }

    /// `cargo run`s the crate within `limit` and returns its stdout.
    fn run(&self, target_dir: &Path, limit: Duration) -> String {
        println!("cargo run (limit {}s)", limit.as_secs());
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--offline"])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .env_remove("RUSTFLAGS")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read both pipes on threads so a full pipe cannot stall cargo.
        let stdout = drain(child.stdout.take().unwrap());
        let stderr = drain(child.stderr.take().unwrap());
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!(
                    "cargo run took more than {}s; stderr:\n{}",
                    limit.as_secs(),
                    stderr.join().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let stdout = stdout.join().unwrap();
        let stderr = stderr.join().unwrap();
        println!(
            "cargo run finished in {:.1}s: {status}",
            started.elapsed().as_secs_f64()
        );
        assert!(status.success(), "cargo run failed:\n{stderr}");
        print!("{stdout}");
        stdout
    }
}

impl Drop for TempCrate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn drain(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            // A `target/` left by building the fixture in place is not part of it.
            if entry.file_name() != "target" {
                copy_dir(&path, &dest);
            }
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}
