//! `opgen diff` and `opgen model pull`, run as the built binary: exit
//! statuses, the shared AgentCore history, and pulls from a local tree and
//! from a loopback server laid out like `aws/api-models-aws`.

#[cfg(feature = "http")]
use std::io::{BufRead, BufReader, Write};
#[cfg(feature = "http")]
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn opgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opgen"))
        .args(args)
        .output()
        .expect("run opgen")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The shared AgentCore versions, or `None` (after a skip line) when the
/// shared directory is absent.
fn agentcore(version: &str) -> Option<String> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/models/bedrock-agentcore"
    ))
    .join(format!("{version}.json"));
    if path.is_file() {
        Some(path.display().to_string())
    } else {
        eprintln!(
            "skipped: {} not found (../shared is absent)",
            path.display()
        );
        None
    }
}

/// A fresh directory for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("opgen-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A one-operation model of service `ex#Svc`; `extra` members are added to
/// the output.
fn small_model(extra: &str) -> String {
    format!(
        r#"{{"smithy": "2.0", "shapes": {{
  "ex#Svc": {{"type": "service", "version": "2020-01-01", "operations": [{{"target": "ex#Get"}}]}},
  "ex#Get": {{"type": "operation", "output": {{"target": "ex#GetOutput"}}}},
  "ex#GetOutput": {{"type": "structure", "members": {{
    "name": {{"target": "smithy.api#String"}}{extra}
  }}}}
}}}}"#
    )
}

#[test]
fn diff_of_agentcore_2025_07_to_2025_10_is_breaking_for_user_id() {
    let (Some(old), Some(new)) = (agentcore("2025-07-16"), agentcore("2025-10-13")) else {
        return;
    };
    let output = opgen(&["diff", &old, &new, "GetResourceOauth2Token"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("  breaking    removed member GetResourceOauth2TokenRequest$userId\n"),
        "{text}"
    );
    assert!(
        text.contains("  compatible  added member GetResourceOauth2TokenRequest$sessionUri\n"),
        "{text}"
    );
    assert!(
        text.contains("  compatible  added member GetResourceOauth2TokenResponse$sessionStatus\n"),
        "{text}"
    );
    assert_eq!(
        text.lines().last(),
        Some("5 changes: 1 breaking, 4 compatible")
    );

    // Across all three versions, `userId` is still the one breaking change.
    let Some(newest) = agentcore("2026-06-22") else {
        return;
    };
    let output = opgen(&["diff", &old, &newest]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let breaking: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("breaking    "))
        .collect();
    assert_eq!(
        breaking,
        ["  breaking    removed member GetResourceOauth2TokenRequest$userId"]
    );
}

#[test]
fn diff_of_agentcore_2025_10_to_2026_06_only_adds() {
    let (Some(old), Some(new)) = (agentcore("2025-10-13"), agentcore("2026-06-22")) else {
        return;
    };
    let output = opgen(&["diff", &old, &new]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            "  compatible  added enum value Oauth2FlowType::ON_BEHALF_OF_TOKEN_EXCHANGE\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  compatible  added member GetResourceOauth2TokenRequest$audiences\n"),
        "{text}"
    );
    assert!(!text.contains("breaking    "), "{text}");
    let summary = text.lines().last().unwrap_or_default();
    assert!(
        summary.ends_with(" changes: 0 breaking, 65 compatible"),
        "{summary}"
    );
}

#[test]
fn diff_of_a_model_with_itself_is_empty() {
    let Some(model) = agentcore("2026-06-22") else {
        return;
    };
    let output = opgen(&["diff", &model, &model]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "0 changes: 0 breaking, 0 compatible\n");
}

#[test]
fn diff_exits_2_for_an_unreadable_model_or_an_unknown_operation() {
    let dir = temp_dir("diff-exit-2");
    let model = dir.join("m.json");
    std::fs::write(&model, small_model("")).unwrap();
    let model = model.display().to_string();
    let missing = dir.join("missing.json").display().to_string();

    let output = opgen(&["diff", &missing, &model]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("missing.json"),
        "{}",
        stderr(&output)
    );

    let output = opgen(&["diff", &model, &model, "Nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no operation named \"Nope\" in either model"),
        "{}",
        stderr(&output)
    );

    let output = opgen(&["diff", &model]);
    assert_eq!(output.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A tree laid out like `aws/api-models-aws` with the models of service
/// `ex` at api-versions `2019-01-01` (old) and `2020-01-01` (the newest).
fn repository(dir: &Path, newest: &str) -> PathBuf {
    let root = dir.join("repo");
    for (version, text) in [
        ("2019-01-01", small_model("")),
        ("2020-01-01", newest.to_string()),
    ] {
        let at = root.join(format!("models/ex/service/{version}"));
        std::fs::create_dir_all(&at).unwrap();
        std::fs::write(at.join(format!("ex-{version}.json")), text).unwrap();
    }
    root
}

/// Serves `root` like the GitHub contents API under `/contents/`: a
/// directory is a JSON array of `{"name", "type"}`, a file its raw bytes,
/// anything else 404. Each connection gets one response, then is closed.
#[cfg(feature = "http")]
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/contents", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = respond(&root, stream);
        }
    });
    base
}

