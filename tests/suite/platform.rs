//! Platforms: creators competing for attention (issue 24). The
//! Bianconi-Barabasi limit (follows in proportion to fitness x popularity)
//! against its continuum theory.

use clout::model::bianconi_barabasi::{BianconiBarabasiModel, BianconiBarabasiSpec, exponent_constant};
use clout::scenario::{Scenario, ScenarioModel};
use clout::stats::Estimate;
use clout::{Model, Runner};

/// Asserts `|estimate - theory| < 4 SE` with an SE small enough for the
/// comparison to mean something, and prints the row (docs/VALIDATION.md quotes it).
fn within_4_se(name: &str, e: &Estimate, theory: f64, largest_se: f64) {
    let z = (e.value - theory) / e.std_error;
    eprintln!(
        "{name}: {:.4} +- {:.4} (SE over worlds), theory {theory:.4}, z = {z:+.2}",
        e.value, e.std_error
    );
    assert!(e.std_error < largest_se, "{name}: SE {} too large to test", e.std_error);
    assert!(z.abs() < 4.0, "{name}: {} vs theory {theory}: {z:+.2} SE", e.value);
}

/// The built-in scenario (m = a = 1, 10^5 days, 200 worlds): growth
/// exponents eta / C with C ln(C / (C - 1)) = 2, C = 1.2550: 0.797 at
/// fitness 1 and 0.398 at fitness 0.5; and Z(T) / (m T) = C. The standard
/// errors are over the 200 independent replicate worlds (delta method for
/// the exponents' ratio of means).
#[test]
fn bianconi_barabasi_growth_exponents_are_eta_over_c() {
    let (scenario, model) = Scenario::builtin("bianconi-barabasi").unwrap().resolve().unwrap();
    let ScenarioModel::BianconiBarabasi(model) = model else { panic!("not the model") };
    let c = model.constant();
    assert!((c - 1.2550).abs() < 5e-5, "{c}");
    let report = model.report(&Runner::new(scenario.run.seed).run(&model, scenario.run.trials).summary);
    assert_eq!(report.worlds, 200);
    within_4_se("BB m=a=1 C", &report.constant, 1.2550, 0.002);
    within_4_se("BB m=a=1 exponent at fitness 1", &report.exponents[0], 1.0 / c, 0.005);
    within_4_se("BB m=a=1 exponent at fitness 0.5", &report.exponents[1], 0.5 / c, 0.01);
    assert!(
        (report.exact_exponents[0] - 0.797).abs() < 5e-4 && (report.exact_exponents[1] - 0.398).abs() < 5e-4
    );
}

/// Another newcomer attractiveness, a = 2m: C ln(C / (C - 1)) = 1.5 (C = 1.7) changes the
/// exponents; smaller worlds, more of them.
#[test]
fn bianconi_barabasi_constant_follows_the_initial_attractiveness() {
    let spec = BianconiBarabasiSpec {
        days: 20_000,
        follows_per_day: 2,
        initial_attractiveness: 4.0,
        probe_fitness: [0.9, 0.6],
        probe_day: 5,
        observe_from: 2_000,
    };
    let model = BianconiBarabasiModel::new(spec).unwrap();
    let c = exponent_constant(2.0, 4.0);
    assert!((c * (c / (c - 1.0)).ln() - 1.5).abs() < 1e-12 && (c - 1.2550).abs() > 0.3, "{c}");
    let report = model.report(&Runner::new(11).run(&model, 400).summary);
    within_4_se("BB m=2 a=4 C", &report.constant, c, 0.005);
    within_4_se("BB m=2 a=4 exponent at fitness 0.9", &report.exponents[0], 0.9 / c, 0.01);
    within_4_se("BB m=2 a=4 exponent at fitness 0.6", &report.exponents[1], 0.6 / c, 0.01);
}

/// A new creator on a mature platform (entry day 3650, five years), plain Monte Carlo,
/// with `competition` as the `[competition]` section (none: Career).
fn newcomer(competition: &str, trials: u64) -> Scenario {
    let text = format!(
        "name = \"newcomer\"\n[run]\ntrials = {trials}\nseed = 2026\n[population]\nentry_day = 3650\n{competition}"
    );
    Scenario::from_toml_str(&text, "newcomer.toml").unwrap()
}

