//! Stopping and resuming a calibration (issue 19): a calibration stopped by
//! its runner's stop flag keeps the evaluations that finished as a piece;
//! resumed from it, it gives the uninterrupted run's record byte for byte,
//! on one thread or two; a forged or foreign piece is refused in one line;
//! and the command line keeps a piece on SIGTERM and SIGINT and finishes it
//! with `--resume`.

use clout::Runner;
use clout::Scenario;
use clout::study::calibrate::{Calibrated, Calibration, CalibrationPiece, CalibrationRecord, EvaluationKind};
use clout::study::files::read_calibration;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Small targets on the built-in snapshot: 1,500 careers an evaluation, a
/// budget of 14, a niche tail (careers of unequal weight) and a held-out check.
const TARGETS: &str = r#"
name = "small"
scenario = "snapshot"
[run]
trials = 1500
seed = 11
max_evaluations = 14
niche_tail = 0.05
[shares]
nano = 0.8
micro = 0.15
mid-mega = 0.05
[fit]
"platform.share_rate" = { low = 0.05, high = 2.0, start = 0.3, scale = "log" }
"population.niche.sigma" = { low = 0.5, high = 3.0, start = 1.5 }
[[check]]
name = "P(mid+ | micro+)"
above = 50000
given = 10000
value = 0.25
"#;

