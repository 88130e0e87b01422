//! No scenario text, however malformed, makes parsing or validation panic.

use clout::Scenario;
use proptest::prelude::*;

/// Values that stress validation: negatives, zero, huge, NaN, infinities, wrong types.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("0".to_string()),
        Just("-0.0".to_string()),
        Just("1e308".to_string()),
        Just("\"text\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        (any::<f64>(), any::<f64>())
            .prop_map(|(a, b)| format!("{{ dist = \"normal\", mean = {a:?}, sd = {b:?} }}")),
        (any::<f64>(), any::<f64>())
            .prop_map(|(a, b)| format!("{{ dist = \"lognormal\", median = {a:?}, sigma = {b:?} }}")),
        (any::<f64>(), any::<f64>())
            .prop_map(|(a, b)| format!("{{ dist = \"uniform\", low = {a:?}, high = {b:?} }}")),
        any::<f64>().prop_map(|a| format!("{{ dist = \"fixed\", value = {a:?} }}")),
        Just("{ dist = \"cauchy\" }".to_string()),
        any::<f64>().prop_map(|p| format!("{{ percentile = {p:?} }}")),
        (any::<i64>(), any::<i64>()).prop_map(|(a, b)| format!("{{ low = {a}, high = {b} }}")),
    ]
}

const FIELDS: &[(&str, &str)] = &[
    ("run", "trials"),
    ("run", "seed"),
    ("observation", "horizon_days"),
    ("observation", "platform_day"),
    ("population", "talent"),
    ("population", "effort"),
    ("population", "entry_day"),
    ("population", "niche"),
    ("platform", "openness_floor"),
    ("platform", "openness_decay_days"),
    ("platform", "discovery"),
    ("platform", "share_rate"),
    ("platform", "conversion"),
    ("platform", "unfollow_rate"),
    ("platform", "reach_sigma"),
    ("platform", "viral_rate"),
    ("platform", "viral_scale"),
    ("platform", "viral_shape"),
    ("persistence", "review_days"),
    ("persistence", "quit_base"),
    ("persistence", "quit_stall"),
    ("persistence", "aspiration"),
    ("tiers", "nano"),
    ("tiers", "macro"),
    ("tiers", "goal"),
    ("platform", "no_such_field"),
    ("gibrat", "mu"),
    ("gibrat", "sigma"),
    ("gibrat", "barrier"),
    ("gibrat", "steps"),
    ("gibrat", "monitoring"),
    ("yule", "lambda"),
    ("yule", "initial"),
    ("yule", "time"),
    ("talent_vs_luck", "agents"),
    ("talent_vs_luck", "world_size"),
    ("talent_vs_luck", "radius"),
    ("talent_vs_luck", "talent"),
    ("talent_vs_luck_nonspatial", "p_event"),
    ("talent_vs_luck_nonspatial", "steps"),
    ("start", "career_day"),
    ("start", "followers"),
    ("start", "platform_day"),
    ("start", "followers_at_last_review"),
    ("start", "talent"),
    ("start", "effort"),
    ("start", "niche"),
    ("start", "trials"),
    ("condition", "career_day"),
    ("condition", "followers"),
    ("condition", "window_days"),
    ("condition", "still_active"),
];

