//! Rendering of the delusion gap: one row per way of seeing the odds, as a
//! table or CSV.

use crate::experiment::delusion::{DelusionReport, MIN_EFFECTIVE_HITS, View};
use crate::report::answer::grouped;
use crate::report::career::{fmt_interval, fmt_prob};
use crate::report::{NO_REPORT, coverage_heading};
use crate::study::delusion::DelusionRecord;
use std::fmt::Write as _;

/// The answer first: the honest chance of creators like you beside what
/// extrapolating recent growth and a viewer's feed suggest.
fn delusion_answer(r: &DelusionReport) -> String {
    let (Some(like), Some(truth)) = (r.view("like_you"), r.view("true")) else {
        return String::new();
    };
    let odds = |v: &View| {
        format!("{} [{}, {}]", fmt_prob(v.odds.value), fmt_prob(v.odds.lower), fmt_prob(v.odds.upper))
    };
    let mut out = format!(
        "Is a creator like you who expects to reach {} ({} followers) being realistic? The honest\n\
         chance, among creators who were where you are: {}",
        r.tier,
        grouped(r.threshold),
        odds(like)
    );
    if let Some((hits, of)) = like.counts {
        out += &format!(" ({hits} of {of})");
    }
    out += &format!(".\n  Against {} for every creator who starts", odds(truth));
    for (name, says) in [
        ("extrapolated", "extrapolating the last weeks' growth says"),
        ("visible", "a viewer's feed suggests"),
    ] {
        if let Some(v) = r.view(name) {
            out += &format!("; {says} {}", fmt_prob(v.odds.value));
        }
    }
    out + ".\n\n"
}

impl DelusionRecord {
    /// The readable table: a header naming the scenario, seed and version,
    /// then every view with its odds, interval and factor over the true odds.
    pub fn to_table(&self) -> String {
        let Some(r) = self.report.as_ref() else {
            return NO_REPORT.to_string();
        };
        let mut out = coverage_heading(self.coverage_in_words(), self.interrupted, "clout delusion");
        out += &delusion_answer(r);
        let _ = writeln!(
            out,
            "THE DELUSION GAP: the odds of reaching {} ({} followers) by the horizon, seen each way,\n\
             with 95% intervals, and as a factor over the true odds.\n",
            r.tier, r.threshold
        );
        let _ = writeln!(
            out,
            "  {:<22} {:>10} {:>24} {:>26}  what",
            "view", "odds", "95% interval", "x true odds"
        );
        for v in &r.views {
            let factor = v.factor.as_ref().map_or("-".to_string(), |f| {
                format!("{} [{}, {}]", fmt_factor(f.value), fmt_factor(f.lower), fmt_factor(f.upper))
            });
            let counts = v.counts.map_or(String::new(), |(x, n)| format!(" ({x} of {n})"));
            let _ = writeln!(
                out,
                "  {:<22} {:>10} {:>24} {:>26}  {}{counts}",
                v.view,
                fmt_prob(v.odds.value),
                fmt_interval(v.odds.lower, v.odds.upper),
                factor,
                v.description
            );
        }
        if r.view("visible").is_none() {
            let _ = writeln!(
                out,
                "\nvisible: none of the snapshot's {} accounts is still posting, so nothing is seen: no weighted \
                 share to show; raise [delusion] snapshot_trials.",
                r.snapshot_accounts
            );
        }
        for v in r.views.iter().filter(|v| !v.trusted) {
            let _ = writeln!(
                out,
                "\nNOT TRUSTED: {}'s interval rests on impressions worth {:.1} equally weighted accounts at the tier \
                 (of {} accounts there, quitters unseen; fewer than {MIN_EFFECTIVE_HITS}): it does not hold at so \
                 few (docs/VALIDATION.md); raise [delusion] snapshot_trials.",
                v.view, r.snapshot_effective_hits, r.snapshot_at_tier
            );
        }
        if r.clamped > 0 {
            let _ = writeln!(
                out,
                "\nWARNING: {} impression weights were clamped; the visible odds are not to be trusted",
                r.clamped
            );
        }
        out + &format!(
            "\nclout {} | {} | seed {}\n",
            self.clout_version,
            super::titled("delusion", &self.scenario),
            self.seed
        )
    }

    /// CSV: one row per view, each naming the scenario, seed and version.
    pub fn to_csv(&self) -> String {
        let Some(r) = self.report.as_ref() else {
            return NO_REPORT.to_string();
        };
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        let what = format!("{},{},{}", quote(&self.scenario.name), self.seed, self.clout_version);
        let mut out = String::from(
            "scenario,seed,clout_version,tier,view,description,odds,std_error,lower,upper,events,population,\
             factor,factor_lower,factor_upper,trusted\n",
        );
        for v in &r.views {
            let _ = writeln!(
                out,
                "{what},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                r.tier,
                v.view,
                quote(&v.description),
                v.odds.value,
                v.odds.std_error,
                v.odds.lower,
                v.odds.upper,
                opt(v.counts.map(|c| c.0 as f64)),
                opt(v.counts.map(|c| c.1 as f64)),
                opt(v.factor.map(|f| f.value)),
                opt(v.factor.map(|f| f.lower)),
                opt(v.factor.map(|f| f.upper)),
                v.trusted
            );
        }
        out
    }
}

/// A factor for people: three significant digits, `x` after.
fn fmt_factor(f: f64) -> String {
    if f >= 100.0 {
        format!("{f:.0}x")
    } else if f >= 10.0 {
        format!("{f:.1}x")
    } else {
        format!("{f:.2}x")
    }
}
