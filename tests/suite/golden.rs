//! Golden output: the JSON of a small fixed-seed Career run is pinned, so an
//! accidental change to the random stream or to the statistics is caught.
//!
//! An intentional change updates the file in a commit that says why:
//! `CLOUT_UPDATE_GOLDEN=1 cargo test --release --test suite golden::`.
//! (The pinned numbers assume IEEE-754 doubles and the platform's `exp`/`ln`;
//! a libm that rounds differently in the last bit may change a few digits.)

use clout::Scenario;
use std::path::PathBuf;

#[test]
fn career_run_matches_the_pinned_json() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let scenario = Scenario::load(dir.join("career.toml")).unwrap();
    let mut record = serde_json::to_value(scenario.run().unwrap()).unwrap();
    // The version changes with every release; everything else must not.
    record.as_object_mut().unwrap().remove("clout_version");
    let path = dir.join("career.json");
    if std::env::var_os("CLOUT_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&record).unwrap() + "\n").unwrap();
    }
    let pinned: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("tests/golden/career.json exists"))
            .unwrap();
    if record != pinned {
        let got = serde_json::to_string_pretty(&record).unwrap();
        let first_diff = got
            .lines()
            .zip(serde_json::to_string_pretty(&pinned).unwrap().lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| format!("line {}: got {a:?}, pinned {b:?}", i + 1));
        panic!("output differs from tests/golden/career.json: {}", first_diff.unwrap_or_default());
    }
}