#[cfg(feature = "http")]
fn respond(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" {
            break;
        }
    }
    let path = request_line.split(' ').nth(1).unwrap_or("");
    let found = path
        .strip_prefix("/contents/")
        .filter(|p| !p.contains(".."))
        .map(|p| root.join(p));
    let (status, body) = match found {
        Some(p) if p.is_dir() => {
            let entries: Vec<serde_json::Value> = std::fs::read_dir(&p)?
                .flatten()
                .map(|e| {
                    let kind = if e.path().is_dir() { "dir" } else { "file" };
                    serde_json::json!({"name": e.file_name().to_string_lossy(), "type": kind})
                })
                .collect();
            ("200 OK", serde_json::to_vec(&entries).unwrap())
        }
        Some(p) if p.is_file() => ("200 OK", std::fs::read(&p)?),
        _ => ("404 Not Found", br#"{"message": "Not Found"}"#.to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

/// A crate's `model/` holding the old model of `ex`.
fn crate_model_dir(dir: &Path) -> PathBuf {
    let model = dir.join("crate/model");
    std::fs::create_dir_all(&model).unwrap();
    std::fs::write(model.join("ex-2019-01-01.json"), small_model("")).unwrap();
    model
}

fn assert_pulled(output: &Output, model: &Path, newest: &str) {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
    assert_eq!(
        std::fs::read_to_string(model.join("ex-2020-01-01.json")).unwrap(),
        newest
    );
    assert!(
        !model.join("ex-2019-01-01.json").exists(),
        "the replaced api-version stays"
    );
    let leftovers: Vec<_> = std::fs::read_dir(model).unwrap().flatten().collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    assert_eq!(
        stdout(output),
        "Get\n  compatible  added member GetOutput$size\n1 change: 0 breaking, 1 compatible\n"
    );
}

#[test]
fn model_pull_from_a_local_tree_replaces_the_model_and_prints_the_diff() {
    let dir = temp_dir("pull-local");
    let newest = small_model(r#", "size": {"target": "smithy.api#Integer"}"#);
    let root = repository(&dir, &newest);
    let model = crate_model_dir(&dir);
    let output = opgen(&[
        "model",
        "pull",
        "ex",
        "--from",
        &root.display().to_string(),
        "--into",
        &model.display().to_string(),
    ]);
    assert_pulled(&output, &model, &newest);
    assert!(
        stderr(&output).contains("fetched ex-2020-01-01.json"),
        "{}",
        stderr(&output)
    );

    // Pulled again, nothing changes.
    let again = opgen(&[
        "model",
        "pull",
        "ex",
        "--from",
        &root.display().to_string(),
        "--into",
        &model.display().to_string(),
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("is up to date"),
        "{}",
        stderr(&again)
    );
    assert_eq!(stdout(&again), "0 changes: 0 breaking, 0 compatible\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(feature = "http")]
#[test]
fn model_pull_over_http_replaces_the_model_and_prints_the_diff() {
    let dir = temp_dir("pull-http");
    let newest = small_model(r#", "size": {"target": "smithy.api#Integer"}"#);
    let base = serve(repository(&dir, &newest));
    let model = crate_model_dir(&dir);
    let output = opgen(&[
        "model",
        "pull",
        "ex",
        "--from",
        &base,
        "--into",
        &model.display().to_string(),
    ]);
    assert_pulled(&output, &model, &newest);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn model_pull_into_an_empty_crate_writes_the_model() {
    let dir = temp_dir("pull-new");
    let newest = small_model("");
    let root = repository(&dir, &newest);
    let model = dir.join("crate/model");
    let output = opgen(&[
        "model",
        "pull",
        "ex",
        "--from",
        &root.display().to_string(),
        "--into",
        &model.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(model.join("ex-2020-01-01.json").is_file());
    assert!(stderr(&output).contains("nothing to compare with"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs a pull that must fail, and checks the old model is untouched.
fn assert_pull_fails(from: &str, service: &str, dir: &Path, message: &str) {
    let model = crate_model_dir(dir);
    let output = opgen(&[
        "model",
        "pull",
        service,
        "--from",
        from,
        "--into",
        &model.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stderr(&output).contains(message), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(model.join("ex-2019-01-01.json")).unwrap(),
        small_model("")
    );
    assert_eq!(std::fs::read_dir(&model).unwrap().count(), 1);
}

#[test]
fn model_pull_of_a_missing_service_leaves_the_old_file() {
    let dir = temp_dir("pull-missing");
    let root = repository(&dir, &small_model(""));
    #[cfg(feature = "http")]
    assert_pull_fails(&serve(root.clone()), "nope", &dir, "404 Not Found");
    assert_pull_fails(
        &root.display().to_string(),
        "nope",
        &dir,
        "no service \"nope\"",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(feature = "http")]
#[test]
fn model_pull_with_the_network_down_leaves_the_old_file() {
    let dir = temp_dir("pull-down");
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    assert_pull_fails(
        &format!("http://127.0.0.1:{port}/contents"),
        "ex",
        &dir,
        "failed to connect",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn model_pull_of_an_invalid_model_leaves_the_old_file() {
    let dir = temp_dir("pull-invalid");
    let root = repository(&dir, "{\"smithy\": \"2.0\", \"shapes\": ");
    #[cfg(feature = "http")]
    assert_pull_fails(&serve(root.clone()), "ex", &dir, "is not a valid model");
    assert_pull_fails(
        &root.display().to_string(),
        "ex",
        &dir,
        "is not a valid model",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn model_pull_rejects_a_service_name_that_leaves_the_tree() {
    let dir = temp_dir("pull-traversal");
    let root = repository(&dir, &small_model(""));
    assert_pull_fails(
        &root.display().to_string(),
        "../ex",
        &dir,
        "invalid service name",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(not(feature = "http"))]
#[test]
fn model_pull_from_a_url_needs_the_http_feature() {
    let dir = temp_dir("pull-no-http");
    assert_pull_fails(
        "https://example.invalid/contents",
        "ex",
        &dir,
        "without the `http` feature",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