fn career_summary(scenario: Scenario) -> clout::model::career::CareerSummary {
    let (scenario, model) = scenario.resolve().unwrap();
    let ScenarioModel::Career(model) = model else { panic!("not a career") };
    Runner::new(scenario.run.seed).run(&*model, scenario.run.trials).summary
}

/// Reduction: the field forced to Career's `p(a) = d0 O(a)` with no popularity bias gives
/// Career's careers bit for bit (the same draws, the same arithmetic: the code reads `d0`
/// where Career does), so the whole summary is equal, not only within SE.
#[test]
fn the_openness_field_is_career_bit_for_bit() {
    let career = career_summary(newcomer("", 20_000));
    let forced = career_summary(newcomer("[competition]\nfield = \"openness\"\n", 20_000));
    assert_eq!(career, forced);
    // And a field that differs does change the careers (the test can fail).
    let solved = career_summary(newcomer("[competition]\nsolver_careers = 2000\n", 20_000));
    assert_ne!(career, solved);
}

/// Self-consistency: careers run i.i.d. in the solved field, 40,000 fresh ones (another
/// seed), give back the field's own weight `W(a) = A(a) / p(a) - W0` within 4 SE (the SE of
/// both estimates combined), on platform days from the second year to the last (the
/// first months have too few careers to test at this size).
#[test]
#[ignore = "slow: about 30 s, 40,000 careers against the solved field"]
fn careers_in_the_solved_field_reproduce_its_weight() {
    use clout::experiment::field::{FieldCareers, solve, weights};
    let scenario = newcomer("[competition]\nsolver_careers = 40000\n", 1000);
    let spec = scenario.career_spec();
    let c = spec.competition.unwrap();
    let solution = solve(spec, 2026).unwrap();
    eprintln!("field solved in {} iterations, last change {:.2e}", solution.iterations, solution.change);
    let prices = solution.field.prices();
    let careers = FieldCareers::new(spec, solution.field.clone()).unwrap();
    let (weight, se) = weights(&careers, &Runner::new(77), 40_000);
    for day in [730u32, 1825, 3650, 5000, 5474] {
        let a = day as usize;
        let implied = c.attention_on(f64::from(day)) / prices[a] - c.base_weight();
        let combined = (se[a].powi(2) + solution.weight_se[a].powi(2)).sqrt();
        let z = (weight[a] - implied) / combined;
        eprintln!(
            "day {day}: p {:.3}, W of the field {implied:.1} (solver's {:.1} +- {:.1}), fresh careers {:.1} +- {:.1}, z = {z:+.2}",
            prices[a], solution.weight[a], solution.weight_se[a], weight[a], se[a]
        );
        assert!(combined < 0.1 * implied, "day {day}: SE {combined} too large to test");
        assert!(z.abs() < 4.0, "day {day}: {} vs {implied}: {z:+.2} SE", weight[a]);
    }
}

/// The one-line error of a scenario of creators entering on `entry_day` with `sections`
/// appended, after the file and line: the field, its value and what is allowed.
fn refusal(entry_day: u32, sections: &str) -> String {
    let text =
        format!("name = \"n\"\n[run]\ntrials = 100\n[population]\nentry_day = {entry_day}\n{sections}");
    let e = match Scenario::from_toml_str(&text, "n.toml") {
        Err(e) => e.to_string(),
        Ok(s) => s.resolve().unwrap_err().to_string(),
    };
    assert!(!e.contains('\n'), "{e}");
    e.split_once(": ").map_or(e.clone(), |(_, rest)| rest.to_string())
}

/// Bad `[competition]` settings, and a field from another run, are one-line errors naming the field.
#[test]
fn bad_competition_settings_are_one_line_errors() {
    let error = |competition: &str| refusal(3650, competition);
    let e = error("[competition]\nentry_growth = 9\n");
    assert_eq!(e, "competition.entry_growth = 9: must lie in [-5, 5]");
    let e = error("[competition]\nattention = -1\n");
    assert!(e.starts_with("competition.attention = -1: must be > 0"), "{e}");
    let e = error("[competition]\nplatform_days = 4000\n");
    assert!(e.starts_with("competition.platform_days = 4000: must cover every career observed"), "{e}");
    let e = error("[competition]\nsolver_careers = 10\n");
    assert!(e.starts_with("competition.solver_careers = 10: must lie in [100, 1e7]"), "{e}");
    let e = error("[competition]\nsolver_careers = 500\nsolver_iterations = 1\n");
    assert!(e.starts_with("competition.solver_iterations = 1: the field did not converge"), "{e}");
    let e = error("[competition]\nsolver_careers = 500\n[platform]\nopenness_floor = 0\n");
    assert!(e.starts_with("platform.openness_floor = 0: must be > 0 when creators compete"), "{e}");
    // A record's field that is not the one solved here (a forged or foreign checksum).
    let (resolved, _) = newcomer("[competition]\nsolver_careers = 500\n", 100).resolve().unwrap();
    let solved = resolved.competition.unwrap().checksum.unwrap();
    let e = error(&format!("[competition]\nsolver_careers = 500\nchecksum = {}\n", solved ^ 1));
    assert!(
        e.starts_with(&format!("competition.checksum = {}: is not the checksum {solved}", solved ^ 1)),
        "{e}"
    );
    assert!(
        newcomer(&format!("[competition]\nsolver_careers = 500\nchecksum = {solved}\n"), 100)
            .resolve()
            .is_ok()
    );
}

