//! Rendering of calibrations: the fitted parameters with their intervals,
//! each target against the fitted model, the held-out checks, and the
//! search's bookkeeping; CSV in long form (one row per parameter, band or check).

use crate::report::career::{fmt_interval, fmt_prob};
use crate::scenario::Scenario;
use crate::study::calibrate::{
    CalibrationPiece, CalibrationRecord, CalibrationReport, FittedParameter, MIN_EFFECTIVE_COUNT, TargetsSpec,
};
use std::fmt::Write as _;

/// A parameter's value with four significant digits.
fn fmt_value(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) { format!("{v:.3e}") } else { format!("{:.4}", v) }
}

fn fmt_parameter_interval(p: &FittedParameter) -> String {
    match (p.interval, p.at_bound) {
        (_, true) => "(at a bound: none)".into(),
        (Some([lo, hi]), _) => format!("[{}, {}]", fmt_value(lo), fmt_value(hi)),
        (None, _) => "(not identified)".into(),
    }
}

fn csv_text(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The fitted parameters with their intervals, starts and bounds, a warning
/// for each interval that rests on too few accounts, and their correlations.
fn write_parameters(out: &mut String, r: &CalibrationReport, t: &TargetsSpec) {
    if t.target.is_empty() {
        let _ = writeln!(
            out,
            "\nfitted parameters (95% intervals from the Fisher information at n_eff = {}):",
            t.n_eff
        );
    } else {
        let _ = writeln!(
            out,
            "\nfitted parameters (95% intervals from the Fisher information of the fitted targets, at their weights):"
        );
    }
    let width = r.parameters.iter().map(|p| p.path.len()).max().unwrap_or(0).max(9);
    let _ = writeln!(
        out,
        "  {:<width$}  {:>11}  {:>24}  {:>11}  {:>22}",
        "parameter", "fitted", "95% interval", "start", "bounds"
    );
    for p in &r.parameters {
        let _ = writeln!(
            out,
            "  {:<width$}  {:>11}  {:>24}  {:>11}  {:>22}",
            p.path,
            fmt_value(p.value),
            fmt_parameter_interval(p),
            fmt_value(p.start),
            format!("[{}, {}] {:?}", fmt_value(p.low), fmt_value(p.high), p.scale).to_lowercase()
        );
    }
    for p in r.parameters.iter().filter(|p| p.interval.is_some() && !p.trusted) {
        let _ = writeln!(
            out,
            "  NOT TRUSTED: {}'s interval rests on about {:.1} accounts of the census (its effective count,\n  \
             under {MIN_EFFECTIVE_COUNT}): at so few a 95% interval does not hold (docs/CALIBRATION.md).",
            p.path,
            p.effective_count.unwrap_or(0.0)
        );
    }
    if let Some(c) = &r.correlations
        && c.len() > 1
    {
        let _ = writeln!(out, "correlations (search scale):");
        for (i, p) in r.parameters.iter().enumerate() {
            let row: Vec<String> = c[i].iter().map(|v| format!("{v:+.2}")).collect();
            let _ = writeln!(out, "  {:<width$}  {}", p.path, row.join("  "));
        }
    }
}

/// Each band's target against the fitted model on new luck, and the deviance
/// with its Monte Carlo error and its test of fit.
fn write_bands(out: &mut String, r: &CalibrationReport) {
    if r.bands.is_empty() {
        write_deviance(out, r);
        return;
    }
    let _ = writeln!(
        out,
        "\ntargets against the fitted model ({} accounts at or above {} followers among {} careers on new luck):",
        r.accounts,
        r.bands.first().map_or(0, |b| b.band.from),
        r.search.verify_trials
    );
    let _ = writeln!(
        out,
        "  {:<10} {:>17}  {:>9}  {:>9}  {:>24}  {:>8}",
        "band", "followers", "target", "model", "95% interval", "error"
    );
    for b in &r.bands {
        let followers = match b.band.to {
            Some(to) => format!("{}-{}", b.band.from, to),
            None => format!("{}+", b.band.from),
        };
        let _ = writeln!(
            out,
            "  {:<10} {:>17}  {:>9}  {:>9}  {:>24}  {:>+7.1}%{}",
            b.band.name,
            followers,
            fmt_prob(b.target),
            fmt_prob(b.model.estimate),
            fmt_interval(b.model.lower, b.model.upper),
            100.0 * b.relative_error,
            if b.matched { "" } else { "  MISSED" }
        );
    }
    write_deviance(out, r);
}

/// The deviance (the objective on new luck) with its Monte Carlo error and its test of fit.
fn write_deviance(out: &mut String, r: &CalibrationReport) {
    let fit = match r.p_value {
        Some(p) => format!("chi-square p = {p:.3} on {} degrees of freedom", r.degrees_of_freedom),
        None => format!(
            "saturated ({} free shares, {} parameters): the deviance measures closeness, not fit",
            r.degrees_of_freedom + r.parameters.len() as i64,
            r.parameters.len()
        ),
    };
    let _ = writeln!(
        out,
        "deviance {:.2} +/- {:.2} (Monte Carlo SE) on new luck, {:.2} on the search's luck; {fit}",
        r.deviance, r.deviance_se, r.deviance_search
    );
}

/// The held-out checks, published value against the model's (nothing when there are none).
fn write_checks(out: &mut String, r: &CalibrationReport) {
    if r.checks.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nheld-out checks (not fitted):");
    for c in &r.checks {
        let _ = writeln!(
            out,
            "  {}: published {}, model {} {} ({} of {} accounts){}",
            c.name,
            fmt_prob(c.value),
            fmt_prob(c.model.estimate),
            fmt_interval(c.model.lower, c.model.upper),
            c.model.careers,
            c.model.among,
            if c.agrees { ", agrees" } else { ", DISAGREES" }
        );
        if !c.source.is_empty() {
            let _ = writeln!(out, "    source: {}", c.source);
        }
    }
}

/// Each `[[target]]` against the fitted model on new luck: its weight and
/// term of the deviance; a ratio's or slope's value with its interval (the
/// fit's uncertainty added to the Monte Carlo error), or each category's
/// share with that interval; and, held out, whether it agrees.
fn write_targets(out: &mut String, r: &CalibrationReport) {
    if r.targets.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\ntargets (each a file; 95% intervals hold the fit's uncertainty{}):",
        if r.targets.iter().all(|t| t.fit_uncertainty) { "" } else { " where the information allowed" }
    );
    for t in &r.targets {
        let role = if t.held_out { "held out" } else { "fitted" };
        let verdict = match (t.held_out, t.agrees) {
            (_, true) => "agrees",
            (true, false) => "DISAGREES",
            (false, false) => "MISSED",
        };
        let _ = writeln!(
            out,
            "  {} ({}, {role}, weight {}): deviance term {:.2}; {verdict}",
            t.name,
            t.kind.name(),
            t.weight,
            t.deviance
        );
        let _ = writeln!(out, "    file: {}", t.file);
        if let Some(s) = &t.statistic {
            let published = if s.target_low == s.target_high {
                format!("{:.4}", s.target_low)
            } else {
                format!("[{:.3}, {:.3}]", s.target_low, s.target_high)
            };
            let _ = writeln!(
                out,
                "    {}: published {published}, model {:.4} [{:.4}, {:.4}]",
                s.name, s.model, s.lower, s.upper
            );
            continue;
        }
        for (b, [lo, hi]) in t.categories.iter().zip(&t.prediction) {
            let _ = writeln!(
                out,
                "    {:<10} target {:>9}  model {:>9}  {:>24}",
                b.band.name,
                fmt_prob(b.target),
                fmt_prob(b.model.estimate),
                fmt_interval(*lo, *hi)
            );
        }
    }
}

/// The search's bookkeeping and the verdict, with every reason for a misfit.
fn write_search_and_verdict(out: &mut String, r: &CalibrationReport) {
    let s = &r.search;
    let careers = match s.coarse_trials {
        Some(coarse) => format!(
            "{} evaluations: {} of {coarse} careers (the coarse rounds), then {} of {} careers",
            s.evaluations,
            s.coarse_evaluations,
            s.evaluations - s.coarse_evaluations,
            s.trials
        ),
        None => format!("{} evaluations of {} careers each", s.evaluations, s.trials),
    };
    let _ = writeln!(
        out,
        "\nsearch: {careers} (budget {}), Nelder-Mead with {} restart(s), {}; then {} for the intervals",
        s.max_evaluations,
        s.restarts,
        if s.converged { "converged" } else { "stopped by the budget" },
        2 * r.parameters.len()
    );
    if r.misfit.is_empty() {
        let _ = writeln!(
            out,
            "verdict: every band within 20% of its target (or within Monte Carlo error of it){}",
            if r.targets.iter().any(|t| t.statistic.is_some() && !t.held_out) {
                ", every fitted slope or ratio within its interval of the published"
            } else {
                ""
            }
        );
    } else {
        let _ = writeln!(out, "verdict: MISFIT");
        for m in &r.misfit {
            let _ = writeln!(out, "  - {m}");
        }
    }
}

/// The first line of a calibration's table, finished or stopped: what was
/// calibrated, against which scenario, with which seeds.
fn heading(clout_version: &str, t: &TargetsSpec, scenario: &Scenario) -> String {
    let trust = if t.target.is_empty() {
        format!("n_eff {}", t.n_eff)
    } else {
        let fitted = t.target.iter().filter(|e| !e.held_out).count();
        format!("{fitted} fitted target(s), {} held out", t.target.len() - fitted)
    };
    format!(
        "clout {clout_version} | calibration {:?}: {} | scenario {:?} | {trust} | seed {} (search), {} (check)\n",
        t.name,
        t.description,
        scenario.name,
        t.run.seed,
        t.run.verify_seed()
    )
}

impl CalibrationRecord {
    /// The readable table.
    pub fn to_table(&self) -> String {
        let r = &self.report;
        let t = &self.targets;
        let mut out = heading(&self.clout_version, t, &self.scenario);
        if !t.source.is_empty() {
            let _ = writeln!(out, "targets: {}", t.source);
        }
        write_parameters(&mut out, r, t);
        write_bands(&mut out, r);
        write_targets(&mut out, r);
        write_checks(&mut out, r);
        write_search_and_verdict(&mut out, r);
        out
    }

    /// CSV in long form: `kind,name,target,value,lower,upper,note,trusted`
    /// (`trusted` is `true` or `false` for a parameter, empty otherwise).
    pub fn to_csv(&self) -> String {
        let r = &self.report;
        let mut out = String::from("kind,name,target,value,lower,upper,note,trusted\n");
        for p in &r.parameters {
            let (lo, hi) =
                p.interval.map_or((String::new(), String::new()), |[a, b]| (a.to_string(), b.to_string()));
            let note = if p.at_bound {
                "at a bound".to_string()
            } else if p.interval.is_none() {
                "not identified".to_string()
            } else if !p.trusted {
                format!("effective count {:.1}", p.effective_count.unwrap_or(0.0))
            } else {
                String::new()
            };
            let _ =
                writeln!(out, "parameter,{},,{},{lo},{hi},{note},{}", csv_text(&p.path), p.value, p.trusted);
        }
        for b in &r.bands {
            let _ = writeln!(
                out,
                "band,{},{},{},{},{},{},",
                csv_text(&b.band.name),
                b.target,
                b.model.estimate,
                b.model.lower,
                b.model.upper,
                if b.matched { "" } else { "missed" }
            );
        }
        for c in &r.checks {
            let _ = writeln!(
                out,
                "check,{},{},{},{},{},{},",
                csv_text(&c.name),
                c.value,
                c.model.estimate,
                c.model.lower,
                c.model.upper,
                if c.agrees { "" } else { "disagrees" }
            );
        }
        for t in &r.targets {
            let role = if t.held_out { "held out" } else { "fitted" };
            if let Some(s) = &t.statistic {
                let _ = writeln!(
                    out,
                    "target,{},{},{},{},{},{},",
                    csv_text(&format!("{} {}", t.name, s.name)),
                    if s.target_low == s.target_high {
                        s.target_low.to_string()
                    } else {
                        format!("{} to {}", s.target_low, s.target_high)
                    },
                    s.model,
                    s.lower,
                    s.upper,
                    csv_text(&format!(
                        "{role}, weight {}{}",
                        t.weight,
                        if t.agrees { "" } else { ", disagrees" }
                    ))
                );
                continue;
            }
            for (b, [lo, hi]) in t.categories.iter().zip(&t.prediction) {
                let _ = writeln!(
                    out,
                    "target,{},{},{},{lo},{hi},{},",
                    csv_text(&format!("{} {}", t.name, b.band.name)),
                    b.target,
                    b.model.estimate,
                    csv_text(&format!(
                        "{role}, weight {}{}",
                        t.weight,
                        if t.agrees { "" } else { ", disagrees" }
                    ))
                );
            }
        }
        let _ = writeln!(out, "deviance,verification,,{},,,se {},", r.deviance, r.deviance_se);
        out
    }
}

impl CalibrationPiece {
    /// The readable table: what was calibrated, that it was stopped and
    /// what it holds, then each evaluation's kind and point.
    pub fn to_table(&self) -> String {
        let t = &self.targets;
        let mut out = heading(&self.clout_version, t, &self.scenario);
        let _ = writeln!(
            out,
            "INTERRUPTED: holds {}; no report until it is resumed (clout calibrate TARGETS --resume FILE, \
             with the interrupted run's targets, --trials and --seed)",
            self.held_in_words()
        );
        let _ = write!(out, "\n{:>10}  {:<12}", "evaluation", "kind");
        for path in t.fit.keys() {
            let _ = write!(out, "  {path:>24}");
        }
        out.push('\n');
        for (i, e) in self.evaluations.iter().enumerate() {
            let _ = write!(out, "{:>10}  {:<12}", i + 1, e.kind.name());
            for v in e.theta() {
                let _ = write!(out, "  {:>24}", fmt_value(v));
            }
            out.push('\n');
        }
        out
    }

    /// CSV: `evaluation,kind,seed,trials` and each fitted parameter's value,
    /// one row per evaluation held.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("evaluation,kind,seed,trials");
        for path in self.targets.fit.keys() {
            out += &format!(",{}", csv_text(path));
        }
        out.push('\n');
        for (i, e) in self.evaluations.iter().enumerate() {
            let _ = write!(out, "{},{},{},{}", i + 1, e.kind.name(), e.seed, e.trials);
            for v in e.theta() {
                let _ = write!(out, ",{v}");
            }
            out.push('\n');
        }
        out
    }
}