fn calibration(text: &str) -> Calibration {
    Calibration::from_toml_str(text, "t.toml", Scenario::builtin).unwrap()
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

/// The calibration (resuming `from`, if any) on `threads` threads, its stop
/// flag raised by the `observe` callback at the search's evaluation `k`.
fn stopped_at(
    c: &Calibration,
    k: usize,
    threads: usize,
    from: Option<&CalibrationPiece>,
) -> CalibrationPiece {
    let stop = AtomicBool::new(false);
    let raise = |n: usize, _: f64| {
        if n >= k {
            stop.store(true, Ordering::SeqCst);
        }
    };
    let runner = Runner::new(0).threads(threads).stop_on(&stop);
    let out = match from {
        None => c.run_observed(&runner, &raise).unwrap(),
        Some(piece) => c.resume_observed(&runner, piece, "p.json", &raise).unwrap(),
    };
    let Calibrated::Interrupted(piece) = out else { panic!("stopped at evaluation {k}, yet finished") };
    *piece
}

/// The record a resumed calibration finishes with.
fn finished(c: &Calibration, piece: &CalibrationPiece, threads: usize) -> CalibrationRecord {
    match c.resume(&Runner::new(0).threads(threads), piece, "p.json").unwrap() {
        Calibrated::Finished(record) => *record,
        Calibrated::Interrupted(_) => panic!("a runner without a stop flag was stopped"),
    }
}

#[test]
fn a_stopped_calibration_resumes_into_the_uninterrupted_record_byte_for_byte() {
    let c = calibration(TARGETS);
    let whole = c.run(&Runner::new(0).threads(2)).unwrap();
    let bytes = json(&whole);
    let searched = whole.report.search.evaluations;
    assert!(searched > 6, "{searched} evaluations");
    for threads in [1, 2] {
        // Stopped in the search, and at its end (the intervals' first evaluation cut short).
        for k in [3, searched] {
            let piece = stopped_at(&c, k, threads, None);
            assert!(piece.interrupted && piece.schema == CalibrationRecord::SCHEMA);
            assert_eq!(piece.held(), [k, 0, 0], "stopped at {k}: {}", piece.held_in_words());
            assert!(piece.evaluations.iter().all(|e| e.counts.trials == 1500 && e.seed == 11));
            // The piece reads back as itself.
            let back: CalibrationPiece = serde_json::from_str(&json(&piece)).unwrap();
            assert_eq!(back, piece);
            let record = finished(&c, &back, threads);
            assert_eq!(json(&record), bytes, "{threads} thread(s), stopped at evaluation {k}");
        }
    }
    // Stopped, resumed and stopped again, then finished: the second piece
    // holds the first one's evaluations too.
    let first = stopped_at(&c, 2, 1, None);
    let second = stopped_at(&c, 5, 2, Some(&first));
    assert_eq!(second.evaluations.len(), 5);
    assert_eq!(second.evaluations[..2], first.evaluations[..]);
    assert_eq!(json(&finished(&c, &second, 1)), bytes);
}

#[test]
fn a_coarse_start_runs_its_first_rounds_on_fewer_careers_and_resumes_byte_for_byte() {
    let c = calibration(&TARGETS.replace("niche_tail = 0.05", "niche_tail = 0.05\ncoarse_fraction = 0.2"));
    let whole = c.run(&Runner::new(0).threads(2)).unwrap();
    let search = &whole.report.search;
    assert_eq!(search.coarse_trials, Some(300));
    let coarse = search.coarse_evaluations;
    assert!(coarse > 1 && coarse < search.evaluations, "{coarse} of {}", search.evaluations);
    assert!(whole.to_table().contains(&format!("{coarse} of 300 careers (the coarse rounds)")));
    // Stopped in the coarse rounds, just after them (the fine stage's
    // first evaluation done) and in the fine ones: resumed, the same bytes.
    let bytes = json(&whole);
    for k in [2, coarse + 1, search.evaluations - 1] {
        let piece = stopped_at(&c, k, 1, None);
        for (i, e) in piece.evaluations.iter().enumerate() {
            let (kind, trials) =
                if i < coarse { (EvaluationKind::Coarse, 300) } else { (EvaluationKind::Search, 1500) };
            assert_eq!((e.kind, e.counts.trials), (kind, trials), "evaluation {i}");
        }
        assert_eq!(json(&finished(&c, &piece, 2)), bytes, "stopped at evaluation {k}");
    }
    // A coarse evaluation is refused by targets without coarse rounds.
    let piece = stopped_at(&c, 2, 1, None);
    let mut plain = c.spec().clone();
    plain.run.coarse_fraction = 0.0;
    let plain = Calibration::new(plain, c.base().clone()).unwrap();
    let mut forged = piece.clone();
    forged.targets = plain.spec().clone();
    let e = refused(&plain, &forged);
    assert!(e.contains("evaluations[0].kind = coarse search: is not an evaluation of these targets"), "{e}");
}

#[test]
fn a_resumed_calibration_takes_the_pieces_evaluations_instead_of_running_them() {
    let c = calibration(TARGETS);
    let piece = stopped_at(&c, 4, 2, None);
    // A runner stopped from the start can run nothing: resumed on it, the
    // calibration retraces the piece's evaluations from the piece alone and
    // stops at the first it lacks, giving the same piece back.
    let stop = AtomicBool::new(true);
    let runner = Runner::new(0).stop_on(&stop);
    let again = c.resume(&runner, &piece, "p.json").unwrap();
    assert_eq!(again, Calibrated::Interrupted(Box::new(piece.clone())));
    // And a fresh run on it keeps nothing.
    let Calibrated::Interrupted(none) = c.run_observed(&runner, &|_, _| {}).unwrap() else { panic!() };
    assert!(none.evaluations.is_empty());
    assert!(c.run(&runner).unwrap_err().to_string().contains("stopped after 0 evaluations"));
}

/// The one-line error refusing `piece` as a piece of `c`.
fn refused(c: &Calibration, piece: &CalibrationPiece) -> String {
    let e = c.resume(&Runner::new(0), piece, "p.json").unwrap_err().to_string();
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.starts_with("p.json: "), "{e}");
    e
}

