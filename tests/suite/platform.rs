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

/// Bad `[competition]` settings, and a field from another run, are one-line errors naming the field.
#[test]
fn bad_competition_settings_are_one_line_errors() {
    let error = |competition: &str| {
        let text =
            format!("name = \"n\"\n[run]\ntrials = 100\n[population]\nentry_day = 3650\n{competition}");
        let e = match Scenario::from_toml_str(&text, "n.toml") {
            Err(e) => e.to_string(),
            Ok(s) => s.resolve().unwrap_err().to_string(),
        };
        assert!(!e.contains('\n'), "{e}");
        // After the file and line: the field, its value and what is allowed.
        e.split_once(": ").map_or(e.clone(), |(_, rest)| rest.to_string())
    };
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
