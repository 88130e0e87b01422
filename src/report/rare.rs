//! Tables and CSV of rare-event runs.

use super::answer::one_in;
use super::answer::{chances_table, grouped};
use super::career::{fmt_count, fmt_interval, fmt_prob};
use crate::dist::Law;
use crate::experiment::rare::{LevelEstimate, PilotOutcome, RareReport};
use crate::stats::{CHANCE_CSV_HEADER, Chance, Chances, Method};

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
    /// The readable table below the answer: every level's chance with its
    /// interval, the trust flags, and the method in a few lines.
    pub fn to_table(&self) -> String {
        self.table(false)
    }

    /// The table with the method's whole account (`--verbose`): the
    /// pilot's rounds, the weights' check, each level's hits, hit ESS and
    /// largest root, and the proposal beside the population.
    pub fn to_table_verbose(&self) -> String {
        self.table(true)
    }

    fn table(&self, verbose: bool) -> String {
        let mut out = String::from(
            "Every level, lowest first (chance of reaching it by the horizon; 95% intervals, normal over careers):\n",
        );
        let header = if verbose {
            format!("  {:>8}{:>10}{:>9}{:>9}", "+-", "hits", "hit ESS", "largest")
        } else {
            String::new()
        };
        let chances: Vec<&Chance> = self.chances();
        let levels = &self.levels;
        out += &chances_table(&chances, &header, &|k| {
            let l = &levels[k];
            if !verbose {
                return String::new();
            }
            let half = match l.relative_half_width {
                Some(h) if !l.chance.reached_already() => format!("{:.1}%", 100.0 * h),
                _ => "-".into(),
            };
            format!("  {half:>8}{:>10}{:>9.0}{:>8.2}%", l.chance.hits, l.hit_ess, 100.0 * l.largest_share)
        });
        self.write_income(&mut out, verbose);
        self.write_flags(&mut out);
        out += &format!(
            "\nMethod: {}: {} careers drawn with their traits tilted towards {}\n  ({} simulated \
             creator-days), each weighted by how likely its traits are in the population, so every\n  \
             chance is unbiased.\n",
            Method::Rare.in_words(),
            grouped(self.roots),
            self.target,
            fmt_count(self.work as f64)
        );
        if let Some(p) = &self.pilot {
            out += &match p.outcome {
                PilotOutcome::Stated => "  The tilt was stated in the scenario (no pilot).\n".to_string(),
                _ => format!(
                    "  The tilt was found by a pilot (cross-entropy method) of {} rounds, {} more careers.\n",
                    p.rounds.len(),
                    grouped(p.roots)
                ),
            };
        }
        if !verbose {
            out += "  --verbose shows the pilot, the weights' check, each level's diagnostics and the proposal.\n";
            return out;
        }
        self.write_method_detail(&mut out);
        out
    }

    /// With `[money]`: the chance of earning at least each income level;
    /// with `[engagement]` (or `[money]`), of each engaged audience; each
    /// with its interval (and, `verbose`, its diagnostics).
    fn write_income(&self, out: &mut String, verbose: bool) {
        if let Some(window) = self.income_window_days {
            let heading = format!("income, a year (the last {} days observed", grouped(u64::from(window)));
            self.write_block(out, &heading, &self.income, verbose);
        }
        if !self.audience_levels.is_empty() {
            let heading = "engaged audience at the horizon (engagements a post expects";
            self.write_block(out, heading, &self.audience_levels, verbose);
        }
    }

    /// One block of levels under `heading`: "at least", chance, interval,
    /// about 1 in; the target marked `*`.
    fn write_block(&self, out: &mut String, heading: &str, levels: &[LevelEstimate], verbose: bool) {
        *out += &format!(
            "\n{heading}; 95% intervals, normal over careers):\n  {:<10}{:>10}  {:>24}  {:>12}{}\n",
            "at least",
            "chance",
            "95% interval",
            "about 1 in",
            if verbose { format!("{:>10}{:>9}{:>9}", "hits", "hit ESS", "largest") } else { String::new() }
        );
        for l in levels {
            let c = &l.chance;
            let interval = match c.upper {
                Some(upper) => fmt_interval(c.lower, upper) + if c.trusted { " " } else { "!" },
                None => "(none reached it)".into(),
            };
            let one = if c.estimate > 0.0 { one_in(c.estimate) } else { "-".into() };
            let mark = if c.level == self.target { "*" } else { " " };
            *out +=
                &format!("{mark} {:<10}{:>10}  {:>25} {:>12}", c.level, fmt_prob(c.estimate), interval, one);
            if verbose {
                *out += &format!("{:>10}{:>9.0}{:>8.2}%", c.hits, l.hit_ess, 100.0 * l.largest_share);
            }
            out.push('\n');
        }
    }

    /// Untrusted intervals with their reasons, and the run's warnings.
    fn write_flags(&self, out: &mut String) {
        let flagged: Vec<String> = self
            .levels
            .iter()
            .chain(&self.income)
            .chain(&self.audience_levels)
            .filter(|l| !l.chance.trusted)
            .map(|l| format!("  ! {}: {}", l.chance.level, l.chance.note))
            .collect();
        if !flagged.is_empty() {
            *out += "Intervals marked ! are not to be trusted (too few hits, or a few careers carry the estimate):\n";
            *out += &(flagged.join("\n") + "\n");
            let target = self.levels.iter().position(|l| l.chance.level == self.target).unwrap_or(0);
            if self.levels.iter().take(target).any(|l| !l.chance.trusted) {
                *out += "  (the method aims at the target; levels far below it are answered better by --method brute)\n";
            }
            if self.levels.iter().skip(target).any(|l| !l.chance.trusted && l.chance.hits > 0) {
                *out += "  (more careers, --trials, spread the estimate over more of them)\n";
            }
        }
        for w in &self.warnings {
            *out += &format!("  ! {w}\n");
        }
    }

    /// The method's whole account: pilot, weights, proposal, diagnostics' meaning.
    fn write_method_detail(&self, out: &mut String) {
        if let Some(p) = &self.pilot
            && p.outcome != PilotOutcome::Stated
        {
            let last = p.rounds.last().map_or(0.0, |r| r.hit_share);
            *out += &format!(
                "  Pilot: {} rounds, {} careers ({} simulated creator-days); {} of the last round's careers hit {}.\n",
                p.rounds.len(),
                grouped(p.roots),
                fmt_count(p.work as f64),
                fmt_prob(last),
                self.target
            );
        }
        *out += &format!(
            "  The weights average {:.4} +- {:.4} (1 in expectation: a check that the proposal covers the population).\n",
            self.mean_weight, self.mean_weight_std_error
        );
        *out += "\nThe population beside the proposal, trait by trait:\n";
        for t in &self.proposal {
            let proposal =
                if t.proposal == t.population { "(the same)".to_string() } else { law_words(&t.proposal) };
            *out += &format!("  {:<10} {:<42} {}\n", t.name, law_words(&t.population), proposal);
        }
        *out += "+-: the interval's half-width over the chance; hits: careers that reached the level; hit ESS:\n\
                the effective number of them, (sum w)^2 / sum w^2; largest: the largest single career's share\n\
                of the estimate. An interval is trusted with at least 30 hits, a hit ESS of 30 and no career\n\
                above 1% of the estimate.\n";
    }

    /// CSV, one row per level, lowest first: the columns every run shares
    /// ([`CHANCE_CSV_HEADER`]), then importance sampling's own. With
    /// `[money]`, the income levels (named `$10k`, their threshold in USD a
    /// year) follow the follower levels, one row each; then the
    /// engaged-audience levels (`1k engaged`, their threshold in engagements
    /// a post).
    pub fn to_csv(&self) -> String {
        let mut out = format!("{CHANCE_CSV_HEADER},relative_half_width,hit_ess,largest_share\n");
        for l in self.levels.iter().chain(&self.income).chain(&self.audience_levels) {
            out += &format!(
                "{},{},{},{}\n",
                l.chance.csv_fields(),
                l.relative_half_width.map_or(String::new(), |h| h.to_string()),
                l.hit_ess,
                l.largest_share
            );
        }
        out
    }
}