#[test]
fn a_forged_or_foreign_piece_is_refused_in_one_line() {
    let c = calibration(TARGETS);
    let piece = stopped_at(&c, 3, 2, None);
    let forged = |edit: &dyn Fn(&mut CalibrationPiece)| {
        let mut p = piece.clone();
        edit(&mut p);
        refused(&c, &p)
    };
    // Counts above the careers run, and weights more than they can weigh.
    let e = forged(&|p| p.evaluations[1].counts.counts[2] += 1_000_000);
    assert!(
        e.contains("evaluations[1].counts = (the counts): its bins count 1001500 careers, its trials 1500"),
        "{e}"
    );
    let e = forged(&|p| {
        p.evaluations[0].counts.counts[0] += 1_000_000;
        p.evaluations[0].counts.trials += 1_000_000;
    });
    assert!(e.contains("they count 1001500 careers, the evaluation ran 1500"), "{e}");
    let e = forged(&|p| p.evaluations[0].counts.weights[1] = u128::MAX);
    assert!(e.contains("weights above what"), "{e}");
    let e = forged(&|p| {
        p.evaluations[0].counts.counts.pop();
    });
    assert!(e.contains("it has 3 counts, 4 weight sums"), "{e}");
    let e = forged(&|p| p.evaluations[0].counts.edges[0] = 7);
    assert!(e.contains("edges"), "{e}");
    // Keys this calibration never makes.
    let e = forged(&|p| p.evaluations[2].seed = 99);
    assert!(e.contains("evaluations[2].seed = 99: must be 11, the seed of a search evaluation"), "{e}");
    let e = forged(&|p| p.evaluations[0].kind = EvaluationKind::Verification);
    assert!(e.contains("evaluations[0].seed = 11: must be 12"), "{e}");
    let e = forged(&|p| p.evaluations[0].theta_bits[0] = 5f64.to_bits());
    assert!(e.contains("evaluations[0].theta_bits = 5: must lie in platform.share_rate's bounds"), "{e}");
    let e = forged(&|p| p.evaluations[0].theta_bits.push(0));
    assert!(e.contains("must hold one value per fitted parameter (2)"), "{e}");
    // Another schema, version, or not a piece.
    let e = forged(&|p| p.schema = "clout.calibration/2".into());
    assert!(e.contains("schema = \"clout.calibration/2\": must be \"clout.calibration/4\""), "{e}");
    let e = forged(&|p| p.clout_version = "0.0.1".into());
    assert!(e.contains("clout_version = 0.0.1: must be"), "{e}");
    let e = forged(&|p| p.interrupted = false);
    assert!(e.contains("interrupted = false: must be true"), "{e}");
    // Another seed, other careers, another targets file, another scenario.
    let other = |from: &str, to: &str| {
        assert!(TARGETS.contains(from));
        refused(&calibration(&TARGETS.replace(from, to)), &piece)
    };
    let e = other("seed = 11", "seed = 12");
    assert!(e.contains("targets.run.seed = 11: must be this calibration's seed 12"), "{e}");
    let e = other("trials = 1500", "trials = 1600");
    assert!(e.contains("targets.run.trials = 1500: must be this calibration's 1600"), "{e}");
    let e = other("nano = 0.8", "nano = 0.79");
    assert!(e.contains("targets = \"small\": must be the targets being calibrated"), "{e}");
    let mut scenario = c.base().clone();
    scenario.platform.as_mut().unwrap().conversion *= 0.5;
    let moved = Calibration::new(c.spec().clone(), scenario).unwrap();
    let e = refused(&moved, &piece);
    assert!(e.contains("scenario = \"snapshot\": must be the targets' base scenario"), "{e}");
}

