//! Rendering of Career reports: the table `clout run` prints, and CSV.

use crate::model::career::summary::{CareerReport, DayReport, QuantileEstimate, TierReport};
use std::fmt::Write as _;

/// A quantile of the final followers with its interval. An interval one of
/// whose ranks lies past the first or last career bounds nothing on that
/// side: none is printed (see QuantileEstimate).
fn fmt_quantile(e: Option<QuantileEstimate>) -> String {
    e.map_or("-".to_string(), |e| {
        if e.trusted {
            format!("{} [{}, {}]", fmt_count(e.value), fmt_count(e.lower), fmt_count(e.upper))
        } else {
            format!("{} (too few careers for an interval)", fmt_count(e.value))
        }
    })
}

impl CareerReport {
    /// The readable table `clout run` prints.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        self.write_tiers(&mut out);
        self.write_goal_and_mix(&mut out);
        self.write_followers(&mut out);
        self.write_trajectory(&mut out);
        let c = &self.careers;
        let _ = writeln!(
            out,
            "careers: {} still active at the horizon ({}); median career {} days",
            fmt_prob(c.active_at_horizon.estimate),
            fmt_interval(c.active_at_horizon.wilson.lower, c.active_at_horizon.wilson.upper),
            c.median_career_days.map_or("-".into(), |d| format!("{d:.0}"))
        );
        let t = &self.talent;
        let _ = writeln!(
            out,
            "talent vs success: Spearman rho {}; mean talent percentile of the top 1% {}, of the top 0.1% {}",
            t.spearman_talent_followers.map_or("- (talent is fixed)".into(), |r| format!("{r:.3}")),
            t.top_1pct_mean_talent_percentile.map_or("-".into(), |p| format!("{p:.1}")),
            t.top_0_1pct_mean_talent_percentile.map_or("-".into(), |p| format!("{p:.1}"))
        );
        let _ = writeln!(out, "simulated creator-days: {}", self.creator_days);
        out
    }

    /// The odds of reaching each tier with both intervals, the share there at
    /// the end, and the days it took (the goal starred).
    fn write_tiers(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "{} careers; probability of reaching each tier by the horizon (95% intervals):",
            self.trials
        );
        let _ = writeln!(
            out,
            "  {:<6} {:>10}  {:>10}  {:>23}  {:>23}  {:>9}  {:>20}",
            "tier", "followers", "odds", "Wilson", "Clopper-Pearson", "at end", "days to reach p10/50/90"
        );
        for t in &self.tiers {
            let marker = if t.tier == self.goal { "*" } else { " " };
            let d = t.days_to_reach;
            let days = match (d.p10, d.p50, d.p90) {
                (Some(a), Some(b), Some(c)) => format!("{a:.0} / {b:.0} / {c:.0}"),
                _ => "-".to_string(),
            };
            let _ = writeln!(
                out,
                "{marker} {:<6} {:>10}  {:>10}  {:>23}  {:>23}  {:>9}  {:>20}",
                t.tier.name(),
                t.threshold,
                fmt_prob(t.reached.estimate),
                fmt_interval(t.reached.wilson.lower, t.reached.wilson.upper),
                fmt_interval(t.reached.clopper_pearson.lower, t.reached.clopper_pearson.upper),
                fmt_prob(t.at_horizon.estimate),
                days
            );
        }
    }

    /// The goal's odds in words ("about 1 in N"), and the tier mix at the end.
    fn write_goal_and_mix(&self, out: &mut String) {
        let goal = self.odds(self.goal);
        let _ = writeln!(
            out,
            "* goal: {} ({} followers): {} {}, {}",
            self.goal,
            self.tiers[self.goal.index()].threshold,
            fmt_prob(goal.estimate),
            fmt_interval(goal.wilson.lower, goal.wilson.upper),
            if goal.estimate > 0.0 {
                format!("about 1 in {}", three_significant(1.0 / goal.estimate))
            } else {
                // No hit: the interval's upper end bounds the chance.
                format!(
                    "none of {} reached it (at most 1 in {})",
                    goal.trials,
                    three_significant(1.0 / goal.wilson.upper)
                )
            }
        );
        let mix: Vec<String> = self
            .tier_mix_at_horizon
            .iter()
            .map(|m| format!("{} {}", m.tier, fmt_prob(m.share.estimate)))
            .collect();
        let _ = writeln!(
            out,
            "tier mix at the end, among the {} accounts with {}+ followers: {}",
            self.tier_mix_at_horizon[0].share.trials,
            self.tiers[0].threshold,
            mix.join(", ")
        );
    }

    /// The final followers: quantiles with their intervals, mean, Gini and the top 1%'s share.
    fn write_followers(&self, out: &mut String) {
        let f = &self.followers;
        let _ = writeln!(out, "\nfinal followers:");
        let _ = writeln!(
            out,
            "  median {}   p90 {}   p99 {}   p99.9 {}",
            fmt_quantile(f.p50),
            fmt_quantile(f.p90),
            fmt_quantile(f.p99),
            fmt_quantile(f.p999)
        );
        let _ = writeln!(
            out,
            "  mean {}   Gini {}   top 1% hold {}",
            f.mean.map_or("-".into(), fmt_count),
            f.gini.map_or("-".into(), |g| format!("{g:.3}")),
            f.top_1pct_share.map_or("-".into(), |s| format!("{:.1}%", 100.0 * s))
        );
    }

    /// Followers on each trajectory day: the quantiles with their
    /// intervals (none where too few careers bound them), among the careers
    /// observed that long.
    fn write_trajectory(&self, out: &mut String) {
        if self.trajectory.is_empty() {
            return;
        }
        let _ = writeln!(out, "\nfollowers by career day (95% intervals):");
        let _ = writeln!(
            out,
            "  {:>5}  {:>9}  {:<22} {:<22} {:<22} p99",
            "day", "careers", "p10", "median", "p90"
        );
        for d in &self.trajectory {
            if d.observed == 0 {
                let _ = writeln!(out, "  {:>5}  {:>9}  no career observed this long", d.day, 0);
                continue;
            }
            let _ = writeln!(
                out,
                "  {:>5}  {:>9}  {:<22} {:<22} {:<22} {}",
                d.day,
                d.observed,
                fmt_quantile(d.p10),
                fmt_quantile(d.p50),
                fmt_quantile(d.p90),
                fmt_quantile(d.p99)
            );
        }
    }

    /// One CSV row per tier, with a header; then, in the columns after
    /// `goal`, one row per trajectory day and statistic (`mean`, `p10`,
    /// `p50`, `p90`, `p99`), the tier columns left empty.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "tier,threshold,trials,reached,odds,std_error,wilson_lower,wilson_upper,cp_lower,cp_upper,\
             at_horizon,days_p10,days_p50,days_p90,goal,\
             day,observed,statistic,followers,followers_lower,followers_upper,followers_trusted\n",
        );
        let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
        for t in &self.tiers {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},,,,,,,",
                tier_odds_csv(t),
                t.at_horizon.estimate,
                opt(t.days_to_reach.p10),
                opt(t.days_to_reach.p50),
                opt(t.days_to_reach.p90),
                t.tier == self.goal
            );
        }
        for d in &self.trajectory {
            day_csv(&mut out, d);
        }
        out
    }
}