/// A creator entering on `entry_day`, five years, in a field solved from 2,000 careers an
/// iteration, with `extra` appended (sections of the offsets).
fn offset_creator(entry_day: u32, extra: &str, trials: u64) -> Scenario {
    let text = format!(
        "name = \"offsets\"\n[run]\ntrials = {trials}\nseed = 2026\n[population]\nentry_day = {entry_day}\n\
         [competition]\nsolver_careers = 2000\n{extra}"
    );
    Scenario::from_toml_str(&text, "offsets.toml").unwrap()
}

/// The Career model a scenario resolves to.
fn career_of(scenario: Scenario) -> (u64, u64, clout::CareerModel) {
    let (scenario, model) = scenario.resolve().unwrap();
    let ScenarioModel::Career(model) = model else { panic!("not a career") };
    (scenario.run.seed, scenario.run.trials, *model)
}

/// Offsets of 0 (`platform.openness_offset_days`, `competition.price_offset_days`) are
/// today's numbers bit for bit, with and without `[competition]`, and leave the scenario's
/// echo as it was (the fields are written only when set).
#[test]
fn offsets_of_zero_change_nothing() {
    let plain = offset_creator(3650, "", 5000);
    let zero = offset_creator(3650, "price_offset_days = 0\n[platform]\nopenness_offset_days = 0\n", 5000);
    let echo = |s: &Scenario| toml::to_string(&s.clone().resolved().unwrap()).unwrap();
    assert_eq!(echo(&plain), echo(&zero));
    assert!(!echo(&zero).contains("offset_days"));
    assert_eq!(career_summary(plain), career_summary(zero));
    let career = career_summary(newcomer("", 5000));
    assert_eq!(career, career_summary(newcomer("[platform]\nopenness_offset_days = 0\n", 5000)));
    // An offset that is not 0 does change the careers (the test can fail).
    assert_ne!(career, career_summary(newcomer("[platform]\nopenness_offset_days = 1000\n", 5000)));
}

/// In a cohort the entry day reaches a creator only through openness `O(a)` and the price
/// `p(a)` (the horizon is the cohort's, every trait and luck stream is keyed apart from the
/// entry day, and the field is the platform's whoever is observed), so a creator entering on
/// day 30 who meets both schedules 3620 days on is the creator entering on day 3650, career
/// for career, bit for bit (30 + 3620 is 3650 exactly in floating point, and the two read
/// the same field: it is solved without the offsets). Only the stated entry day differs.
#[test]
fn both_schedules_moved_are_the_late_entrant_bit_for_bit() {
    let offsets = "price_offset_days = 3620\n[platform]\nopenness_offset_days = 3620\n";
    let (seed, trials, early_moved) = career_of(offset_creator(30, offsets, 20_000));
    let (_, _, late) = career_of(offset_creator(3650, "", 20_000));
    assert_eq!(early_moved.field().unwrap().checksum(), late.field().unwrap().checksum());
    let mut reached = 0;
    for trial in 0..trials {
        let streams = clout::TrialStreams::new(seed, trial);
        let (mut a, b) = (early_moved.sample_trial(&streams), late.sample_trial(&streams));
        assert_eq!(a.creator.entry_day, 30.0);
        a.creator.entry_day = 3650.0;
        assert_eq!(a, b, "trial {trial}");
        reached += usize::from(b.reached_day[0].is_some());
    }
    assert!(reached > 100, "{reached} reached nano: too few to mean something");
    // One schedule moved is neither (the test can fail).
    let (_, _, half) = career_of(offset_creator(30, "price_offset_days = 3620\n", 2000));
    let differ = (0..2000).any(|t| {
        let streams = clout::TrialStreams::new(seed, t);
        half.sample_trial(&streams).followers != late.sample_trial(&streams).followers
    });
    assert!(differ);
}

