//! The delusion gap: each view of the odds against an independent estimate
//! of the same quantity, the projection rule exactly, and reproducibility.

use clout::experiment::delusion::{DelusionCohort, DelusionSpec, VisibleOdds};
use clout::model::career::CareerModel;
use clout::model::career::conditional::CreatorsLikeYou;
use clout::model::career::money::Money;
use clout::stats::Proportion;
use clout::study::delusion::Delusion;
use clout::{Model, Runner, Scenario, Tier};

/// z of the difference of two independent proportions.
fn z(a: &Proportion, b: &Proportion) -> f64 {
    (a.estimate - b.estimate) / a.std_error.hypot(b.std_error)
}

fn small(tier: Tier) -> Scenario {
    let mut s = Scenario::builtin("delusion-gap").unwrap();
    s.run.trials = 150_000;
    s.delusion =
        Some(DelusionSpec { tier: Some(tier.into()), snapshot_trials: 50_000, ..s.delusion.unwrap() });
    s
}

/// The like-you view of a delusion report against `like_you` run on another
/// seed (23) over `trials` creators: each one's odds of `tier` (printed with
/// their z), and `like_you`'s report.
fn like_you_against_conditional(
    r: &clout::experiment::delusion::DelusionReport,
    like_you: &CreatorsLikeYou,
    tier: Tier,
    trials: u64,
) -> (Proportion, Proportion, clout::model::career::conditional::LikeYouReport) {
    let report = like_you.report(&Runner::new(23).run(like_you, trials).summary);
    let conditional = report.odds_of(tier).unwrap();
    let (x, n) = r.view("like_you").unwrap().counts.unwrap();
    let ours = Proportion::new(x, n);
    eprintln!(
        "like you {x} of {n} vs CreatorsLikeYou {} of {}: z {:.2}",
        conditional.successes,
        conditional.trials,
        z(&ours, &conditional)
    );
    (ours, conditional, report)
}

#[test]
#[ignore = "slow tier: cargo test --release -- --ignored (CI runs it)"]
fn true_and_like_you_odds_agree_with_the_plain_and_conditional_runs() {
    // The cohort's odds against a plain Career run and against CreatorsLikeYou,
    // each on another seed: the same quantities, estimated independently.
    // Mid (50k): from about 10k on day 730, neither certain nor hopeless.
    let mut scenario = small(Tier::Mid);
    scenario.run.trials = 400_000;
    let record = Delusion::new(&scenario).unwrap().run(&Runner::new(21));
    let r = record.report.as_ref().unwrap();
    let career = scenario.career_model().unwrap();
    let plain = career.report(&Runner::new(22).run(&career, 400_000).summary).proportion(Tier::Mid);
    let (x, n) = r.view("true").unwrap().counts.unwrap();
    let truth = Proportion::new(x, n);
    eprintln!("true vs plain: z {:.2}", z(&truth, &plain));
    assert!(z(&truth, &plain).abs() < 4.0, "true {truth:?} vs plain {plain:?}");
    let like_you = CreatorsLikeYou::new(career, scenario.condition.unwrap()).unwrap();
    let (ours, conditional, report) = like_you_against_conditional(r, &like_you, Tier::Mid, 400_000);
    assert!(ours.trials > 100 && z(&ours, &conditional).abs() < 4.0, "like you {ours:?} vs {conditional:?}");
    // The matched population is the same size too.
    let matched = Proportion::new(ours.trials, 400_000);
    eprintln!("matched share: z {:.2}", z(&matched, &report.selection));
    assert!(z(&matched, &report.selection).abs() < 4.0, "{matched:?} vs {:?}", report.selection);
    // Factors are odds over the true odds.
    for v in &r.views {
        if let Some(f) = &v.factor {
            assert!((f.value - v.odds.value / r.views[0].odds.value).abs() < 1e-12);
            assert!(f.lower <= f.value && f.value <= f.upper);
        }
    }
}

#[test]
fn the_projection_compounds_recent_growth() {
    let career = CareerModel::new(Default::default()).unwrap();
    let condition = Scenario::builtin("delusion-gap").unwrap().condition.unwrap();
    let cohort =
        DelusionCohort::new(CreatorsLikeYou::new(career, condition).unwrap(), Tier::Macro.into(), 30);
    // Doubling every 30 days from 10k: 50x takes ln 50 / ln 2 = 5.644 periods.
    let day = cohort.projected_day(730, 10_000, 5_000, 500_000).unwrap();
    assert!((day - (730.0 + 30.0 * 50f64.ln() / 2f64.ln())).abs() < 1e-9, "{day}");
    assert_eq!(cohort.projected_day(730, 10_000, 10_000, 500_000), None, "no growth, never");
    assert_eq!(cohort.projected_day(730, 10_000, 12_000, 500_000), None, "shrinking, never");
    assert_eq!(cohort.projected_day(730, 10_000, 0, 500_000), Some(730.0), "from nothing: at once");
    assert_eq!(cohort.projected_day(730, 600_000, 500_000, 500_000), Some(730.0), "already there");
}

