//! The same scenario and seed give the same numbers on any number of
//! threads, and the statistics of trial ranges merge into those of the whole.

use clout::{CareerModel, Model, Runner, Scenario, Summary};
use std::process::Command;

#[test]
fn json_is_identical_on_1_2_and_4_threads() {
    let run = |threads: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_clout"))
            .args([
                "run",
                "snapshot",
                "--trials",
                "6000",
                "--seed",
                "77",
                "--format",
                "json",
                "--threads",
                threads,
            ])
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("4"));
}

#[test]
fn ranges_merge_exactly_into_the_whole_run() {
    let scenario = Scenario::builtin("default").unwrap();
    let model: CareerModel = scenario.career_model().unwrap();
    let runner = Runner::new(5).threads(2);
    let whole = runner.run_range(&model, 0..5000);
    // Uneven pieces that do not align with the runner's chunks.
    let mut merged = runner.run_range(&model, 0..1234).summary;
    merged.merge(&runner.run_range(&model, 1234..4097).summary);
    merged.merge(&runner.run_range(&model, 4097..5000).summary);
    assert_eq!(merged, whole.summary);
    assert_eq!(merged.trials(), 5000);
    assert_eq!(model.report(&merged), model.report(&whole.summary));
}

#[test]
fn a_different_seed_gives_different_numbers() {
    let model = Scenario::builtin("default").unwrap().career_model().unwrap();
    let a = Runner::new(1).run(&model, 3000).summary;
    let b = Runner::new(2).run(&model, 3000).summary;
    assert_ne!(a, b);
}

#[test]
fn conditional_json_is_identical_on_1_and_2_threads() {
    // micro-influencer with 20,000 creators from the given start (it asks for 200,000).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("scenarios/micro-influencer.toml")).unwrap();
    assert!(text.contains("trials = 200000"));
    let file = std::env::temp_dir().join(format!("clout-determinism-{}.toml", std::process::id()));
    std::fs::write(&file, text.replacen("trials = 200000", "trials = 20000", 1)).unwrap();
    let file = file.display().to_string();
    let run = |threads: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_clout"))
            .args(["run", &file, "--trials", "40000", "--format", "json", "--threads", threads])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    let report = &v["report"];
    assert!(report["creators_like_you"]["selection"]["trials"] == 40000, "{report}");
    assert_eq!(report["given_state"]["odds"]["trials"], 20_000);
    assert_eq!(report["given_state"]["start"]["platform_day"], 4380);
    assert!(v["summary"]["conditional"]["creators_like_you"].is_object());
}
