//! Rendering of sweeps: a block per point with every tier's odds and its
//! paired difference from the baseline; CSV in long form.

use crate::report::answer::grouped;
use crate::report::career::{fmt_interval, fmt_prob};
use crate::report::{NO_REPORT, coverage_heading};
use crate::scenario::sweep::show_value;
use crate::stats::Proportion;
use crate::stats::{DifferenceEstimate, DifferenceMethod, LevelVersusBaseline, PairedDifference};
use crate::study::sweep::{PointAnswer, PointReport, SweepRecord, SweepReport};
use crate::tier::Tier;
use std::fmt::Write as _;

/// A signed difference of probabilities in percentage points.
pub(crate) fn fmt_points(d: f64) -> String {
    let magnitude = fmt_prob(d.abs());
    let magnitude = magnitude.trim_end_matches('%');
    format!("{}{magnitude} pp", if d < 0.0 { "-" } else { "+" })
}

/// A p-value in three significant digits, or `< 0.001`.
pub(crate) fn fmt_p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".to_string()
    } else if p < 0.01 {
        format!("{p:.4}")
    } else {
        format!("{p:.3}")
    }
}

/// A difference with its reported interval, the exact McNemar p-value, the
/// unpaired interval and the discordant counts, and a note in words where
/// the interval was widened to 0 or could not use the pairing.
pub(crate) fn fmt_difference(d: &PairedDifference) -> String {
    fmt_level_difference(d.estimate.as_ref(), d.point_only, d.baseline_only)
}

/// [`fmt_difference`] of any level's estimate and discordant counts.
pub(crate) fn fmt_level_difference(
    e: Option<&DifferenceEstimate>,
    point_only: u64,
    baseline_only: u64,
) -> String {
    let Some(e) = e else {
        return "- (no counted trials)".to_string();
    };
    let test = e.exact_p.map_or(String::new(), |p| format!("  exact p {}", fmt_p_value(p)));
    let note = match (e.method, e.widened) {
        (DifferenceMethod::UnpairedScore, _) => "  (counted trials differ: unpaired score interval)",
        (_, true) => "  (interval reaches 0: the exact test cannot reject no difference)",
        _ => "",
    };
    format!(
        "{} [{}, {}]{test}  unpaired [{}, {}]  ({}/{} discordant){note}",
        fmt_points(e.difference),
        fmt_points(e.lower),
        fmt_points(e.upper),
        fmt_points(e.unpaired_lower),
        fmt_points(e.unpaired_upper),
        point_only,
        baseline_only
    )
}

/// A point's swept values in words: `population.effort.median = 6.0, ...`.
fn point_values(p: &PointReport) -> String {
    p.values.iter().map(|v| format!("{} = {}", v.path, show_value(&v.value))).collect::<Vec<_>>().join(", ")
}

/// A sweep's goal in money terms, which its answer leads with: the income
/// goal (`money.goal`), else the engaged audience asked about
/// ([`crate::scenario::Scenario::engaged_goal_name`], set by `--target '1k
/// engaged'`), else none (the goal tier).
#[derive(Debug, Clone)]
enum MoneyGoal {
    Income(f64),
    Audience(String),
    None,
}

impl MoneyGoal {
    fn of(scenario: &crate::scenario::Scenario) -> Self {
        if let Some(goal) = scenario.money.as_ref().and_then(|m| m.goal) {
            return MoneyGoal::Income(goal);
        }
        scenario.engaged_goal_name().map_or(MoneyGoal::None, MoneyGoal::Audience)
    }

    /// The goal's level at `point` (`None` for the goal tier, or a point without it).
    fn level<'p>(&self, point: &'p PointReport) -> Option<&'p LevelVersusBaseline> {
        match self {
            MoneyGoal::Income(amount) => point.income.iter().find(|l| l.threshold == *amount),
            MoneyGoal::Audience(name) => point.audience.iter().find(|l| &l.level == name),
            MoneyGoal::None => None,
        }
    }
}