#[test]
fn record_files_are_read_strictly_and_checked() {
    let dir = std::env::temp_dir().join(format!("clout-calibration-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let c = calibration(TARGETS);
    let piece = stopped_at(&c, 3, 2, None);
    let whole = finished(&c, &piece, 2);
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let read = |path: &std::path::Path| read_calibration(path).map_err(|e| e.to_string());
    // Both kinds read back as themselves.
    let back = read(&write("p.json", &json(&piece))).unwrap();
    assert_eq!(back, Calibrated::Interrupted(Box::new(piece.clone())));
    let back = read(&write("w.json", &json(&whole))).unwrap();
    assert_eq!(back, Calibrated::Finished(Box::new(whole.clone())));
    // A finished record whose shares cannot be, whose fitted scenario is
    // not the base at the fitted values, or that has an unknown field.
    let refuse = |name: &str, edit: &dyn Fn(&mut serde_json::Value)| {
        let mut value: serde_json::Value = serde_json::from_str(&json(&whole)).unwrap();
        edit(&mut value);
        let e = read(&write(name, &value.to_string())).unwrap_err();
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(e.starts_with(&dir.join(name).display().to_string()), "{e}");
        e
    };
    let e = refuse("a.json", &|v| v["report"]["bands"][0]["model"]["careers"] = 1_000_000.into());
    assert!(e.contains("report.bands[0].model.careers = 1000000: careers is 1000000, more than the"), "{e}");
    let e = refuse("b.json", &|v| {
        v["report"]["parameters"][0]["value"] = 0.9.into();
        v["report"]["parameters"][0]["interval"] = serde_json::Value::Null;
    });
    assert!(e.contains("report.fitted_scenario"), "{e}");
    let e = refuse("c.json", &|v| v["report"]["parameters"][1]["value"] = 7.0.into());
    assert!(e.contains("report.parameters[1].value = 7: must lie in [0.5, 3]"), "{e}");
    let e = refuse("d.json", &|v| v["colour"] = 1.into());
    assert!(e.contains("unknown field `colour`"), "{e}");
    let e = refuse("e.json", &|v| v["report"]["search"]["seed"] = 5.into());
    assert!(e.contains("report.search"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

fn clout() -> Command {
    Command::new(env!("CARGO_BIN_EXE_clout"))
}

/// Targets for the command line: 4,000 careers an evaluation and a budget
/// of 40, about 6 s on one thread here; a signal after 1 s stops it in the search.
fn cli_targets(dir: &std::path::Path) {
    let text = TARGETS
        .replace("trials = 1500", "trials = 4000")
        .replace("max_evaluations = 14", "max_evaluations = 40");
    std::fs::write(dir.join("t.toml"), text).unwrap();
}

/// Starts `clout ARGS` in `dir`, sends `signal` after `wait`, and returns its output.
fn signalled(dir: &std::path::Path, args: &[&str], signal: &str, wait: Duration) -> std::process::Output {
    let child =
        clout().args(args).current_dir(dir).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(wait);
    assert!(Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap().success());
    child.wait_with_output().unwrap()
}

fn ok(out: &std::process::Output) -> Vec<u8> {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout.clone()
}

#[test]
fn clout_calibrate_keeps_a_piece_on_sigterm_and_resumes_it_to_the_same_bytes() {
    let dir = std::env::temp_dir().join(format!("clout-calibrate-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    cli_targets(&dir);
    let run = ["calibrate", "t.toml", "-q", "--format", "json"];
    // One thread, so the calibration cannot finish before the signal arrives.
    let args: Vec<&str> = run.iter().copied().chain(["--threads", "1", "--out", "p.json"]).collect();
    let out = signalled(&dir, &args, "-TERM", Duration::from_millis(1000));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("clout: stopped by SIGTERM; p.json holds the calibration's first "), "{err}");
    assert!(
        err.contains("Finish it with `clout calibrate t.toml --resume p.json --format json --out p.json`"),
        "{err}"
    );
    let text = std::fs::read_to_string(dir.join("p.json")).unwrap();
    let piece: CalibrationPiece = serde_json::from_str(&text).unwrap();
    assert!(piece.interrupted && !piece.evaluations.is_empty());

    // `clout merge` of the piece checks it and shows it again, as it is.
    assert_eq!(ok(&clout().args(["merge", "p.json"]).current_dir(&dir).output().unwrap()), text.as_bytes());
    let resumed =
        clout().args(run).args(["--resume", "p.json", "--out", "r.json"]).current_dir(&dir).output();
    ok(&resumed.unwrap());
    let whole = ok(&clout().args(run).current_dir(&dir).output().unwrap());
    let finished = std::fs::read(dir.join("r.json")).unwrap();
    assert_eq!(finished, whole, "the resumed calibration is the uninterrupted one, byte for byte");
    assert_eq!(ok(&clout().args(["merge", "r.json"]).current_dir(&dir).output().unwrap()), whole);

    // Several calibration files are not pieces to merge; a piece has no report to draw.
    for args in [&["merge", "r.json", "p.json"][..], &["plot", "p.json"][..]] {
        let out = clout().args(args).current_dir(&dir).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!((out.status.code(), err.lines().count()), (Some(2), 1), "{args:?}: {err}");
    }
    // A finished one draws its band fit.
    let drawn =
        ok(&clout().args(["plot", "r.json", "--out", "pictures"]).current_dir(&dir).output().unwrap());
    assert_eq!(String::from_utf8_lossy(&drawn).trim(), "pictures/calibration.svg");
    // A finished record is not a piece to resume.
    let out = clout().args(run).args(["--resume", "r.json"]).current_dir(&dir).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("r.json: is the record of a finished calibration"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn clout_calibrate_as_a_table_keeps_its_piece_in_a_file_of_its_own_on_sigint() {
    let dir = std::env::temp_dir().join(format!("clout-calibrate-sigint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    cli_targets(&dir);
    let out = signalled(
        &dir,
        &["calibrate", "t.toml", "--threads", "1", "-q"],
        "-INT",
        Duration::from_millis(1000),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("INTERRUPTED: holds "), "{err}");
    assert!(err.contains("clout-interrupted.json holds the calibration's first "), "{err}");
    assert!(err.contains("`clout calibrate t.toml --resume clout-interrupted.json`"), "{err}");
    let kept = read_calibration(&dir.join("clout-interrupted.json")).unwrap();
    assert!(matches!(kept, Calibrated::Interrupted(p) if !p.evaluations.is_empty()));
    std::fs::remove_dir_all(&dir).ok();
}

/// A calibration record whose deviance or parameter correlations cannot be
/// (forged, or damaged) is refused in one line naming the field; the record
/// as written reads back. The record is the fuzz seed this clout writes
/// (docs/VALIDATION.md, "Fuzzing the record readers"), edited as text (its
/// maps' order is part of it).
#[test]
fn a_record_with_impossible_deviances_or_correlations_is_refused() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds-records/calibration.json");
    let text = std::fs::read_to_string(path).unwrap();
    let dir = std::env::temp_dir().join(format!("clout-calibration-forged-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let show = |name: &str, json: &str| {
        let file = dir.join(name);
        std::fs::write(&file, json).unwrap();
        clout().args(["show", file.to_str().unwrap()]).output().unwrap()
    };
    let out = show("as-written.json", &text);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The report's deviance, and the correlations' first row, as the seed
    // writes them (serde_json prints a number as it reads it back).
    let seed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let report = &seed["report"];
    let deviance = format!("\"deviance\": {},", report["deviance"]);
    let r01 = report["correlations"][0][1].to_string();
    let first_row = format!("\"correlations\": [\n      [\n        1.0,\n        {r01},");
    let (evaluations, restarts) = (&report["search"]["evaluations"], &report["search"]["restarts"]);
    let trials = &report["search"]["trials"];
    let search = format!(
        "\"search\": {{\n      \"evaluations\": {evaluations},\n      \"max_evaluations\": 300,\n      \
         \"restarts\": {restarts},\n      \"converged\": true,\n      \"trials\": {trials},"
    );
    assert!(
        text.starts_with("{")
            && text.contains(&deviance)
            && text.contains(&first_row)
            && text.contains(&search),
        "the seed's layout changed: edit this test"
    );
    let n = evaluations.as_u64().unwrap();
    let edit = |from: &str, to: &str| text.replacen(from, to, 1);
    let (first_row, search, deviance) = (first_row.as_str(), search.as_str(), deviance.as_str());
    for (name, json, says) in [
        ("negative.json", edit(deviance, "\"deviance\": -3.0,"), "report.deviance = -3: every deviance"),
        (
            "above-one.json",
            edit(first_row, &first_row.replace(&r01, "2.0")),
            "report.correlations = (matrix): must be 3 x 3",
        ),
        ("diagonal.json", edit(first_row, &first_row.replace("1.0,", "0.5,")), "1 on the diagonal"),
        ("asymmetric.json", edit(first_row, &first_row.replace(&r01, "-0.5")), "symmetric"),
        // Coarse rounds the targets do not have.
        (
            "coarse.json",
            edit(
                search,
                &search.replace(
                    &format!("\"evaluations\": {n},"),
                    &format!("\"evaluations\": {n},\n      \"coarse_evaluations\": {},", n + 9),
                ),
            ),
            &*format!(
                "report.search.coarse_evaluations = {}: must be at most the search's {n} evaluations (0 without coarse rounds)",
                n + 9
            ),
        ),
        (
            "coarse-trials.json",
            edit(
                search,
                &search.replace(
                    &format!("\"trials\": {trials},"),
                    &format!("\"trials\": {trials},\n      \"coarse_trials\": 200,"),
                ),
            ),
            "report.search.coarse_trials = 200: must be the careers of the targets' coarse rounds (none)",
        ),
    ] {
        let out = show(name, &json);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(says) && err.trim_end().lines().count() == 1, "{name}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
