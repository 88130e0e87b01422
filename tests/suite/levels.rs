//! Any follower level is a question (issue 20): a goal that is no tier is a
//! level of its own in every report, importance sampling aims at it, and
//! plain and importance-sampled runs answer through one type, one accessor
//! and the same leading CSV columns.

use clout::Scenario;
use clout::stats::{CHANCE_CSV_HEADER, Chances, Method};
use clout::tier::{Goal, Tier};

/// The default scenario asking about 100k followers.
fn aiming_at_100k(method: Method, trials: u64) -> Scenario {
    let mut scenario = Scenario::builtin("default").unwrap();
    scenario.tiers.get_or_insert_default().goal = "100k".parse().unwrap();
    scenario.run.trials = trials;
    if method == Method::Brute {
        scenario.set_brute();
    } else if let Some(rare) = scenario.rare.as_mut() {
        rare.pilot_roots = 5_000;
    }
    scenario
}

#[test]
fn a_goal_that_is_no_tier_is_answered_by_both_methods_alike() {
    let brute = aiming_at_100k(Method::Brute, 300_000).run().unwrap();
    let rare = aiming_at_100k(Method::Rare, 20_000).run().unwrap();
    // Importance sampling aimed at the goal, not at macro.
    assert_eq!(rare.rare().unwrap().target, "100k");
    assert_eq!(rare.scenario.rare.as_ref().unwrap().target, None, "it follows the goal");
    for record in [&brute, &rare] {
        let names: Vec<&str> = record.chances().iter().map(|c| c.level.as_str()).collect();
        assert_eq!(names, ["nano", "micro", "mid", "100k", "macro", "mega"], "lowest first");
        let goal = record.goal_chance().unwrap();
        assert_eq!((goal.level.as_str(), goal.threshold), ("100k", 100_000.0));
        // One accessor: by name, by count written any way, by tier.
        for key in ["100k", "100000", "1e5", "0.1M"] {
            assert_eq!(record.chance(key), Some(goal), "{key}");
        }
        assert_eq!(record.chance(Tier::Macro).unwrap().threshold, 500_000.0);
        // The same leading CSV columns, the method's own after them.
        let csv = clout::report::Render::to_csv(record);
        assert!(csv.starts_with(&format!("{CHANCE_CSV_HEADER},")), "{csv}");
        // A header and a row per level (a plain run's trajectory days' rows
        // follow, their level columns empty).
        assert_eq!(csv.lines().filter(|l| !l.starts_with(',')).count(), 7, "{csv}");
        assert!(csv.lines().any(|l| l.starts_with("100k,100000,true,")), "{csv}");
    }
    // The two estimates of P(100k within five years) agree within 4 standard errors.
    let (b, r) = (brute.goal_chance().unwrap(), rare.goal_chance().unwrap());
    assert!(b.hits >= 200 && r.trusted, "{b:?} {r:?}");
    let z = (b.estimate - r.estimate) / (b.std_error.powi(2) + r.std_error.powi(2)).sqrt();
    println!(
        "P(100k within five years): brute {:.4e} +- {:.2e} ({} hits of {}), rare {:.4e} +- {:.2e} ({} hits of {}), z {z:+.2}",
        b.estimate, b.std_error, b.hits, b.trials, r.estimate, r.std_error, r.hits, r.trials
    );
    assert!(
        z.abs() < 4.0,
        "brute {:e} +- {:e}, rare {:e} +- {:e}: z {z:.2}",
        b.estimate,
        b.std_error,
        r.estimate,
        r.std_error
    );
    // A level is reached at least as often as every higher one, in both.
    for record in [&brute, &rare] {
        let chances = record.chances();
        assert!(
            chances.windows(2).all(|w| w[0].estimate >= w[1].estimate - 4.0 * w[1].std_error),
            "{chances:?}"
        );
    }
}

#[test]
fn a_goal_at_a_tier_threshold_is_that_tier_and_records_read_back() {
    let mut scenario = Scenario::builtin("what-if").unwrap();
    scenario.run.trials = 2_000;
    scenario.tiers.get_or_insert_default().goal = Goal::Followers(10_000);
    let record = scenario.run().unwrap();
    assert_eq!(record.chances().len(), 5);
    assert_eq!(record.goal_chance().unwrap().level, "micro");
    // A goal of its own survives the trip through a file and a merge.
    scenario.tiers.get_or_insert_default().goal = "25k".parse().unwrap();
    let record = scenario.run().unwrap();
    let text = serde_json::to_string(&record).unwrap();
    let back: clout::study::run::RunRecord = serde_json::from_str(&text).unwrap();
    let merged = clout::study::run::RunRecord::merge(&[back], &["r.json".into()], false).unwrap();
    assert_eq!(merged, record);
    assert_eq!(merged.goal_chance().unwrap().level, "25k");
    assert!(text.contains("\"goal\":25000"), "the goal is written as a count");
}