/// The answer first: the point with the highest chance of the goal (the
/// income goal `money.goal` when there is one, else the goal tier), its
/// paired difference from the baseline, and whether the trials tell them
/// apart. (A sweep compares the five tiers and the income levels; a goal
/// that is no tier is answered by running the point's scenario alone.)
fn sweep_answer(r: &SweepReport, goal: &MoneyGoal) -> String {
    type Odds<'r> = (usize, Proportion, Option<&'r DifferenceEstimate>);
    let (tier, chances): (Option<Tier>, Vec<Odds<'_>>) = if !matches!(goal, MoneyGoal::None) {
        let chances = r
            .points
            .iter()
            .filter_map(|p| {
                let l = goal.level(p)?;
                Some((p.index, l.chance?, l.estimate.as_ref()))
            })
            .collect();
        (None, chances)
    } else {
        let goal = r.points.iter().find_map(|p| match &p.answer {
            PointAnswer::Career(c) => Some(c.goal.clone()),
            PointAnswer::CreatorsLikeYou(l) => l.odds.as_ref().map(|o| o.goal.clone()),
        });
        let Some(tier) = goal.and_then(|g| Tier::ALL.into_iter().find(|t| t.name() == g)) else {
            return String::new();
        };
        let chances = r
            .points
            .iter()
            .filter_map(|p| {
                let difference = p.versus_baseline.get(tier.index()).and_then(|d| d.estimate.as_ref());
                Some((p.index, p.answer.proportion(tier)?, difference))
            })
            .collect();
        (Some(tier), chances)
    };
    let Some(&(best, odds, difference)) = chances.iter().max_by(|a, b| a.1.estimate.total_cmp(&b.1.estimate))
    else {
        return String::new();
    };
    let point = &r.points[best];
    let question = match (tier, &goal) {
        (Some(tier), _) => format!("reaching {tier} ({} followers)", grouped(point.answer.threshold(tier))),
        (None, MoneyGoal::Audience(name)) => {
            let audience = goal.level(point).map_or(0.0, |l| l.threshold);
            format!("having an engaged audience of at least {} ({name})", grouped(audience as u64))
        }
        (None, _) => {
            let amount = goal.level(point).map_or(0.0, |l| l.threshold);
            format!("earning at least ${} a year", grouped(amount as u64))
        }
    };
    let interval = fmt_interval(odds.wilson.lower, odds.wilson.upper);
    let mut out = format!("Which point gives the best chance of {question}? ");
    if point.baseline {
        out += &format!(
            "The baseline, point {best} ({}): {} {interval}.\n",
            point_values(point),
            fmt_prob(odds.estimate)
        );
    } else {
        out += &format!("Point {best} ({}): {} {interval}", point_values(point), fmt_prob(odds.estimate));
        match difference {
            Some(e) => {
                out += &format!(
                    ",\n  {} [{}, {}] over the baseline with the same luck ({}).\n",
                    fmt_points(e.difference),
                    fmt_points(e.lower),
                    fmt_points(e.upper),
                    if e.lower > 0.0 {
                        "clearly above it".to_string()
                    } else {
                        format!("not told apart from it with {} paired trials", grouped(r.trials))
                    }
                );
            }
            None => out += ".\n",
        }
    }
    let all: Vec<String> =
        chances.iter().map(|(i, c, _)| format!("point {i} {}", fmt_prob(c.estimate))).collect();
    out + &format!("  Every point: {}.\n\n", all.join(", "))
}

