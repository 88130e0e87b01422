//! Rendering of comparisons: the answer first (which variant the data
//! favour, how much the headline answers move across the variants they
//! cannot reject), then one table of the variants (criterion, held-out
//! checks, identifiability), their fitted parameters, their fit per target
//! and the headline answers under each; CSV in long form.

use crate::model::career::money::short_amount;
use crate::report::career::fmt_prob;
use crate::study::compare::{Answer, Answers, CompareRecord, REJECT_DELTA, VariantResult};
use std::fmt::Write as _;

/// A value with four significant digits.
fn fmt_value(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) { format!("{v:.3e}") } else { format!("{v:.4}") }
}

/// A chance (the first [`Answers::CHANCES`] answers) as a percentage, an index as a number.
fn fmt_answer(a: Option<&Answer>, chance: bool) -> String {
    let f = |x: f64| if chance { fmt_prob(x) } else { format!("{x:.3}") };
    match a {
        None => "(none)".into(),
        Some(a) => {
            let upper = a.upper.map_or("?".into(), f);
            format!("{} [{}, {}]", f(a.value), f(a.lower), upper)
        }
    }
}

fn csv_text(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The last step of a dotted path (`share_rate`), or the path when the
/// last step is ambiguous (`median` of the niche: `niche.median`).
fn short(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('.').collect();
    if parts.len() > 2 {
        parts.remove(0);
    }
    if parts.len() == 2 && parts[0] == "platform" || parts[0] == "persistence" {
        parts.remove(0);
    }
    parts.join(".")
}

impl CompareRecord {
    /// The answer in words: the favoured variant and the spread of each
    /// headline answer across the variants not rejected.
    fn verdict(&self) -> String {
        let mut out = String::new();
        let Some(r) = self.ranking() else {
            return "No variant finished yet: nothing to compare.\n".into();
        };
        let best = &self.variants[r.best];
        let next = (0..r.aic.len()).filter(|&i| i != r.best).min_by(|&a, &b| r.aic[a].total_cmp(&r.aic[b]));
        let _ = write!(
            out,
            "The data favour {:?} (AIC {:.1}, Akaike weight {:.2}",
            best.name, r.aic[r.best], r.weight[r.best]
        );
        if let Some(n) = next {
            let _ = write!(
                out,
                "; next {:?} at Delta AIC {:.1}, Monte Carlo se about {:.1}{}",
                self.variants[n].name,
                r.delta[n],
                r.delta_se[n],
                if r.paired { ", paired on the check's careers" } else { ", unpaired" }
            );
        }
        let kept: Vec<&str> = self
            .variants
            .iter()
            .zip(&r.rejected)
            .filter(|(_, x)| !**x)
            .map(|(v, _)| v.name.as_str())
            .collect();
        let _ = writeln!(
            out,
            ").\nThe data cannot reject {} of {} variant(s) (Delta AIC - 2 se <= {REJECT_DELTA}): {}. Across them (the model uncertainty):",
            kept.len(),
            self.variants.len(),
            kept.join(", ")
        );
        let income = self.variants.iter().any(|v| v.answers.income_goal.is_some());
        let engaged = self.variants.iter().any(|v| v.answers.engaged_goal.is_some());
        for (k, (what, _)) in best.answers.named().iter().enumerate() {
            if k == Answers::INCOME && !income || k == Answers::ENGAGED && !engaged {
                continue;
            }
            let f = |x: f64| if k < Answers::CHANCES { fmt_prob(x) } else { format!("{x:.3}") };
            match self.spread(k) {
                Some(([lo, hi], [l, u])) => {
                    let u = if u.is_finite() { f(u) } else { "?".into() };
                    let _ = writeln!(
                        out,
                        "  {what:<28} {} to {} (95% intervals from {} to {u})",
                        f(lo),
                        f(hi),
                        f(l)
                    );
                }
                None => {
                    let _ = writeln!(out, "  {what:<28} (none)");
                }
            }
        }
        out
    }

    /// The variants' table: criterion, held-out, identifiability.
    fn write_variants(&self, out: &mut String) {
        let r = self.ranking();
        let _ = writeln!(
            out,
            "\n  {:<20} {:>2} {:>16} {:>9} {:>14} {:>6} {:>8} {:>10}  ridges",
            "variant", "k", "deviance G (se)", "AIC", "Delta (se)", "weight", "held out", "cond."
        );
        for (i, v) in self.variants.iter().enumerate() {
            let (passed, total) = v.held_out();
            let cond = v.condition_number().map_or("singular".into(), |c| format!("{c:.3e}"));
            let ridges = v.ridges();
            let (delta, weight) = r.as_ref().map_or((String::new(), 0.0), |r| {
                (format!("{:.1} ({:.1})", r.delta[i], r.delta_se[i]), r.weight[i])
            });
            let rejected = r.as_ref().is_some_and(|r| r.rejected[i]);
            let _ = writeln!(
                out,
                "  {:<20} {:>2} {:>16} {:>9.1} {:>14} {:>6.3} {:>8} {:>10}  {}{}",
                v.name,
                v.parameters(),
                format!("{:.1} ({:.1})", v.deviance(), v.calibration.report.deviance_se),
                v.aic(),
                delta,
                weight,
                format!("{passed}/{total}"),
                cond,
                if ridges.is_empty() { "none".into() } else { ridges.join("; ") },
                if rejected { "  REJECTED" } else { "" }
            );
        }
    }

    /// Each variant's fitted parameters with their intervals.
    fn write_parameters(&self, out: &mut String) {
        let _ = writeln!(out, "\nfitted parameters (95% intervals; options set in each variant):");
        for (v, spec) in self.variants.iter().zip(&self.comparison.variant) {
            let options: Vec<String> = spec
                .options
                .iter()
                .map(|(k, x)| format!("{} = {}", short(k), crate::scenario::sweep::show_value(x)))
                .collect();
            let parameters: Vec<String> = v
                .calibration
                .report
                .parameters
                .iter()
                .map(|p| {
                    let interval = match (p.interval, p.at_bound) {
                        (_, true) => " (at a bound)".to_string(),
                        (Some([lo, hi]), _) => {
                            format!(
                                " [{}, {}]{}",
                                fmt_value(lo),
                                fmt_value(hi),
                                if p.trusted { "" } else { " NOT TRUSTED" }
                            )
                        }
                        (None, _) => " (not identified)".to_string(),
                    };
                    format!("{} {}{interval}", short(&p.path), fmt_value(p.value))
                })
                .collect();
            let options = if options.is_empty() { "no option".into() } else { options.join(", ") };
            let _ = writeln!(out, "  {:<20} {options}\n  {:<20} {}", v.name, "", parameters.join("; "));
        }
    }

    /// Each target's term of the deviance under each variant.
    fn write_targets(&self, out: &mut String) {
        let Some(first) = self.variants.first() else { return };
        let _ = writeln!(
            out,
            "\nfit per target (deviance 2 w sum q ln(q/p) on new luck; * = held out, agrees?):"
        );
        for (t, target) in first.calibration.report.targets.iter().enumerate() {
            let cells: Vec<String> = self
                .variants
                .iter()
                .map(|v| {
                    v.calibration.report.targets.get(t).map_or("-".into(), |x| {
                        format!(
                            "{:.1}{}",
                            x.deviance,
                            if x.held_out { if x.agrees { " yes" } else { " no" } } else { "" }
                        )
                    })
                })
                .collect();
            let star = if target.held_out { "*" } else { " " };
            let _ = writeln!(out, "  {star}{:<34} {}", target.name, cells.join("  |  "));
        }
        let names: Vec<&str> = self.variants.iter().map(|v| v.name.as_str()).collect();
        let _ = writeln!(out, "   ({})", names.join("  |  "));
    }

    /// The headline answers under each fitted variant.
    fn write_answers(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "\nheadline answers under each fitted variant (95% intervals: a newcomer's chances, normal over the \
             importance-sampled roots; the like-you chance, Wilson's score over the creators matched; the Sobol \
             indices, normal by the delta method over the design's rows):"
        );
        for v in &self.variants {
            let _ = writeln!(out, "  {}:", v.name);
            for (k, (what, a)) in v.answers.named().iter().enumerate() {
                let goal = match k {
                    Answers::INCOME => {
                        v.answers.income_goal.map(|g| format!("money.goal, ${} a year", short_amount(g)))
                    }
                    Answers::ENGAGED => v
                        .answers
                        .engaged_goal
                        .map(|g| format!("engagement.goal, {} engaged", short_amount(g))),
                    _ => Some(String::new()),
                };
                let Some(goal) = goal else { continue };
                let _ = write!(out, "    {what:<28} {}", fmt_answer(*a, k < Answers::CHANCES));
                let _ = match goal.is_empty() {
                    false => writeln!(out, "  (the base scenario's {goal})"),
                    true => writeln!(out),
                };
            }
            for note in &v.answers.notes {
                let _ = writeln!(out, "    note: {note}");
            }
        }
    }

    /// The readable table: the answer first, then the variants, their
    /// parameters, their fit per target and their answers.
    pub fn to_table(&self) -> String {
        let c = &self.comparison;
        let mut out = format!("COMPARISON {}: {}\n", c.name, c.description);
        if self.interrupted {
            let _ = writeln!(
                out,
                "STOPPED PART WAY: {} of {} variants done; finish it with `clout compare FILE --resume RECORD`.",
                self.variants.len(),
                c.variant.len()
            );
        }
        out += &self.verdict();
        self.write_variants(&mut out);
        self.write_parameters(&mut out);
        self.write_targets(&mut out);
        self.write_answers(&mut out);
        let _ = writeln!(
            out,
            "\ncriterion: AIC = G + 2k, G the fitted targets' deviance on new luck (-2 log L up to a constant shared by \
             every variant), k the free parameters; Delta AIC > {REJECT_DELTA}: essentially no support (Burnham & \
             Anderson 2002); REJECTED when Delta - 2 se > {REJECT_DELTA}, se its Monte Carlo error. cond. = condition number of the parameters' correlation matrix; ridge: |r| > 0.95."
        );
        let _ = writeln!(out, "clout {}", self.clout_version);
        out
    }

    /// CSV, one row per variant and quantity: `variant,quantity,value,lower,upper`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("variant,quantity,value,lower,upper\n");
        let r = self.ranking();
        let row = |out: &mut String, v: &VariantResult, q: &str, x: f64, lo: Option<f64>, hi: Option<f64>| {
            let f = |y: Option<f64>| y.map_or(String::new(), |y| format!("{y}"));
            let _ = writeln!(out, "{},{},{x},{},{}", csv_text(&v.name), csv_text(q), f(lo), f(hi));
        };
        for (i, v) in self.variants.iter().enumerate() {
            row(&mut out, v, "parameters", v.parameters() as f64, None, None);
            row(&mut out, v, "deviance", v.deviance(), None, None);
            row(&mut out, v, "aic", v.aic(), None, None);
            if let Some(r) = &r {
                row(&mut out, v, "delta_aic", r.delta[i], None, None);
                row(&mut out, v, "delta_aic_se", r.delta_se[i], None, None);
                row(&mut out, v, "akaike_weight", r.weight[i], None, None);
            }
            let (passed, total) = v.held_out();
            row(&mut out, v, "held_out_passed", passed as f64, None, Some(total as f64));
            if let Some(c) = v.condition_number() {
                row(&mut out, v, "condition_number", c, None, None);
            }
            for p in &v.calibration.report.parameters {
                let (lo, hi) = p.interval.map_or((None, None), |[a, b]| (Some(a), Some(b)));
                row(&mut out, v, &p.path, p.value, lo, hi);
            }
            for t in &v.calibration.report.targets {
                row(&mut out, v, &format!("deviance {}", t.name), t.deviance, None, None);
            }
            for (what, a) in v.answers.named() {
                if let Some(a) = a {
                    row(&mut out, v, what, a.value, Some(a.lower), a.upper);
                }
            }
            if let Some(goal) = v.answers.income_goal {
                row(&mut out, v, "income goal", goal, None, None);
            }
            if let Some(goal) = v.answers.engaged_goal {
                row(&mut out, v, "engaged goal", goal, None, None);
            }
        }
        out
    }
}
