//! Replays every input kept under fuzz/regressions/{target}/ (crashes the fuzzer found, and
//! hand-picked nasties) through the same checks the fuzz targets run, natively, as part of
//! `cargo test`. Fuzzing itself is scripts/fuzz.sh.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::fs;
use std::path::Path;

#[test]
fn every_kept_fuzz_input_parses_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (name, check) in checks::TARGETS {
        let Ok(entries) = fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries.flatten() {
            let data = fs::read(entry.path()).expect("readable regression input");
            check(&data);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "fuzz/regressions/ holds the inputs to replay");
}

#[test]
fn every_fuzz_target_has_a_check_and_every_check_a_target() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
    let mut files: Vec<String> = fs::read_dir(dir)
        .expect("fuzz/fuzz_targets")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(String::from)
        })
        .collect();
    files.sort();
    let mut names: Vec<String> = checks::TARGETS.iter().map(|(n, _)| n.to_string()).collect();
    names.sort();
    assert_eq!(files, names);
}