impl SweepRecord {
    /// The readable table: a header, then one block per point.
    pub fn to_table(&self) -> String {
        let Some(r) = self.report.as_ref() else {
            return NO_REPORT.to_string();
        };
        let mut out = coverage_heading(self.coverage_in_words(), self.interrupted, "clout sweep");
        out += &sweep_answer(r, &MoneyGoal::of(&self.scenario));
        let _ = writeln!(
            out,
            "Every point runs the same {} trials on the same luck; differences are from point {} (the baseline),\n\
             in percentage points (pp), with paired 95% intervals (Newcombe's hybrid score), the exact McNemar\n\
             p-value of no difference and, beside them, the unpaired intervals.\n\
             Discordant: trials that reached the tier at this point only / at the baseline only.",
            r.trials, r.baseline
        );
        for p in &r.points {
            let values: Vec<String> =
                p.values.iter().map(|v| format!("{} = {}", v.path, show_value(&v.value))).collect();
            let _ = writeln!(
                out,
                "\npoint {}{}: {}",
                p.index,
                if p.baseline { " (baseline)" } else { "" },
                values.join(", ")
            );
            // The level column fits the longest name (`1k engaged`), at least a tier's.
            let width = p.income.iter().chain(&p.audience).map(|c| c.level.len()).fold(6, usize::max);
            for tier in Tier::ALL {
                let odds = match p.answer.proportion(tier) {
                    Some(o) => {
                        format!("{} {}", fmt_prob(o.estimate), fmt_interval(o.wilson.lower, o.wilson.upper))
                    }
                    None => "- (nobody matched)".to_string(),
                };
                let diff =
                    if p.baseline { String::new() } else { fmt_difference(&p.versus_baseline[tier.index()]) };
                let _ = writeln!(out, "  {:<width$} {:>30}  {}", tier.name(), odds, diff);
            }
            // With `[money]`: the chance of earning at least each income level a
            // year; with `[engagement]`, of each engaged audience (`1k engaged`).
            for c in p.income.iter().chain(&p.audience) {
                let odds = c.chance.as_ref().map_or("- (nobody matched)".to_string(), |o| {
                    format!("{} {}", fmt_prob(o.estimate), fmt_interval(o.wilson.lower, o.wilson.upper))
                });
                let diff = if p.baseline {
                    String::new()
                } else {
                    fmt_level_difference(c.estimate.as_ref(), c.point_only, c.baseline_only)
                };
                let _ = writeln!(out, "  {:<width$} {:>30}  {}", c.level, odds, diff);
            }
        }
        out + &format!(
            "\nclout {} | {} | seed {} | {} points x {} trials, paired\n",
            self.clout_version,
            super::titled("sweep", &self.scenario),
            self.seed,
            r.points.len(),
            r.trials
        )
    }

    /// CSV in long form: one row per point and tier (and, with `[money]`, per
    /// income level, named in the `tier` column), with a column per swept path.
    pub fn to_csv(&self) -> String {
        let Some(r) = self.report.as_ref() else {
            return NO_REPORT.to_string();
        };
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = String::from("point,baseline,");
        for path in &r.paths {
            out += &quote(path);
            out.push(',');
        }
        out += "tier,counted,reached,odds,wilson_lower,wilson_upper,cp_lower,cp_upper,difference,\
                diff_std_error,diff_lower,diff_upper,diff_method,diff_widened,exact_p,mid_p,\
                unpaired_std_error,unpaired_lower,unpaired_upper,point_only,baseline_only\n";
        let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        for p in &r.points {
            let values: String = p.values.iter().map(|v| quote(&show_value(&v.value)) + ",").collect();
            let mut row = |level: &str,
                           o: Option<Proportion>,
                           e: Option<&DifferenceEstimate>,
                           discordant: (u64, u64)| {
                let _ = writeln!(
                    out,
                    "{},{},{values}{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                    p.index,
                    p.baseline,
                    level,
                    o.map_or(0, |o| o.trials),
                    o.map_or(0, |o| o.successes),
                    opt(o.map(|o| o.estimate)),
                    opt(o.map(|o| o.wilson.lower)),
                    opt(o.map(|o| o.wilson.upper)),
                    opt(o.map(|o| o.clopper_pearson.lower)),
                    opt(o.map(|o| o.clopper_pearson.upper)),
                    opt(e.map(|e| e.difference)),
                    opt(e.map(|e| e.std_error)),
                    opt(e.map(|e| e.lower)),
                    opt(e.map(|e| e.upper)),
                    e.map_or("", |e| e.method.name()),
                    e.map_or(String::new(), |e| e.widened.to_string()),
                    opt(e.and_then(|e| e.exact_p)),
                    opt(e.and_then(|e| e.mid_p)),
                    opt(e.map(|e| e.unpaired_std_error)),
                    opt(e.map(|e| e.unpaired_lower)),
                    opt(e.map(|e| e.unpaired_upper)),
                    discordant.0,
                    discordant.1
                );
            };
            for tier in Tier::ALL {
                let d = &p.versus_baseline[tier.index()];
                row(
                    tier.name(),
                    p.answer.proportion(tier),
                    d.estimate.as_ref(),
                    (d.point_only, d.baseline_only),
                );
            }
            // With `[money]`, a row per income level, named in the tier column
            // (`$10k`); with `[engagement]`, per engaged audience (`1k engaged`).
            for c in p.income.iter().chain(&p.audience) {
                row(&c.level, c.chance, c.estimate.as_ref(), (c.point_only, c.baseline_only));
            }
        }
        out
    }
}
