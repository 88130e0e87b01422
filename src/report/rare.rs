//! Tables and CSV of rare-event runs.

use super::career::{fmt_count, fmt_interval, fmt_prob, three_significant};
use crate::dist::Law;
use crate::experiment::rare::REACHED_BEFORE_START;
use crate::experiment::rare::{PilotOutcome, RareReport};

/// A law in words: `normal mean 0.5 sd 0.15`.
fn law_words(law: &Law) -> String {
    let g = |x: f64| {
        if x != 0.0 && (x.abs() >= 1e5 || x.abs() < 1e-3) { format!("{x:.3e}") } else { three_digits(x) }
    };
    match *law {
        Law::Fixed { value } => format!("fixed {}", g(value)),
        Law::Normal { mean, sd } => format!("normal mean {} sd {}", g(mean), g(sd)),
        Law::LogNormal { median, sigma } => format!("lognormal median {} sigma {}", g(median), g(sigma)),
        Law::Uniform { low, high } => format!("uniform on [{}, {}]", g(low), g(high)),
        Law::Beta { alpha, beta, low, high } => {
            if alpha == 1.0 && beta == 1.0 {
                format!("uniform on [{}, {}]", g(low), g(high))
            } else {
                format!("beta({}, {}) on [{}, {}]", g(alpha), g(beta), g(low), g(high))
            }
        }
    }
}

/// `x` with three significant digits.
fn three_digits(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let decimals = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.decimals$}")
}

impl RareReport {
    /// The readable table: how the run was made, every level's odds with its
    /// interval and diagnostics, the proposal beside the population.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "RARE-EVENT ESTIMATE: importance sampling of the traits, the proposal aimed at {}.\n",
            self.target
        );
        out += &format!(
            "  {} roots drawn from the proposal (simulated time {}); each counts with weight f/g, the\n  \
             population's density of its traits over the proposal's, so every estimate is unbiased.\n",
            fmt_count(self.roots as f64),
            fmt_count(self.work as f64)
        );
        if let Some(p) = &self.pilot {
            let last = p.rounds.last().map_or(0.0, |r| r.hit_share);
            out += &match p.outcome {
                PilotOutcome::Stated => "  The proposal was stated in the scenario (no pilot).\n".to_string(),
                _ => format!(
                    "  Pilot (cross-entropy method): {} rounds, {} roots (simulated time {}); {} of the last round's roots hit {}.\n",
                    p.rounds.len(),
                    fmt_count(p.roots as f64),
                    fmt_count(p.work as f64),
                    fmt_prob(last),
                    self.target
                ),
            };
        }
        out += &format!(
            "  The weights average {:.4} +- {:.4} (1 in expectation: a check that the proposal covers the population).\n",
            self.mean_weight, self.mean_weight_std_error
        );
        out += "\nOdds of reaching each level; 95% intervals (normal law, over independent roots):\n";
        out += &format!(
            "  {:<8}{:>10}{:>14}{:>28}{:>9}{:>10}{:>9}{:>9}\n",
            "level", "threshold", "odds", "95% interval", "+-", "hits", "hit ESS", "largest"
        );
        for l in &self.levels {
            let mark = if l.level == self.target { "*" } else { " " };
            let interval = match l.upper {
                _ if l.warning == REACHED_BEFORE_START => "reached already".into(),
                Some(upper) => fmt_interval(l.lower, upper),
                None => "(no root hit)".into(),
            };
            let half = match l.relative_half_width {
                Some(h) if l.warning != REACHED_BEFORE_START => format!("{:.1}%", 100.0 * h),
                _ => "-".into(),
            };
            out += &format!(
                "{mark} {:<8}{:>10}{:>14}{:>28}{:>9}{:>10}{:>9.0}{:>8.2}%{}\n",
                l.level,
                fmt_count(l.threshold),
                fmt_prob(l.estimate),
                interval,
                half,
                l.hits,
                l.hit_ess,
                100.0 * l.largest_share,
                if l.trusted { String::new() } else { "  !".into() }
            );
        }
        if let Some(l) = self.level(&self.target).filter(|l| l.estimate > 0.0) {
            out += &format!(
                "* target: {} {} {}, about 1 in {}\n",
                l.level,
                fmt_prob(l.estimate),
                l.upper.map_or(String::new(), |u| fmt_interval(l.lower, u)),
                three_significant(1.0 / l.estimate)
            );
        }
        let flagged: Vec<String> = self
            .levels
            .iter()
            .filter(|l| !l.trusted)
            .map(|l| format!("  ! {}: {}", l.level, l.warning))
            .collect();
        if !flagged.is_empty() {
            out += "Intervals not to be trusted (too few hits, or a few roots carry the estimate):\n";
            out += &(flagged.join("\n") + "\n");
            let target = self.levels.iter().position(|l| l.level == self.target).unwrap_or(0);
            if self.levels.iter().take(target).any(|l| !l.trusted) {
                out += "  (the proposal aims at the target; tiers far below it are answered better by --method brute)\n";
            }
            if self.levels.iter().skip(target).any(|l| !l.trusted && l.hits > 0) {
                out += "  (more careers, --trials, spread the estimate over more roots)\n";
            }
        }
        for w in &self.warnings {
            out += &format!("  ! {w}\n");
        }
        out += "\nThe population beside the proposal, trait by trait:\n";
        for t in &self.proposal {
            let proposal =
                if t.proposal == t.population { "(the same)".to_string() } else { law_words(&t.proposal) };
            out += &format!("  {:<10} {:<42} {}\n", t.name, law_words(&t.population), proposal);
        }
        out += "hits: roots that reached the level; hit ESS: the effective number of them, (sum w)^2 / sum w^2;\n\
                largest: the largest single root's share of the estimate. An interval is trusted with at least\n\
                30 hits, a hit ESS of 30 and no root above 1% of the estimate.\n";
        out
    }

    /// CSV, one row per level.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "level,threshold,roots,hits,odds,std_error,lower,upper,relative_half_width,hit_ess,largest_share,trusted\n",
        );
        for l in &self.levels {
            out += &format!(
                "{},{},{},{},{},{},{},{},{},{},{},{}\n",
                l.level,
                l.threshold,
                self.roots,
                l.hits,
                l.estimate,
                l.std_error,
                l.lower,
                l.upper.map_or(String::new(), |u| u.to_string()),
                l.relative_half_width.map_or(String::new(), |h| h.to_string()),
                l.hit_ess,
                l.largest_share,
                l.trusted
            );
        }
        out
    }
}