/// The CSV rows of one trajectory day: its mean, then each quantile with
/// its interval and trust flag (empty where no career was observed).
fn day_csv(out: &mut String, d: &DayReport) {
    let lead = ",".repeat(15);
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    let _ = writeln!(out, "{lead}{},{},mean,{},,,", d.day, d.observed, opt(d.mean));
    for (name, q) in [("p10", d.p10), ("p50", d.p50), ("p90", d.p90), ("p99", d.p99)] {
        let (value, lower, upper, trusted) = match q {
            Some(q) => (q.value.to_string(), q.lower.to_string(), q.upper.to_string(), q.trusted.to_string()),
            None => Default::default(),
        };
        let _ = writeln!(out, "{lead}{},{},{name},{value},{lower},{upper},{trusted}", d.day, d.observed);
    }
}

/// The CSV fields `tier, threshold, trials, reached, odds, std_error,
/// wilson_lower, wilson_upper, cp_lower, cp_upper` of one tier's odds.
pub(crate) fn tier_odds_csv(t: &TierReport) -> String {
    let r = &t.reached;
    format!(
        "{},{},{},{},{},{},{},{},{},{}",
        t.tier,
        t.threshold,
        r.trials,
        r.successes,
        r.estimate,
        r.std_error,
        r.wilson.lower,
        r.wilson.upper,
        r.clopper_pearson.lower,
        r.clopper_pearson.upper
    )
}

/// A probability for people: a percentage with three significant digits
/// (at least one decimal), so rare events and their intervals stay legible.
pub fn fmt_prob(p: f64) -> String {
    if p <= 0.0 {
        return "0%".into();
    }
    let pct = 100.0 * p;
    let decimals = (2 - pct.log10().floor() as i32).clamp(1, 9) as usize;
    format!("{pct:.decimals$}%")
}

/// `x` rounded to three significant digits, for "about 1 in N".
pub(crate) fn three_significant(x: f64) -> String {
    if x < 1000.0 {
        return format!("{x:.0}");
    }
    let scale = 10f64.powi(x.log10().floor() as i32 - 2);
    format!("{:.0}", (x / scale).round() * scale)
}

pub(crate) fn fmt_interval(lo: f64, hi: f64) -> String {
    format!("[{}, {}]", fmt_prob(lo), fmt_prob(hi))
}

pub(crate) fn fmt_count(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if x >= 1e4 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_keep_three_significant_digits() {
        assert_eq!(fmt_prob(0.125), "12.5%");
        assert_eq!(fmt_prob(0.0185), "1.85%");
        assert_eq!(fmt_prob(0.00166), "0.166%");
        assert_eq!(fmt_prob(0.0000280), "0.00280%");
        assert_eq!(fmt_prob(0.0), "0%");
        assert_eq!(three_significant(35714.3), "35700");
        assert_eq!(three_significant(12.4), "12");
    }
}
