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

/// Inputs far larger than the fuzzer grows its own (it reached about 3 KB
/// in five minutes with `-max_len=1048576`): a 256 KiB string, a
/// 20,000-item array, nesting 20,000 deep (far past every depth limit),
/// 256 KiB of header text, through every harness. Each must hold its
/// invariants without exhausting the stack or memory.
#[test]
fn large_inputs_pass_every_harness() {
    let long_text = "x".repeat(256 << 10);
    let items = vec!["1"; 20_000].join(",");
    let deep_json = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
    let deep_xml = format!("{}{}", "<a>".repeat(20_000), "</a>".repeat(20_000));
    let bodies: Vec<Vec<u8>> = vec![
        format!("{{\"accessToken\":\"{long_text}\",\"stringValue\":\"{long_text}\"}}").into_bytes(),
        format!(
            "{{\"nodes\":[{}],\"sparse\":[{items}]}}",
            vec!["{\"name\":\"n\"}"; 10_000].join(",")
        )
        .into_bytes(),
        deep_json.clone().into_bytes(),
        deep_xml.into_bytes(),
        format!(
            "{{\"choice\":{}}}",
            "{\"node\":{\"name\":\"n\",\"children\":[".repeat(5_000)
        )
        .into_bytes(),
        vec![0x9f; 20_000], // CBOR: indefinite arrays, nested
        vec![0xff; 256 << 10],
    ];
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for body in &bodies {
        // As a response (status, headers, body), after a protocol byte for
        // the targets that read one; as a bare document for the others.
        for head in [
            "200\n\n",
            "0200\n\n",
            "1200\n\n",
            "2200\n\n",
            "0500\nx-amzn-errortype: BadShape\n\n",
        ] {
            let mut input = head.as_bytes().to_vec();
            input.extend_from_slice(body);
            inputs.push(input);
        }
        inputs.push(body.clone());
    }
    inputs.push(format!("200\nx-meta-a: {long_text}\nx-tags: {items}\n\n{{}}").into_bytes());
    inputs.push(
        format!(
            "[default]\nkey = {long_text}\n{}",
            "  continued\n".repeat(20_000)
        )
        .into_bytes(),
    );
    let mut runs = 0;
    for (target, harness) in opgen_fuzz::TARGETS {
        let started = std::time::Instant::now();
        for input in &inputs {
            eprintln!("large input of {} bytes through {target}", input.len());
            harness(input);
            runs += 1;
        }
        eprintln!("{target}: {:?}", started.elapsed());
    }
    assert_eq!(runs, inputs.len() * opgen_fuzz::TARGETS.len());
}