#[test]
fn the_delusion_table_is_the_same_on_one_and_two_threads_and_records_what_ran() {
    // Smaller than `small`: equality on any threads needs no precision.
    let mut scenario = small(Tier::Macro);
    scenario.run.trials = 40_000;
    scenario.delusion = Some(DelusionSpec { snapshot_trials: 10_000, ..scenario.delusion.unwrap() });
    let delusion = Delusion::new(&scenario).unwrap();
    let one = delusion.run(&Runner::new(2026).threads(1));
    let two = delusion.run(&Runner::new(2026).threads(2));
    assert_eq!(one, two);
    assert_eq!(one.seed, 2026);
    assert_eq!(one.scenario.name, "delusion-gap");
    assert_eq!(one.scenario.delusion.unwrap().tier, Some(Tier::Macro.into()));
    let views: Vec<&str> = one.report.as_ref().unwrap().views.iter().map(|v| v.view.as_str()).collect();
    assert_eq!(
        views,
        [
            "true",
            "survivor",
            "visible",
            "census",
            "like_you",
            "self_assessed",
            "extrapolated",
            "extrapolators_on_time"
        ]
    );
    assert_eq!(one.report.as_ref().unwrap().clamped, 0);
}

/// `small`'s scenario with `money` as its `[money]`.
fn small_with_money(money: Money, trials: u64) -> Scenario {
    let mut s = small(Tier::Macro);
    s.run.trials = trials;
    s.money = Some(money);
    s
}

#[test]
fn without_money_the_record_has_no_money_and_priced_at_zero_nothing_is_earned() {
    let mut plain = small(Tier::Macro);
    plain.run.trials = 30_000;
    plain.delusion = Some(DelusionSpec { snapshot_trials: 10_000, ..plain.delusion.unwrap() });
    let without = Delusion::new(&plain).unwrap().run(&Runner::new(5));
    let json = serde_json::to_value(&without).unwrap();
    assert!(json["report"].get("money").is_none(), "no [money]: no money in the record");
    assert!(json["report"]["cohort"].get("money").is_none());
    let mut zero =
        small_with_money(Money { price_per_engagement: 0.0, rpm: 0.0, ..Money::default() }, 30_000);
    zero.delusion = plain.delusion;
    let with = Delusion::new(&zero).unwrap().run(&Runner::new(5));
    let (a, b) = (without.report.as_ref().unwrap(), with.report.as_ref().unwrap());
    // The follower views are the same, number for number.
    assert_eq!(a.views, b.views);
    let m = b.money.as_ref().unwrap();
    assert_eq!(m.goal, 30_000.0, "the default levels' $30k, 'a living'");
    let names: Vec<&str> = m.views.iter().map(|v| v.view.as_str()).collect();
    assert_eq!(names, ["true", "survivor", "visible", "census", "like_you", "self_assessed"]);
    for v in &m.views {
        assert_eq!(v.odds.value, 0.0, "{v:?}");
    }
    let x = &m.extrapolated;
    assert!(x.creators > 0);
    assert_eq!(x.expected_mean.unwrap().value, 0.0);
    assert_eq!(x.expected_median.unwrap().value, 0.0);
    // Each earns 0, what they expected.
    assert_eq!(x.reached_expected_count, x.creators);
}

#[test]
fn the_true_income_chance_is_the_plain_runs() {
    // The cohort's chance of earning $30k in the fifth year against a
    // plain run of the same scenario on another seed (make-a-living's
    // question for this population): the same quantity, independently.
    let scenario = small_with_money(Money::default(), 100_000);
    let record = Delusion::new(&scenario).unwrap().run(&Runner::new(31));
    let m = record.report.as_ref().unwrap().money.clone().unwrap();
    let (x, n) = m.views[0].counts.unwrap();
    let ours = Proportion::new(x, n);
    let career = scenario.career_model().unwrap();
    let report = career.report(&Runner::new(32).run(&career, 100_000).summary);
    let income = report.engagement.unwrap().income.unwrap();
    let level = income.levels.iter().find(|c| c.level == "$30k").unwrap();
    let plain = Proportion::new(level.hits, level.trials);
    eprintln!(
        "true income chance {x} of {n} vs plain {} of {}: z {:.2}",
        level.hits,
        level.trials,
        z(&ours, &plain)
    );
    assert!(ours.successes > 50 && z(&ours, &plain).abs() < 4.0, "{ours:?} vs {plain:?}");
}