/// Bad offsets are one-line errors naming the field, the value and what is allowed.
#[test]
fn bad_offsets_are_one_line_errors() {
    let e = refusal(30, "[platform]\nopenness_offset_days = -1\n");
    assert_eq!(e, "platform.openness_offset_days = -1: must lie in [0, 36500]");
    let e = refusal(30, "[platform]\nopenness_offset_days = 40000\n");
    assert_eq!(e, "platform.openness_offset_days = 40000: must lie in [0, 36500]");
    let e = refusal(30, "[competition]\nprice_offset_days = -5\n");
    assert_eq!(e, "competition.price_offset_days = -5: must lie in [0, platform_days = 5475) days");
    let e = refusal(30, "[competition]\nprice_offset_days = 6000\n");
    assert_eq!(e, "competition.price_offset_days = 6000: must lie in [0, platform_days = 5475) days");
    let e = refusal(30, "[competition]\nprice_offset_days = 3700\n");
    assert!(
        e.starts_with(
            "competition.price_offset_days = 3700: must keep every career observed within the field"
        ),
        "{e}"
    );
    let e = refusal(30, "[competition]\nfield = \"openness\"\nprice_offset_days = 100\n");
    assert!(e.starts_with("competition.price_offset_days = 100: needs a solved field"), "{e}");
    let e = refusal(30, "[competition]\nprice_offset_days = 100\n[world]\ncreators = 100\n");
    assert!(e.starts_with("competition.price_offset_days = 100: is not used by worlds"), "{e}");
    let e = refusal(30, "[platform]\nopenness_offset_days = 100\n[world]\ncreators = 100\n");
    assert!(e.starts_with("platform.openness_offset_days = 100: is not used by worlds"), "{e}");
}

/// The four points of `early-entrant-split` run on one trial's streams (the sweep's pairing):
/// per tier, whether each point's career reached it.
struct Split(Vec<clout::CareerModel>);

/// Per tier: trials, each point's count, and for each contrast (twice the Shapley parts, so
/// that every trial's value is a whole number) its sum and sum of squares, exactly.
#[derive(Default, Clone)]
struct SplitSums {
    trials: u64,
    reached: [[u64; 4]; 5],
    sums: [[(i64, i64); 4]; 5],
}

/// Twice each contrast of one trial's four outcomes `x` (points 0-3 of the grid: early
/// openness and price, early openness late price, late openness early price, late both):
/// the whole advantage, openness's part (the mean of its two contrasts), competition's part
/// and the interaction, each times 2.
fn contrasts(x: [i64; 4]) -> [i64; 4] {
    [
        2 * (x[0] - x[3]),
        (x[0] - x[2]) + (x[1] - x[3]),
        (x[0] - x[1]) + (x[2] - x[3]),
        2 * (x[0] - x[1] - x[2] + x[3]),
    ]
}

impl clout::Summary<[[bool; 4]; 5]> for SplitSums {
    fn record(&mut self, outcome: &[[bool; 4]; 5]) {
        self.trials += 1;
        for (t, x) in outcome.iter().enumerate() {
            for (count, &hit) in self.reached[t].iter_mut().zip(x) {
                *count += u64::from(hit);
            }
            for (s, c) in self.sums[t].iter_mut().zip(contrasts(x.map(i64::from))) {
                *s = (s.0 + c, s.1 + c * c);
            }
        }
    }
    fn merge(&mut self, other: &Self) {
        self.trials += other.trials;
        for t in 0..5 {
            for k in 0..4 {
                self.reached[t][k] += other.reached[t][k];
                let (a, b) = other.sums[t][k];
                self.sums[t][k] = (self.sums[t][k].0 + a, self.sums[t][k].1 + b);
            }
        }
    }
    fn trials(&self) -> u64 {
        self.trials
    }
}

impl Model for Split {
    type Outcome = [[bool; 4]; 5];
    type Summary = SplitSums;
    type Report = ();
    fn sample_trial(&self, streams: &clout::TrialStreams) -> [[bool; 4]; 5] {
        let careers: Vec<_> = self.0.iter().map(|m| m.sample_trial(streams)).collect();
        std::array::from_fn(|t| std::array::from_fn(|k| careers[k].reached_day[t].is_some()))
    }
    fn new_summary(&self) -> SplitSums {
        SplitSums::default()
    }
    fn report(&self, _: &SplitSums) {}
}