fn scenario_text() -> impl Strategy<Value = String> {
    let kind = prop_oneof![Just("cohort"), Just("snapshot"), Just("nonsense")];
    let model = prop_oneof![
        Just("career"),
        Just("gibrat"),
        Just("yule"),
        Just("talent_vs_luck"),
        Just("talent_vs_luck_nonspatial"),
        Just("nonsense"),
    ];
    (model, kind, prop::collection::vec((0..FIELDS.len(), value()), 0..8)).prop_map(|(model, kind, edits)| {
        let mut text = format!("model = \"{model}\"\n[observation]\nkind = \"{kind}\"\n");
        let mut sections: Vec<(&str, Vec<String>)> = Vec::new();
        for (i, v) in edits {
            let (section, field) = FIELDS[i];
            if section == "observation" {
                text.push_str(&format!("{field} = {v}\n"));
                continue;
            }
            match sections.iter_mut().find(|(s, _)| *s == section) {
                Some((_, lines)) => lines.push(format!("{field} = {v}")),
                None => sections.push((section, vec![format!("{field} = {v}")])),
            }
        }
        for (section, lines) in sections {
            text.push_str(&format!("[{section}]\n{}\n", lines.join("\n")));
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn structured_scenarios_never_panic(text in scenario_text()) {
        // Ok or a one-line error naming the source; never a panic.
        if let Err(e) = Scenario::from_toml_str(&text, "fuzz.toml") {
            let message = e.to_string();
            prop_assert!(message.starts_with("fuzz.toml:"), "{}", message);
            prop_assert!(!message.contains('\n'), "{}", message);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        let _ = Scenario::from_toml_str(&text, "fuzz.toml");
    }
}

/// A valid scenario from the generator also runs a few trials without panicking.
#[test]
fn accepted_extreme_scenarios_run() {
    for text in [
        "[population]\ntalent = 1\neffort = 28\nniche = 1e12\n[platform]\nviral_rate = 1\nviral_shape = 0.01\nreach_sigma = 5\nshare_rate = 1000\nconversion = 1\n[run]\ntrials = 20\n",
        "[population]\ntalent = 0\neffort = 0.1\nniche = 1\n[platform]\nunfollow_rate = 1\n[run]\ntrials = 50\n",
        "[observation]\nkind = \"snapshot\"\nplatform_day = 1\n[population]\nentry_day = 1\n[run]\ntrials = 50\n",
        "[persistence]\nreview_days = 1\nquit_base = 1\nquit_stall = 0\n[run]\ntrials = 50\n",
        "model = \"gibrat\"\n[gibrat]\nmu = -100\nsigma = 100\nbarrier = 1e15\nhorizon = 1e7\nsteps = 1\n[run]\ntrials = 50\n",
        "model = \"yule\"\n[yule]\nlambda = 1e-6\ninitial = 1000000\ntime = 1\n[run]\ntrials = 5\n",
        "model = \"talent_vs_luck\"\n[talent_vs_luck]\nagents = 25\nworld_size = 5\nradius = 1\nevents = 0\n[run]\ntrials = 3\n",
        "model = \"talent_vs_luck_nonspatial\"\n[talent_vs_luck_nonspatial]\np_event = 1\np_lucky = 1\ntalent = 1\nsteps = 1000\n[run]\ntrials = 5\n",
        "[population]\nentry_day = 0\nniche = 1e12\n[start]\ncareer_day = 1824\nfollowers = 1000000000000\ntalent = 1\neffort = 28\n[run]\ntrials = 20\n",
        "[population]\nentry_day = 0\n[start]\ncareer_day = 0\nfollowers = 999999999\nplatform_day = 36500\n[run]\ntrials = 20\n",
        "[population]\nentry_day = 0\n[condition]\ncareer_day = 912\nwindow_days = 911\nfollowers = { low = 0, high = 18446744073709551615 }\nstill_active = false\n[run]\ntrials = 50\n",
        "[observation]\nkind = \"snapshot\"\nplatform_day = 3\n[population]\nentry_day = { dist = \"uniform\", low = 0, high = 3 }\n[condition]\ncareer_day = 1\nfollowers = { low = 0, high = 0 }\n[run]\ntrials = 50\n",
    ] {
        let scenario = Scenario::from_toml_str(text, "extreme.toml").unwrap_or_else(|e| panic!("{e}"));
        scenario.run().unwrap_or_else(|e| panic!("{e}"));
    }
}

/// The fuzz targets' seeds are what clout ships and writes today: every
/// shipped scenario is a seed of `fuzz/fuzz_targets/scenario.rs`, byte for
/// byte, and every seed of `fuzz/fuzz_targets/record.rs` is a record this
/// clout reads back (regenerate them with the commands in docs/VALIDATION.md,
/// "Fuzzing the record readers", when a schema changes).
#[test]
fn the_fuzz_seeds_have_not_drifted() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["scenarios", "scenarios/validation"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let seed = root.join("fuzz/seeds").join(path.file_name().unwrap());
                let (a, b) = (std::fs::read(&path).unwrap(), std::fs::read(&seed).unwrap_or_default());
                assert!(a == b, "{} differs from {}: copy it", seed.display(), path.display());
            }
        }
    }
    let mut records = 0;
    for entry in std::fs::read_dir(root.join("fuzz/seeds-records")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        let name = vec![path.display().to_string()];
        let s = schema["schema"].as_str().unwrap();
        let read = study_reads(s, &text, &name).ok_or(format!("schema {s}: not read back"));
        assert!(read.is_ok(), "{}: {read:?}", path.display());
        records += 1;
    }
    assert!(records >= 11, "{records}");
}

/// A study record of schema `schema` read back and merged alone, or `None`
/// for a schema no study has.
fn study_reads(schema: &str, text: &str, name: &[String]) -> Option<()> {
    use clout::scenario::sweep::Sweep;
    use clout::study::attribute::Attribution;
    use clout::study::calibrate::CalibrationRecord;
    use clout::study::delusion::Delusion;
    use clout::study::executor::{self, RecordOf, Study};
    use clout::study::files::{calibration_from_text, record_from_reader};
    fn one<S: Study>(text: &str, name: &[String]) -> Option<()> {
        let r: RecordOf<S> = record_from_reader::<S>(text.as_bytes(), &name[0]).ok()?;
        executor::merge::<S>(&[r], name, true).ok().map(drop)
    }
    match schema {
        s if s == clout::study::run::PlainRun::SCHEMA => one::<clout::study::run::PlainRun>(text, name),
        s if s == Sweep::SCHEMA => one::<Sweep>(text, name),
        s if s == Attribution::SCHEMA => one::<Attribution>(text, name),
        s if s == Delusion::SCHEMA => one::<Delusion>(text, name),
        s if s == CalibrationRecord::SCHEMA => {
            calibration_from_text(text, &name[0]).ok()?.check(&name[0]).ok()
        }
        s if s == clout::study::compare::CompareRecord::SCHEMA => {
            clout::study::compare::CompareRecord::from_text(text, &name[0]).ok().map(drop)
        }
        _ => None,
    }
}