#[test]
fn extrapolated_followers_compound_to_the_horizon_within_the_cap() {
    let career = CareerModel::new(Default::default()).unwrap();
    let condition = Scenario::builtin("delusion-gap").unwrap().condition.unwrap();
    let cohort =
        DelusionCohort::new(CreatorsLikeYou::new(career, condition).unwrap(), Tier::Macro.into(), 30);
    // Doubling every 30 days, 90 days to go: 8x.
    assert_eq!(cohort.projected_followers(730, 10_000, 5_000, 820, 1e9), 80_000);
    assert_eq!(cohort.projected_followers(730, 10_000, 5_000, 820, 50_000.0), 50_000, "capped");
    assert_eq!(cohort.projected_followers(730, 10_000, 20_000, 790, 1e9), 2_500, "halving twice");
    assert_eq!(cohort.projected_followers(730, 10_000, 0, 820, 7e6), 7_000_000, "from nothing: the cap");
    assert_eq!(cohort.projected_followers(730, 10_000, 10_000, 1825, 1e9), 10_000, "still");
    assert_eq!(cohort.income_goal(), None, "no [money]");
}

/// A creator a year in with a few hundred to a few thousand followers on a mature
/// platform whose creators compete for attention (`[competition]`, a small solve):
/// `trials` creators in each cohort.
fn in_the_field(trials: u64) -> Scenario {
    let text = format!(
        "name = \"field-delusion\"\n[run]\ntrials = {trials}\nseed = 2026\n\
         [observation]\nkind = \"cohort\"\nhorizon_days = 1825\n[population]\nentry_day = 3650\n\
         [condition]\ncareer_day = 365\nfollowers = {{ low = 300, high = 3000 }}\nstill_active = true\n\
         [delusion]\ntier = \"micro\"\nsnapshot_trials = 2000\n\
         [competition]\nsolver_careers = 1000\n"
    );
    Scenario::from_toml_str(&text, "field-delusion.toml").unwrap()
}

/// In the platform's field every view runs in the one field solved (shared, not solved
/// again: the self-assessed creators, whose talent differs, meet the price the real
/// population makes), the record names it by its checksum, and the like-you view agrees
/// with a plain "creators like you" run in the same field on another seed within 4 SE.
#[test]
fn in_the_field_every_view_shares_one_field_and_like_you_is_the_conditional_runs() {
    let scenario = in_the_field(20_000);
    let delusion = Delusion::new(&scenario).unwrap();
    let [cohort, self_assessed, snapshot] = delusion.fields().map(|f| f.expect("every part in the field"));
    assert!(!cohort.is_openness());
    assert!(std::ptr::eq(cohort, self_assessed) && std::ptr::eq(cohort, snapshot));
    let record = delusion.run(&Runner::new(21));
    assert_eq!(record.scenario.competition.unwrap().checksum, Some(cohort.checksum()));
    let r = record.report.as_ref().unwrap();
    let career = scenario.career_model().unwrap();
    assert_eq!(career.field().unwrap().checksum(), cohort.checksum());
    let like_you = CreatorsLikeYou::new(career, scenario.condition.unwrap()).unwrap();
    let (ours, conditional, _) = like_you_against_conditional(r, &like_you, Tier::Micro, 20_000);
    let (x, n) = (ours.successes, ours.trials);
    assert!(n > 100 && x > 10 && z(&ours, &conditional).abs() < 4.0, "{ours:?} vs {conditional:?}");
    // The snapshot is the field's: the same accounts on Career's platform differ.
    let mut career_only = scenario.clone();
    career_only.competition = None;
    assert!(Delusion::new(&career_only).unwrap().fields().iter().all(Option::is_none));
    let snapshot = |career: &CareerModel| {
        let visible = VisibleOdds::new(career, 3650, Tier::Micro.into()).unwrap();
        Runner::new(24).run(&visible, 2000).summary
    };
    assert_ne!(snapshot(like_you.career()), snapshot(&career_only.career_model().unwrap()));
}

/// A snapshot the solved field does not reach is refused in one line naming the field.
#[test]
fn a_snapshot_past_the_field_is_refused() {
    let mut scenario = in_the_field(100);
    scenario.delusion.as_mut().unwrap().snapshot_platform_day = 6000;
    let e = Delusion::new(&scenario).unwrap_err().to_string();
    assert!(
        e.starts_with(
            "delusion.snapshot_platform_day = 6000: must be at most competition.platform_days = 5475"
        ),
        "{e}"
    );
}