/// The early entrant's advantage (entry day 30 against 3650, five years, in the solved
/// field) split into openness and competition: the built-in `early-entrant-split` sweep's
/// four points run again on the same trials, per trial, so that each Shapley part (the mean
/// of a factor's two contrasts) and the interaction get their mean and standard error over
/// the paired trials (the sweep's record pairs each point with the baseline only). Checks:
/// each point's counts are the sweep's, exactly (the same careers), and the parts add up to
/// the whole advantage. Prints the table docs/guide/src/sweeps.md quotes.
#[test]
#[ignore = "slow: the sweep (4 x 200,000 careers and a field solve) and its four points again, about 35 s"]
fn early_entrant_split_into_openness_and_competition() {
    let scenario = Scenario::builtin("early-entrant-split").unwrap();
    let sweep = scenario.sweep().unwrap();
    let (seed, trials) = (scenario.run.seed, sweep.trials());
    let record = sweep.run(&Runner::new(seed)).unwrap();
    let models: Vec<_> = sweep.points().iter().map(|p| p.scenario.career_model().unwrap()).collect();
    let sums = Runner::new(seed).run(&Split(models), trials).summary;
    let n = sums.trials as f64;
    eprintln!(
        "{trials} creators, the same at each point; pp = percentage points, +- one SE over paired trials"
    );
    eprintln!("tier | early | late | advantage | openness (Shapley) | competition (Shapley) | interaction");
    for (t, tier) in clout::Tier::ALL.iter().enumerate() {
        for k in 0..4 {
            let clout::study::sweep::PointAnswer::Career(odds) =
                &record.report.as_ref().unwrap().points[k].answer
            else {
                panic!("a career point")
            };
            assert_eq!(odds.tiers[t].reached.successes, sums.reached[t][k], "{tier:?}, point {k}");
        }
        let [whole, openness, competition, interaction] = sums.sums[t].map(|(s, ss)| {
            let (s, ss) = (s as f64 / 2.0, ss as f64 / 4.0);
            let mean = s / n;
            let se = ((ss - s * mean) / (n - 1.0) / n).sqrt();
            (100.0 * mean, 100.0 * se)
        });
        assert_eq!(sums.sums[t][1].0 + sums.sums[t][2].0, sums.sums[t][0].0, "the parts add up");
        let p = |k: usize| 100.0 * sums.reached[t][k] as f64 / n;
        let show = |(m, se): (f64, f64)| format!("{m:+.3} pp +- {se:.3}");
        let part = |(m, se): (f64, f64)| format!("{} ({:.0}%)", show((m, se)), 100.0 * m / whole.0);
        eprintln!(
            "{tier:?} | {:.3}% | {:.3}% | {} | {} | {} | {}",
            p(0),
            p(3),
            show(whole),
            part(openness),
            part(competition),
            show(interaction)
        );
    }
}

/// The field is the platform's: scenarios of one platform observed in different ways (a
/// snapshot, a cohort of newcomers with another goal) solve the same field, bit for bit,
/// and share it (a compare variant's headline answers meet the field of its fit); another
/// platform (twice the attention) or another seed solves another.
#[test]
fn scenarios_of_one_platform_share_one_field() {
    let field = |seed: u64, sections: &str, competition: &str| {
        let text = format!(
            "name = \"p\"\n[run]\nseed = {seed}\n{sections}[competition]\nsolver_careers = 300\n{competition}"
        );
        let s = Scenario::from_toml_str(&text, "p.toml").unwrap();
        s.career_model().unwrap().field().unwrap().checksum()
    };
    let snapshot = field(
        5,
        "[observation]\nkind = \"snapshot\"\nplatform_day = 3650\n\
         [population]\nentry_day = { dist = \"uniform\", low = 0, high = 3650 }\n",
        "",
    );
    let newcomers = "[population]\nentry_day = 3650\n";
    let cohort = field(5, &format!("{newcomers}[tiers]\ngoal = \"macro\"\n"), "");
    assert_eq!(snapshot, cohort);
    assert_ne!(cohort, field(5, newcomers, "attention = 2e7\n"));
    assert_ne!(cohort, field(6, newcomers, ""));
}
