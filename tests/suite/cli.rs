//! The `clout` binary: runs, formats, and refuses bad input with exit code 2.

use std::path::PathBuf;
use std::process::{Command, Output};

fn clout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clout")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clout-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn default_run_prints_the_tier_table() {
    // The default scenario estimates rare odds by importance sampling ...
    let o = clout(&["run", "--trials", "3000", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("scenario \"default\""), "{out}");
    assert!(out.contains("seed 2026"), "{out}");
    for tier in ["nano", "micro", "mid", "macro", "mega"] {
        assert!(out.contains(tier), "{tier} missing from\n{out}");
    }
    // The answer comes first, in words; the method below it, in one paragraph.
    assert!(out.starts_with("A new creator on a mature platform"), "{out}");
    let answer = out.lines().nth(1).unwrap();
    assert!(
        answer.starts_with("The chance of reaching macro (500,000 followers) within 5 years (1,825 days): ")
            && answer.contains("about 1 in "),
        "{out}"
    );
    assert!(out.contains("\n* macro ") && out.contains("Method: importance sampling of the traits"), "{out}");
    assert!(!out.contains("hit ESS") && out.contains("--verbose shows the pilot"), "{out}");
    let o = clout(&["run", "--trials", "3000", "--quiet", "--verbose"]);
    assert!(stdout(&o).contains("hit ESS") && stdout(&o).contains("Pilot: "), "{}", stdout(&o));
    // ... and --method brute gives the plain Monte Carlo table, Clopper-Pearson with --verbose.
    let o = clout(&["run", "--trials", "3000", "--quiet", "--method", "brute"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Method: plain Monte Carlo, 3,000 careers") && out.contains("Wilson"), "{out}");
    assert!(out.contains("\n* macro ") && !out.contains("Clopper-Pearson"), "{out}");
    let o = clout(&["run", "--trials", "3000", "--quiet", "--method", "brute", "-v"]);
    assert!(stdout(&o).contains("Clopper-Pearson"), "{}", stdout(&o));
}

#[test]
fn json_output_records_seed_scenario_and_version() {
    let o = clout(&["run", "what-if", "--trials", "2000", "--seed", "9", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["schema"], "clout.run/7");
    assert_eq!(v["clout_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["seed"], 9);
    assert_eq!(v["scenario"]["run"]["trials"], 2000);
    assert_eq!(v["scenario"]["name"], "what-if");
    assert_eq!(v["scenario"]["population"]["talent"]["value"], 0.7);
    assert_eq!(v["scenario"]["platform"]["conversion"], 0.02, "defaults are filled in");
    let levels = v["report"]["levels"].as_array().unwrap();
    assert_eq!(levels.len(), 5);
    let macro_tier = &levels[3];
    assert_eq!(
        (&macro_tier["level"], &macro_tier["tier"], &macro_tier["goal"]),
        (&"macro".into(), &"macro".into(), &true.into())
    );
    assert_eq!((&macro_tier["method"], &macro_tier["trials"]), (&"brute".into(), &2000.into()));
    let estimate = macro_tier["estimate"].as_f64().unwrap();
    assert!(macro_tier["lower"].as_f64().unwrap() <= estimate);
    assert!(macro_tier["clopper_pearson"]["upper"].as_f64().unwrap() >= estimate);
}

#[test]
fn csv_has_one_row_per_tier() {
    let o = clout(&["run", "--trials", "1000", "--format", "csv", "--method", "brute"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    // A header, a row per level, then five rows (mean, p10, p50, p90, p99)
    // for each of the eight trajectory days, in the columns after the levels'.
    assert_eq!(lines.len(), 1 + 5 + 8 * 5, "{out}");
    assert!(lines[0].starts_with(
        "level,threshold,goal,method,trials,hits,chance,std_error,lower,upper,trusted,note,cp_lower"
    ));
    assert!(lines[0].ends_with(
        ",days_p90,day,observed,statistic,followers,followers_lower,followers_upper,followers_trusted"
    ));
    assert!(lines[4].starts_with("macro,500000,true,brute,1000,"), "macro is the goal: {}", lines[4]);
    assert!(lines[4].ends_with(",,,,,,,"), "no day on a level's row: {}", lines[4]);
    let lead = ",".repeat(18);
    assert!(lines[6].starts_with(&format!("{lead}30,1000,mean,")), "{}", lines[6]);
    assert!(lines[45].starts_with(&format!("{lead}1825,1000,p99,")), "{}", lines[45]);
    assert!(lines.iter().all(|l| l.split(',').count() == 25), "every row has every column");
    let o = clout(&["run", "gibrat", "--trials", "2000", "--format", "csv", "--method", "rare"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("level,threshold,goal,method,trials,hits,chance,std_error,lower,upper,trusted,note,relative_half_width"), "{out}");
    assert!(lines[1].starts_with("barrier,10000,true,rare,2000,"), "{out}");
}

#[test]
fn out_writes_a_file() {
    let path = std::env::temp_dir().join(format!("clout-out-{}.json", std::process::id()));
    let o = clout(&["run", "--trials", "500", "--format", "json", "--out", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["scenario"]["run"]["trials"], 500);
}

#[test]
fn bad_value_exits_2_naming_file_field_value_and_range() {
    let path = temp_file("bad.toml", "[population]\ntalent = { dist = \"normal\", mean = 0.5, sd = -1 }\n");
    let o = clout(&["run", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.toml:2:41: population.talent.sd = -1: must be > 0"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unknown_field_and_syntax_errors_exit_2() {
    for (name, text, expected) in [
        ("typo.toml", "[platform]\nconversoin = 0.1\n", "unknown field `conversoin`"),
        ("syntax.toml", "[run\ntrials = 3\n", "syntax.toml:1:5:"),
        ("type.toml", "[run]\ntrials = \"many\"\n", "type.toml:2:1: run.trials: invalid type: string"),
        ("neg.toml", "[run]\ntrials = -5\n", "neg.toml:2:1: run.trials: invalid value: integer `-5`"),
        ("nan.toml", "[platform]\nshare_rate = nan\n", "platform.share_rate = NaN: must be a finite number"),
        (
            "huge.toml",
            "[run]\ntrials = 9000000000000000000\n",
            "run.trials = 9000000000000000000: must lie in",
        ),
        (
            "horizon.toml",
            "[observation]\nkind = \"cohort\"\nhorizon_days = 0\n",
            "observation.horizon_days = 0",
        ),
        ("kind.toml", "[observation]\nkind = \"forever\"\n", "forever"),
    ] {
        let path = temp_file(name, text);
        let o = clout(&["check", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(name), "{name}: the error names the file: {err}");
        assert!(err.contains(expected), "{name}: expected {expected:?} in {err}");
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
    }
}

#[test]
fn missing_file_and_unknown_builtin_exit_2() {
    let o = clout(&["run", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.toml: cannot read"), "{}", stderr(&o));
    let o = clout(&["run", "no-such-scenario"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the built-in ones are: default"), "{}", stderr(&o));
    let o = clout(&["run", "--trials", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("'--trials <TRIALS>': the number of trials must be a whole number from 1"),
        "{}",
        stderr(&o)
    );
    let o = clout(&["run", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = clout(&["run", "--threads", "100000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--threads"), "{}", stderr(&o));
    let o = clout(&["run", "--trials", "-5"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_prints_the_resolved_scenario_and_scenarios_lists_builtins() {
    let o = clout(&["check", "what-if"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("[platform]") && out.contains("conversion = 0.02"), "{out}");
    let o = clout(&["scenarios"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for name in ["default", "early-entrant", "late-entrant", "what-if", "snapshot"] {
        assert!(out.contains(name), "{name} missing: {out}");
    }
}

#[test]
fn every_shipped_scenario_file_checks() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    let files = std::fs::read_dir(&root).unwrap().chain(std::fs::read_dir(root.join("validation")).unwrap());
    for entry in files {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let o = clout(&["check", path.to_str().unwrap()]);
            assert!(o.status.success(), "{}: {}", path.display(), stderr(&o));
            n += 1;
        }
    }
    assert!(n >= 10, "found {n} scenario files");
}

#[test]
fn help_explains_the_commands() {
    let o = clout(&["--help"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for word in ["run", "check", "scenarios", "Examples"] {
        assert!(out.contains(word), "{word} missing: {out}");
    }
}

/// A shipped scenario written to `dir` with its first `from` replaced by
/// `to` (a smaller run for a test that needs no precision); its path.
fn smaller(dir: &std::path::Path, name: &str, from: &str, to: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let text = std::fs::read_to_string(root.join(format!("{name}.toml"))).unwrap();
    assert!(text.contains(from), "{name}.toml has no {from:?}");
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    file.display().to_string()
}

#[test]
fn micro_influencer_prints_both_answers_in_words() {
    // 10,000 creators from the given state (the scenario asks for 200,000).
    let dir = std::env::temp_dir().join(format!("clout-micro-{}", std::process::id()));
    let micro = smaller(&dir, "micro-influencer", "trials = 200000", "trials = 10000");
    let o = clout(&["run", &micro, "--trials", "20000", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for words in [
        "CREATORS LIKE YOU: creators with 9,000 to 11,000 followers on some career day in 730 +- 30, still posting.",
        "20,000 creators simulated from their first day;",
        "GIVEN YOUR STATE: 10,000 followers on career day 730 (platform day 4380",
        "talent 0.692 (the population's 90th percentile)",
        "creators like you",
        "given your state",
        "What creators like you are like, beside all creators",
    ] {
        assert!(out.contains(words), "missing {words:?} in\n{out}");
    }
    assert!(!out.contains("NaN"), "{out}");
    // Tiers the state has reached already are said so, not given a
    // zero-width interval; the tiers above have their odds.
    let row = |tier: &str| out.lines().find(|l| l.trim_start_matches(['*', ' ']).starts_with(tier)).unwrap();
    assert!(row("nano").ends_with("reached already") && row("micro").ends_with("reached already"), "{out}");
    assert!(row("mid").ends_with(']'), "{out}");
    let csv = stdout(&clout(&["run", &micro, "--trials", "20000", "--format", "csv"]));
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("answer,level,threshold,goal,method,"));
    assert_eq!(csv.lines().filter(|l| l.starts_with("given_state,")).count(), 5, "{csv}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn huge_or_endless_inputs_are_refused_in_bounded_memory() {
    // /dev/zero is endless: the reader stops after its limit.
    let o = clout(&["run", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: /dev/zero: is larger than 1024 KiB; a scenario is a short text file (is this the right file?)\n"
    );
    // Records are parsed as they are read: /dev/zero is not JSON from its
    // first byte, a file larger than any record is refused before any byte
    // is read, and an endless stream of JSON whitespace stops at 256 MiB.
    let o = clout(&["merge", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: /dev/zero: not a JSON record: expected value at line 1 column 1\n");
    let sparse = temp_file("sparse.json", "");
    std::fs::File::options().write(true).open(&sparse).unwrap().set_len(300 << 20).unwrap();
    let o = clout(&["show", sparse.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).ends_with("sparse.json: is larger than 256 MiB, more than any clout record\n"),
        "{}",
        stderr(&o)
    );
    let fifo = std::env::temp_dir().join(format!("clout-cli-test-{}-fifo", std::process::id()));
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut pipe = std::fs::File::options().write(true).open(fifo).unwrap();
            let spaces = vec![b' '; 1 << 16];
            while pipe.write_all(&spaces).is_ok() {}
        })
    };
    let o = clout(&["merge", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    std::fs::remove_file(&fifo).ok();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).ends_with("-fifo: is larger than 256 MiB, more than any clout record\n"),
        "{}",
        stderr(&o)
    );
    let long_name = temp_file("long.toml", &format!("name = \"{}\"\n", "x".repeat(1_000_000)));
    let o = clout(&["run", long_name.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1);
    assert!(
        stderr(&o).contains("name = (1000000 characters): must be at most 200 characters"),
        "{}",
        stderr(&o)
    );
    let binary = temp_file("binary.toml", "\u{0}\u{ff}");
    std::fs::write(&binary, [0xffu8, 0xfe, 0x00]).unwrap();
    let o = clout(&["run", binary.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not UTF-8 text"), "{}", stderr(&o));
}

/// Forged records that once made `clout merge` build far more than their
/// text (a 63 MB grid of `1,` peaked at 7.04 GiB; 20 histograms of one bucket
/// near `u64::MAX`, 40 KB of text, at 756 MiB) are refused as they are read,
/// in one line naming the field: lists longer than any record holds, and a
/// sweep's grid of more values than any scenario needs.
#[test]
fn forged_lists_and_tables_are_refused_as_they_are_read() {
    let o = clout(&["sweep", "effort-vs-timing", "--trials", "50", "--format", "json", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sweep: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let refused = |name: &str, record: &serde_json::Value, expected: &str| {
        let path = temp_file(name, &record.to_string());
        let o = clout(&["merge", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{}", stderr(&o));
    };
    let mut many = sweep.clone();
    let point = many["summary"]["points"][0].clone();
    many["summary"]["points"] = serde_json::Value::Array(vec![point; 10_001]);
    refused("points.json", &many, "not a clout.sweep/6 record: summary.points: more than 10000 items");
    let mut grid = sweep.clone();
    grid["scenario"]["sweep"]["grid"]["population.entry_day"] =
        serde_json::Value::Array(vec![1.into(); 100_000]);
    refused("grid.json", &grid, "not a clout.sweep/6 record: sweep.grid: more than 100000 values");
    let mut ranges = sweep;
    let many_ranges: Vec<serde_json::Value> =
        (0..=1u64 << 20).map(|k| serde_json::json!([2 * k, 2 * k + 1])).collect();
    ranges["coverage"] = serde_json::json!([{ "part": "trials", "of": 1u64 << 40, "ranges": many_ranges }]);
    refused("ranges.json", &ranges, "coverage.ranges: more than 1048576 items");
}

/// Found by the record fuzz target (a key `"sc\nario"`): an error quoting a
/// field's name or a file's name with a newline in it printed two lines.
/// What an error quotes is now escaped, in the library's errors and in what
/// the command prints.
#[test]
fn errors_quoting_a_newline_stay_on_one_line() {
    use clout::study::files::{calibration_from_text, record_from_reader};
    use clout::study::run::PlainRun;
    let text = "{\"schema\": \"clout.run/7\", \"sc\\nario\": {}}";
    let e = record_from_reader::<PlainRun>(text.as_bytes(), "forged\n.json").unwrap_err().to_string();
    assert!(e.starts_with("forged\\n.json: not a clout.run/7 record: unknown field `sc\\nario`"), "{e}");
    let text = "{\"schema\": \"clout.calibration/4\", \"sc\\nario\": {}}";
    let e = calibration_from_text(text, "c.json").unwrap_err().to_string();
    assert!(!e.contains('\n') && e.contains("unknown field `sc\\nario`"), "{e}");
    let path = temp_file("newline-key.json", "{\"schema\": \"clout.run/7\", \"sc\\nario\": {}}");
    let o = clout(&["merge", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("unknown field `sc\\nario`"), "{}", stderr(&o));
}

#[test]
fn command_line_values_name_the_flag_and_the_range_in_one_line() {
    for (args, expected) in [
        (
            &["run", "--trials", "-5"][..],
            "'--trials <TRIALS>': the number of trials must be a whole number from 1 to 1000000000000",
        ),
        (
            &["run", "--trials", "1e20"][..],
            "the number of trials must be a whole number from 1 to 1000000000000",
        ),
        (
            &["run", "--seed", "9223372036854775808"][..],
            "the seed must be a whole number from 0 to 9223372036854775807",
        ),
        (&["run", "--seed", "-1"][..], "'--seed <SEED>'"),
        (&["run", "--threads", "2000"][..], "from 0 to 1024"),
        (&["sweep"][..], "required arguments were not provided: <SCENARIO>"),
    ] {
        let o = clout(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("-- -"), "{args:?}: no advice to write `-- -1`: {err}");
    }
    // Scientific notation is a whole number too.
    let o = clout(&["run", "--trials", "2e3", "--quiet", "--method", "brute"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2,000 careers"), "{}", stdout(&o));
    let o =
        clout(&["run", "--trials", "100", "--seed", "9223372036854775807", "--quiet", "--method", "brute"]);
    assert!(o.status.success(), "the largest seed is accepted: {}", stderr(&o));
}

#[test]
fn calibrate_prints_the_fit_in_every_format_and_refuses_bad_targets() {
    // A tiny calibration of the built-in snapshot scenario (a path relative
    // to the targets file also works; a built-in name is used here).
    let targets = temp_file(
        "targets.toml",
        "name = \"tiny\"\nscenario = \"snapshot\"\n[run]\ntrials = 3000\nmax_evaluations = 6\n\
         [shares]\nnano = 0.8\nmicro-mega = 0.2\n\
         [fit]\n\"platform.share_rate\" = { low = 0.1, high = 1.0, scale = \"log\" }\n\
         [[check]]\nname = \"top\"\nabove = 50000\ngiven = 10000\nvalue = 0.2\n",
    );
    let path = targets.to_str().unwrap();
    let scenario = targets.with_file_name("fitted.toml");
    let o = clout(&["calibrate", path, "--quiet", "--write-scenario", scenario.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for text in [
        "calibration \"tiny\"",
        "platform.share_rate",
        "targets against the fitted model",
        "held-out checks",
        "verdict",
    ] {
        assert!(out.contains(text), "{text} missing from\n{out}");
    }
    let fitted = std::fs::read_to_string(&scenario).unwrap();
    assert!(fitted.contains("share_rate"), "{fitted}");
    let o = clout(&["calibrate", path, "--quiet", "--format", "json", "--seed", "9"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["schema"], "clout.calibration/4");
    assert_eq!(json["targets"]["run"]["seed"], 9);
    assert_eq!(json["report"]["search"]["verify_seed"], 10);
    assert!(json["clout_version"].is_string());
    let o = clout(&["calibrate", path, "--quiet", "--format", "csv"]);
    let csv = stdout(&o);
    assert!(
        csv.starts_with("kind,name,target,value,lower,upper,note,trusted\nparameter,\"platform.share_rate\""),
        "{csv}"
    );
    assert_eq!(csv.lines().filter(|l| l.starts_with("band,")).count(), 2, "{csv}");

    let bad =
        temp_file("bad-targets.toml", "name = \"x\"\nscenario = \"snapshot\"\n[shares]\nnano = 2\n[fit]\n");
    let o = clout(&["calibrate", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("bad-targets.toml: shares.nano = 2: must lie in [0, 1]"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    let o = clout(&["calibrate", "no-such-targets"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hypeauditor-2026"), "{}", stderr(&o));
}

#[test]
fn attribute_and_delusion_print_in_every_format_and_refuse_bad_input() {
    let sizes =
        ["--sobol-rows", "2000", "--replay-creators", "1000", "--counterfactual-creators", "2000", "--quiet"];
    let o = clout(&[&["attribute", "why-creators-succeed"], &sizes[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "SOBOL INDICES",
        "ranked by total",
        "RE-RUNNING HISTORY",
        "COUNTERFACTUALS",
        "twice the effort",
        "seed 2026",
    ] {
        assert!(out.contains(needle), "{needle} missing from\n{out}");
    }
    let o = clout(&[&["attribute", "default", "--format", "json", "--seed", "7"], &sizes[..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["schema"], "clout.attribution/4");
    assert_eq!(json["seed"], 7);
    assert_eq!(json["scenario"]["name"], "default");
    assert_eq!(json["clout_version"], env!("CARGO_PKG_VERSION"));
    let o = clout(&[&["attribute", "default", "--format", "csv"], &sizes[..]].concat());
    let csv = stdout(&o);
    assert!(
        csv.starts_with(
            "scenario,seed,clout_version,part,output,input,statistic,value,std_error,lower,upper,trusted\n"
        ),
        "{csv}"
    );
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        csv.contains(&format!("\"default\",2026,{version},sobol,\"log10(1+followers)\",\"luck\",total,")),
        "{csv}"
    );

    let o = clout(&["delusion", "--trials", "20000", "--snapshot-trials", "20000", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in ["THE DELUSION GAP", "survivor", "visible", "self_assessed", "extrapolated", "x true odds"]
    {
        assert!(out.contains(needle), "{needle} missing from\n{out}");
    }
    // 20,000 snapshot accounts hold almost no impressions at macro: the
    // visible view's interval is flagged in words, and in JSON below.
    assert!(out.contains("NOT TRUSTED: visible's interval"), "{out}");
    let o = clout(&[
        "delusion",
        "--trials",
        "20000",
        "--snapshot-trials",
        "20000",
        "--quiet",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["schema"], "clout.delusion/4");
    assert_eq!(json["scenario"]["name"], "delusion-gap");
    let views = json["report"]["views"].as_array().unwrap();
    let trusted = |name: &str| views.iter().find(|v| v["view"] == name).unwrap()["trusted"].clone();
    assert_eq!((trusted("visible"), trusted("true")), (false.into(), true.into()));
    let o =
        clout(&["delusion", "--trials", "20000", "--snapshot-trials", "20000", "--quiet", "--format", "csv"]);
    assert!(stdout(&o).lines().count() == 9, "{}", stdout(&o));

    // Bad input: one line, exit 2, naming the file and the field.
    let bad = temp_file("bad-attribute.toml", "name = \"x\"\n[attribute]\nreplays = 100\n");
    let o = clout(&["attribute", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("attribute.replays = 100: must lie in [2, 64]"), "{}", stderr(&o));
    let o = clout(&["delusion", "default"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("default: condition = (missing)"), "{}", stderr(&o));
    let o = clout(&["attribute", "yule"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("attribution needs model = \"career\""), "{}", stderr(&o));
}

/// A write that fails half-way (here the file-size limit, `ulimit -f`, as a
/// full disk or a quota would) leaves the file that was there whole, and
/// no temporary file behind; an output folder that does not exist is
/// refused before any work (exit 2, not 1 after the run).
#[test]
fn a_failed_write_destroys_nothing() {
    let dir = std::env::temp_dir().join(format!("clout-cli-atomic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("precious.json");
    std::fs::write(&out, "the record that was here\n").unwrap();
    // 1 KiB may be written; the record is far longer. SIGXFSZ is ignored
    // (inherited through exec), so the write fails with EFBIG instead.
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -f 1; trap '' XFSZ; exec '{}' run gibrat --trials 2000 --format json --out '{}'",
            env!("CARGO_BIN_EXE_clout"),
            out.display()
        ))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("precious.json: cannot write"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the record that was here\n");
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, vec![std::ffi::OsString::from("precious.json")], "no temporary file is left");
    // Without the limit the same write replaces the file whole.
    let o = clout(&["run", "gibrat", "--trials", "2000", "--format", "json", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["scenario"]["run"]["trials"], 2000);

    // A missing folder is refused up front, by every command that writes.
    let missing = dir.join("no-such-folder").join("x.json");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["run", "gibrat", "--out", missing],
        vec!["sweep", "effort-vs-timing", "--out", missing],
        vec!["attribute", "--out", missing],
        vec!["delusion", "--out", missing],
        vec!["calibrate", "hypeauditor-2026", "--out", missing],
    ] {
        let o = clout(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("x.json: cannot write there"), "{args:?}: {}", stderr(&o));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Inputs that used to be accepted without a word (issue 22): a sweep given
/// to a command that runs one scenario, a counterfactual that sets a trait
/// outside its range, a follower count at the last review beyond any
/// niche, and a fit of a whole-number field are refused in one line before
/// any work; a calibration of very few careers gives a deviance that is
/// never negative (empty bands raised to a floor are renormalised).
#[test]
fn inputs_once_accepted_without_a_word_are_refused() {
    let sweep = temp_file(
        "with-sweep.toml",
        "name = \"s\"\ndescription = \"d\"\n[sweep.grid]\n\"population.talent\" = [0.3, 0.5]\n",
    );
    for command in ["attribute", "delusion"] {
        let o = clout(&[command, sweep.to_str().unwrap(), "--quiet"]);
        assert_eq!(o.status.code(), Some(2), "{command}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("sweep = (a section)") && stderr(&o).contains("clout sweep"),
            "{}",
            stderr(&o)
        );
    }
    let set = temp_file(
        "set-5.toml",
        "name = \"c\"\ndescription = \"d\"\n[[attribute.counterfactuals]]\nname = \"genius\"\ntalent = { set = 5 }\n",
    );
    let o = clout(&["attribute", set.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("talent.set = 5: must lie in the trait's range [0, 1]"), "{}", stderr(&o));
    let state = temp_file(
        "huge-review.toml",
        "name = \"g\"\ndescription = \"d\"\n[start]\nfollowers = 12000\ncareer_day = 730\nplatform_day = 4380\n\
         followers_at_last_review = 9223372036854775807\n",
    );
    let o = clout(&["run", state.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("start.followers_at_last_review = 9223372036854775807: must be at most 1e12"),
        "{}",
        stderr(&o)
    );

    let targets =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/targets/hypeauditor-2026.toml"))
            .unwrap();
    let few = targets
        .replace("trials = 150000", "trials = 1")
        .replace("max_evaluations = 300", "max_evaluations = 6");
    let whole = few.replace(
        "\"population.niche.sigma\" = { low = 0.2, high = 3.0, start = 1.5 }",
        "\"persistence.review_days\" = { low = 5, high = 60, start = 30 }",
    );
    let o = clout(&["calibrate", temp_file("whole.toml", &whole).to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("fit.\"persistence.review_days\" = (path): cannot take a fitted value"),
        "{}",
        stderr(&o)
    );
    let o =
        clout(&["calibrate", temp_file("few.toml", &few).to_str().unwrap(), "--quiet", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for field in ["deviance", "deviance_search"] {
        assert!(json["report"][field].as_f64().unwrap() >= 0.0, "{field}: {}", json["report"][field]);
    }
}

/// One rule for huge work in every command (issue 22): above 1e9 careers,
/// clout refuses in one line saying how long it would take, unless
/// `--allow-large`; before, only sweeps asked, and a file could start
/// years of work without a word.
#[test]
fn huge_work_asks_for_allow_large_in_every_command() {
    for args in [
        vec!["run", "default", "--trials", "1e12"],
        vec!["sweep", "effort-vs-timing", "--trials", "1e9"],
        vec!["attribute", "--sobol-rows", "1e9"],
        vec!["delusion", "--trials", "1e12"],
        vec!["calibrate", "hypeauditor-2026", "--trials", "1e8"],
    ] {
        let o = clout(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.lines().count() == 1
                && e.contains("is more than 1e9 careers: about")
                && e.contains("--allow-large"),
            "{args:?}: {e}"
        );
    }
    // The estimate scales with the threads: 1e12 careers on 2 threads.
    let e = stderr(&clout(&["run", "default", "--trials", "1e12", "--threads", "2"]));
    assert!(e.contains("about 145 days on 2 thread(s)"), "{e}");
}

#[test]
fn creators_writes_a_row_per_creator_and_refuses_what_it_cannot() {
    let dir = temp_file("creators-dir-marker", "").parent().unwrap().join("creators");
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let file = path(&format!("c{threads}.csv"));
        let o =
            clout(&["run", "what-if", "--trials", "3000", "--threads", threads, "-q", "--creators", &file]);
        assert!(o.status.success(), "{}", stderr(&o));
        files.push(std::fs::read_to_string(&file).unwrap());
    }
    assert_eq!(files[0], files[1], "the same rows on 1 and 2 threads");
    assert_eq!(files[0].lines().count(), 3_001);
    assert!(files[0].starts_with("trial,talent,effort,entry_day,niche,weight,followers,day_nano,"));
    assert!(files[0].lines().nth(1).unwrap().starts_with("0,0.7,5,"), "what-if's fixed creator");
    // Refused before any work, in one line, leaving no file.
    let bad = path("bad.csv");
    for (args, words) in [
        (vec!["run", "gibrat", "--creators", &bad], "gibrat: --creators "),
        (vec!["run", "micro-influencer", "--creators", &bad], "not conditional odds"),
        (
            vec!["run", "--method", "brute", "--trials", "2e6", "--creators", &bad],
            "--creators = 2000000 rows: is more than 1e6 rows: a file of about 200 MB",
        ),
    ] {
        let o = clout(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains(words), "{args:?}: {}", stderr(&o));
    }
    assert!(!std::path::Path::new(&bad).exists());
    let o = clout(&["run", "what-if", "--creators", &path("missing/c.csv")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing/c.csv: cannot write there"), "{}", stderr(&o));
    assert!(stdout(&clout(&["run", "--help"])).contains("--creators <FILE.csv>"));
}

/// Small words of issue 20: a goal nobody reached says how many tried and
/// what the interval bounds ("about 1 in none reached it" before), and a
/// scenario without a name or description has a clean first line
/// (`scenario "":  |` before).
#[test]
fn a_goal_nobody_reached_and_an_unnamed_scenario_read_cleanly() {
    let o = clout(&["run", "what-if", "--trials", "300", "--method", "brute", "--quiet"]);
    let out = stdout(&o);
    let goal = out.lines().find(|l| l.starts_with("The chance of reaching macro")).unwrap();
    assert!(goal.ends_with(": below 1.26% (none of 300 reached it; 95% upper bound, 1 in 79)"), "{goal}");
    let unnamed = temp_file("unnamed.toml", "model = \"gibrat\"\n[run]\ntrials = 10\n");
    let o = clout(&["run", unnamed.to_str().unwrap(), "--quiet"]);
    assert!(
        stdout(&o).lines().any(|l| l.starts_with(&format!(
            "clout {} | scenario (unnamed) | model Gibrat",
            env!("CARGO_PKG_VERSION")
        ))),
        "{}",
        stdout(&o)
    );
}

/// `--method rare` on a file whose method is "brute" but which has a
/// `[rare]` section runs the rare method with that section's settings (it
/// was refused at load: issue 20).
#[test]
fn method_rare_overrides_a_brute_file_with_a_rare_section() {
    let file = temp_file(
        "brute-with-rare.toml",
        "name = \"r\"\ndescription = \"d\"\n[run]\ntrials = 300\nmethod = \"brute\"\n[rare]\npilot_roots = 2000\n",
    );
    let o = clout(&["run", file.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Wilson"), "brute as the file says: {}", stdout(&o));
    let o = clout(&["run", file.to_str().unwrap(), "--method", "rare", "--quiet", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["scenario"]["run"]["method"], "rare");
    assert_eq!(json["scenario"]["rare"]["pilot_roots"], 2000);
}

/// `clout show` gives back, from a saved record of every kind, the table the
/// command printed (all but its timing line), and its CSV.
#[test]
fn show_gives_back_what_each_command_printed() {
    let dir = std::env::temp_dir().join(format!("clout-show-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The default and micro-influencer scenarios, smaller: a pilot of 2,000
    // roots a round, 5,000 creators from the given start (each is run three times).
    let default = smaller(&dir, "default", "pilot_roots = 10000", "pilot_roots = 2000");
    let micro = smaller(&dir, "micro-influencer", "trials = 200000", "trials = 5000");
    let runs: [&[&str]; 6] = [
        &["run", "what-if", "--trials", "2000"],
        &["run", &default, "--trials", "2000"],
        &["run", &micro, "--trials", "3000"],
        &["sweep", "effort-vs-timing", "--trials", "300"],
        &["attribute", "--sobol-rows", "200", "--replay-creators", "50", "--counterfactual-creators", "200"],
        &["delusion", "--trials", "2000", "--snapshot-trials", "500"],
    ];
    for (k, command) in runs.iter().enumerate() {
        let file = dir.join(format!("{k}.json")).display().to_string();
        let table = clout(&[command, &["-q"][..]].concat());
        assert!(table.status.success(), "{command:?}: {}", stderr(&table));
        let printed = stdout(&table);
        let untimed = &printed[..printed.trim_end().rfind('\n').unwrap() + 1];
        let json = clout(&[command, &["-q", "--format", "json", "--out", &file][..]].concat());
        assert!(json.status.success(), "{command:?}: {}", stderr(&json));
        let shown = clout(&["show", &file]);
        assert!(shown.status.success(), "{command:?}: {}", stderr(&shown));
        assert_eq!(stdout(&shown), untimed, "{command:?}");
        let csv = clout(&[command, &["-q", "--format", "csv"][..]].concat());
        assert_eq!(stdout(&clout(&["show", &file, "--format", "csv"])), stdout(&csv), "{command:?}");
    }
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "{\"schema\": \"clout.nothing/1\"}").unwrap();
    let o = clout(&["show", junk.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a clout record") && stderr(&o).lines().count() == 1, "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// `--target` asks about any level and importance sampling aims at it;
/// `--years` sets the horizon; both refuse what they cannot mean in one line.
#[test]
fn target_and_years_ask_the_users_own_question() {
    let o = clout(&["run", "--target", "100k", "--years", "3", "--trials", "3000", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let answer = out.lines().nth(1).unwrap();
    assert!(
        answer.starts_with("The chance of reaching 100k (100,000 followers) within 3 years (1,095 days): "),
        "{out}"
    );
    assert!(out.contains("tilted towards 100k") && out.contains("\n* 100k "), "{out}");
    assert!(out.lines().next().unwrap().ends_with("(followed 3 years here: --years 3)."), "{out}");
    let o = clout(&["run", "--target", "500k", "--trials", "2000", "--quiet", "--method", "brute"]);
    assert!(stdout(&o).contains("The chance of reaching macro (500,000 followers)"), "{}", stdout(&o));
    // An income a year (with [money]): it joins the levels and leads the
    // answer; importance sampling aims at it.
    let o = clout(&["run", "make-a-living", "--target", "$50k", "--trials", "3000", "--quiet"]);
    let out = stdout(&o);
    assert!(
        out.lines()
            .nth(1)
            .unwrap()
            .starts_with("The chance of earning at least $50,000 a year (the last 365 days observed): "),
        "{out}"
    );
    assert!(out.contains("; $50k ") && out.contains("\n  $50k "), "{out}");
    let o = clout(&[
        "run",
        "make-a-living",
        "--target",
        "$50k",
        "--trials",
        "500",
        "--quiet",
        "--method",
        "rare",
    ]);
    let out = stdout(&o);
    assert!(out.contains("tilted towards $50k") && out.contains("\n* $50k "), "{out}");
    // The delusion gap asks about an income too: its block in money.
    let file = format!("{}/scenarios/delusion-money.toml", env!("CARGO_MANIFEST_DIR"));
    let o = clout(&[
        "delusion",
        &file,
        "--target",
        "$50k",
        "--trials",
        "20000",
        "--snapshot-trials",
        "2000",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let record: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(record["report"]["money"]["goal"].as_f64(), Some(50_000.0), "{record}");
    assert_eq!(record["report"]["tier"], "macro", "the follower level is the file's");
    for (args, says) in [
        (
            vec!["run", "--target", "$50k"],
            "--target $50k: money = (absent): an income target ($50k) needs a [money] section",
        ),
        (vec!["run", "make-a-living", "--target", "$-5"], "\"$-5\" is not an income a year"),
        (vec!["run", "--target", "huge"], "\"huge\" is neither a tier"),
        (vec!["run", "--target", "0"], "neither a tier"),
        (
            vec!["run", "--target", "1k engaged"],
            "--target 1k engaged: engagement = (absent): an engaged-audience target (1k engaged) needs",
        ),
        (vec!["run", "make-a-living", "--target", "x engaged"], "\"x engaged\" is not an engaged audience"),
        (vec!["delusion", "--target", "1k engaged"], "`delusion` asks about follower levels and incomes"),
        (
            vec!["sweep", "effort-vs-timing", "--target", "1k engaged"],
            "an engaged-audience target (1k engaged) needs an [engagement] or [money] section",
        ),
        (vec!["run", "--years", "0"], "is not a number of years from 0.1 to 100"),
        (vec!["run", "snapshot", "--years", "2"], "--years: this scenario observes a snapshot"),
    ] {
        let o = clout(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let e = stderr(&o);
        assert!(e.contains(says) && e.trim_end().lines().count() == 1, "{args:?}: {e}");
    }
}

/// Every command's table opens with its question and answer in words, and
/// names what ran on its last line (issue 20).
#[test]
fn every_study_table_opens_with_its_answer() {
    for (args, opening) in [
        (
            vec!["sweep", "effort-vs-timing", "--trials", "500"],
            "Which point gives the best chance of reaching macro (500,000 followers)? ",
        ),
        (
            vec![
                "attribute",
                "--sobol-rows",
                "300",
                "--replay-creators",
                "20",
                "--counterfactual-creators",
                "100",
            ],
            "What decides how far a creator gets (log10(1+followers))? ",
        ),
        (
            vec!["delusion", "--trials", "3000", "--snapshot-trials", "3000"],
            "Is a creator like you who expects to reach macro (500,000 followers) being realistic? ",
        ),
    ] {
        let mut all = args.clone();
        all.push("--quiet");
        let o = clout(&all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.starts_with(opening), "{args:?}:\n{out}");
        let last = out.trim_end().lines().rfind(|l| !l.starts_with("ran in")).unwrap();
        assert!(last.starts_with(&format!("clout {} | ", env!("CARGO_PKG_VERSION"))), "{args:?}: {last}");
    }
}

/// `clout attribute --target` asks what decides reaching an income or an
/// engaged audience: the answer leads with log followers, then the target's
/// own ranking (or why it has none), and the command to run again names it.
#[test]
fn attribute_answers_what_decides_the_target() {
    let sizes = ["--replay-creators", "20", "--counterfactual-creators", "100", "--quiet"];
    let engaged =
        [&["attribute", "make-a-living", "--target", "1k engaged", "--sobol-rows", "30000"][..], &sizes]
            .concat();
    let o = clout(&engaged);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let second = out.lines().find(|l| l.starts_with("What decides whether")).unwrap_or_default();
    let asked = "What decides whether a creator reaches 1k engaged (engagements a post at the horizon)? \
                 Each input's share";
    assert!(second.starts_with(asked), "{out}");
    let ranked = out.lines().skip_while(|l| !l.starts_with(asked)).nth(1).unwrap_or_default();
    assert!(ranked.contains("effort ") && ranked.contains("luck "), "{out}");
    assert!(out.contains("\n1k engaged (odds ") && out.contains("log10(1+engaged audience) (mean"), "{out}");
    let income =
        [&["attribute", "make-a-living", "--target", "$30k", "--sobol-rows", "300"][..], &sizes].concat();
    let o = clout(&income);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("What decides whether a creator earns at least $30k a year? No indices: too few hits"),
        "{out}"
    );
}
