//! Rendering of Career reports: the table `clout run` prints, and CSV.

use super::answer::{chances_table, grouped, one_in};
use crate::model::career::money::{MoneyReport, TierEngagement};
use crate::model::career::summary::{CareerReport, DayReport, LevelReport, QuantileEstimate};
use crate::stats::Estimate;
use crate::stats::{CHANCE_CSV_HEADER, Chance, Chances};
use crate::tier::Tier;
use std::fmt::Write as _;

/// A quantile of the final followers with its interval. An interval one of
/// whose ranks lies past the first or last career bounds nothing on that
/// side: none is printed (see QuantileEstimate). Followers are whole
/// counts, so both order statistics can be the same count (a p10 of 2
/// followers over 20,000 careers): the interval is then that one count,
/// said in words rather than printed as `[2, 2]`.
fn fmt_quantile(e: Option<QuantileEstimate>) -> String {
    e.map_or("-".to_string(), |e| {
        if e.trusted && e.lower == e.upper {
            format!("{} (interval: {} only)", fmt_count(e.value), fmt_count(e.lower))
        } else if e.trusted {
            format!("{} [{}, {}]", fmt_count(e.value), fmt_count(e.lower), fmt_count(e.upper))
        } else {
            format!("{} (too few careers for an interval)", fmt_count(e.value))
        }
    })
}

impl CareerReport {
    /// The readable table `clout run` prints below the answer (see
    /// [`crate::report::Render`]): every level's chance, the tier mix,
    /// the final followers, careers, talent, and the method in one line.
    pub fn to_table(&self) -> String {
        self.table(false)
    }

    /// The table with every interval and count (`--verbose`): beside each
    /// level's chance, its Clopper-Pearson interval, its hits and the share
    /// at or above it at the end.
    pub fn to_table_verbose(&self) -> String {
        self.table(true)
    }

    fn table(&self, verbose: bool) -> String {
        let mut out = String::new();
        self.write_levels(&mut out, verbose);
        self.write_mix(&mut out);
        self.write_followers(&mut out);
        if let Some(m) = &self.engagement {
            write_money(&mut out, m);
        }
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
        let _ = writeln!(
            out,
            "\nMethod: plain Monte Carlo, {} careers ({} simulated creator-days); Wilson score intervals, \
             mended at 1-3 hits.",
            grouped(self.trials),
            fmt_count(self.creator_days as f64)
        );
        out
    }

    /// Every level's chance with its interval, and the days it took (the
    /// goal starred); verbose adds Clopper-Pearson, the hits and the share
    /// at or above it at the end.
    fn write_levels(&self, out: &mut String, verbose: bool) {
        let _ =
            writeln!(out, "Every level, lowest first (chance of reaching it by the horizon; 95% intervals):");
        let header = if verbose {
            format!(
                "  {:>22}  {:>23}  {:>9}  {:>9}",
                "days to reach p10/50/90", "Clopper-Pearson", "hits", "at end"
            )
        } else {
            format!("  {:>22}", "days to reach p10/50/90")
        };
        let chances: Vec<&Chance> = self.chances();
        let levels = &self.levels;
        out.push_str(&chances_table(&chances, &header, &|k| {
            let l = &levels[k];
            let d = l.days_to_reach;
            let days = match (d.p10, d.p50, d.p90) {
                (Some(a), Some(b), Some(c)) => format!("{a:.0} / {b:.0} / {c:.0}"),
                _ => "-".to_string(),
            };
            if verbose {
                format!(
                    "  {days:>22}  {:>23}  {:>9}  {:>9}",
                    fmt_interval(l.clopper_pearson.lower, l.clopper_pearson.upper),
                    l.chance.hits,
                    fmt_prob(l.at_horizon.estimate)
                )
            } else {
                format!("  {days:>22}")
            }
        }));
    }

    /// The tier mix at the end.
    fn write_mix(&self, out: &mut String) {
        let mix: Vec<String> = self
            .tier_mix_at_horizon
            .iter()
            .map(|m| format!("{} {}", m.tier, fmt_prob(m.share.estimate)))
            .collect();
        let _ = writeln!(
            out,
            "\ntier mix at the end, among the {} accounts with {}+ followers: {}",
            self.tier_mix_at_horizon[0].share.trials,
            self.tier(Tier::Nano).chance.threshold,
            mix.join(", ")
        );
    }

    /// The final followers: quantiles with their intervals, mean, Gini and the top 1%'s share.
    fn write_followers(&self, out: &mut String) {
        let f = &self.followers;
        let _ = writeln!(out, "final followers:");
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
        if let Some(a) = &self.active_followers {
            let _ = writeln!(out, "active followers at the horizon (inactive ones still count above):");
            let _ = writeln!(
                out,
                "  median {}   p90 {}   p99 {}   mean {} ({} of followers)",
                fmt_quantile(a.p50),
                fmt_quantile(a.p90),
                fmt_quantile(a.p99),
                a.mean.map_or("-".into(), fmt_count),
                a.share_active.map_or("-".into(), |s| format!("{:.1}%", 100.0 * s))
            );
        }
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

    /// One CSV row per level, lowest first: the columns every run shares
    /// ([`CHANCE_CSV_HEADER`]), then plain runs' own. With `[trajectory]
    /// days`, the columns after those hold one row per trajectory day and
    /// statistic (`mean`, `p10`, `p50`, `p90`, `p99`), the level columns
    /// left empty (and the levels' rows leave the day columns empty). With
    /// `[money]`, the income levels follow the follower levels, one row each,
    /// and with `[engagement]` the engaged-audience levels after them.
    /// With `[engagement]`, the tier columns (`band` to `engagement_rate`) close every row and a last
    /// row per band of final followers fills them (the columns before empty).
    pub fn to_csv(&self) -> String {
        let days = !self.trajectory.is_empty();
        let by_tier = self.engagement.as_ref().map_or(&[][..], |m| &m.by_tier[..]);
        let count = |columns: &str| columns.split(',').count();
        let day_columns = if days { count(DAY_CSV_COLUMNS) } else { 0 };
        // Empty fields closing a row that has no tier columns of its own.
        let no_tier = if by_tier.is_empty() { String::new() } else { ",".repeat(count(TIER_CSV_COLUMNS)) };
        let mut out = format!("{CHANCE_CSV_HEADER},{CAREER_CSV_COLUMNS}");
        if days {
            out = out + "," + DAY_CSV_COLUMNS;
        }
        if !by_tier.is_empty() {
            out = out + "," + TIER_CSV_COLUMNS;
        }
        out.push('\n');
        for l in &self.levels {
            let empty_days = ",".repeat(day_columns);
            let _ = writeln!(out, "{},{}{empty_days}{no_tier}", l.chance.csv_fields(), career_csv_fields(l));
        }
        // With `[money]`, a row per income level (named `$10k`; its
        // threshold in USD a year), the career and day columns empty.
        // Then a row per engaged-audience level (named `1k engaged`).
        let income = self.engagement.as_ref().and_then(|m| m.income.as_ref());
        let audience = self.engagement.as_ref().map_or(&[][..], |m| &m.audience_levels[..]);
        for c in income.map_or(&[][..], |i| &i.levels[..]).iter().chain(audience) {
            let columns = count(CAREER_CSV_COLUMNS) + day_columns;
            let _ = writeln!(out, "{}{}{no_tier}", c.csv_fields(), ",".repeat(columns));
        }
        for d in &self.trajectory {
            day_csv(&mut out, d, &no_tier);
        }
        // With `[engagement]`, a row per band of final followers, every
        // column before the tier columns empty.
        let lead = ",".repeat(count(CHANCE_CSV_HEADER) + count(CAREER_CSV_COLUMNS) + day_columns);
        for t in by_tier {
            let _ = writeln!(out, "{lead}{}", tier_csv_fields(t));
        }
        out
    }
}

/// A mean with its 95% interval: `184 [129, 239]`.
pub(crate) fn fmt_estimate(e: Option<Estimate>) -> String {
    e.map_or("-".into(), |e| {
        format!("{} [{}, {}]", fmt_count(e.value), fmt_count(e.lower.max(0.0)), fmt_count(e.upper))
    })
}

/// Engagement (per post, and the engaged audience at the horizon) and,
/// with `[money]`, the chance of each income level and the income's
/// distribution.
fn write_money(out: &mut String, m: &MoneyReport) {
    write_engagement(out, m);
    write_income(out, m);
}

/// Engagement: per post (mean with its interval), the engaged audience at
/// the horizon (percentiles with their intervals), the chance of each
/// engaged-audience level, and engagement by band of final followers. The
/// one copy: plain runs and conditional odds print it.
pub(crate) fn write_engagement(out: &mut String, m: &MoneyReport) {
    let a = &m.engaged_audience;
    let _ = writeln!(
        out,
        "engagement: {} per post (mean over the {} careers posting in their last year; 95% interval)",
        fmt_estimate(m.engagement_per_post),
        grouped(m.posting_careers)
    );
    let _ = writeln!(
        out,
        "  engaged audience at the horizon (engagements a post expects): median {}   p90 {}   p99 {}   mean {}",
        fmt_quantile(a.p50),
        fmt_quantile(a.p90),
        fmt_quantile(a.p99),
        a.mean.map_or("-".into(), fmt_count)
    );
    if !m.audience_levels.is_empty() {
        let parts: Vec<String> = m
            .audience_levels
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}",
                    c.level,
                    fmt_prob(c.estimate),
                    fmt_interval(c.lower, c.upper.unwrap_or(1.0))
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  chance of an engaged audience of at least (95% intervals): {}",
            parts.join("; ")
        );
    }
    write_tier_engagement(out, &m.by_tier);
}

/// With `[money]`, the chance of each income level and the income's distribution.
fn write_income(out: &mut String, m: &MoneyReport) {
    let Some(income) = &m.income else { return };
    let _ = writeln!(
        out,
        "\nincome, {:?} a year (the last {} days: brand deals + ads - costs; 95% intervals):",
        income.currency, income.window_days
    );
    let _ =
        writeln!(out, "  {:<10}{:>10}  {:>24}  {:>12}", "at least", "chance", "95% interval", "about 1 in");
    for c in &income.levels {
        let upper = c.upper.unwrap_or(1.0);
        let interval = if c.hits > 0 || upper > 0.0 { fmt_interval(c.lower, upper) } else { "-".into() };
        let one = if c.estimate > 0.0 { one_in(c.estimate) } else { "-".into() };
        let _ = writeln!(out, "  {:<10}{:>10}  {:>24}  {:>12}", c.level, fmt_prob(c.estimate), interval, one);
    }
    let _ = writeln!(
        out,
        "  median {}   p90 {}   p99 {}   p99.9 {}",
        fmt_quantile(income.p50),
        fmt_quantile(income.p90),
        fmt_quantile(income.p99),
        fmt_quantile(income.p999)
    );
    let _ = writeln!(
        out,
        "  mean {} (brand deals {}, ads {}); ad gate open (1,000 followers, 4,000 watch hours) for {}",
        fmt_estimate(income.mean),
        fmt_estimate(income.mean_brand),
        fmt_estimate(income.mean_ads),
        fmt_prob(income.ads_allowed.estimate)
    );
}

/// A band of final followers as a table cell and CSV field: `nano`, `under nano`.
fn band_name(t: &TierEngagement, lowest: Option<Tier>) -> String {
    match (t.tier, lowest) {
        (Some(tier), _) => tier.name().to_string(),
        (None, Some(lowest)) => format!("under {lowest}"),
        (None, None) => "under the tiers".to_string(),
    }
}

/// Engagement by band of final followers: careers, the mean engagement
/// per post and the mean engaged audience (95% intervals), and the pooled
/// rate `engagements / audience`.
fn write_tier_engagement(out: &mut String, by_tier: &[TierEngagement]) {
    if by_tier.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "  by tier of final followers (means with 95% intervals; rate = engagements / audience seen):"
    );
    let _ = writeln!(
        out,
        "  {:<22}{:>9}  {:<24}  {:<24}  {:>8}",
        "tier (final followers)", "careers", "engagement per post", "engaged audience", "rate"
    );
    for t in by_tier {
        let band = format!(
            "{} {}",
            band_name(t, Tier::ALL.first().copied()),
            t.followers_below.map_or(format!("{}+", fmt_count(t.followers_from as f64)), |b| {
                format!("[{}, {})", fmt_count(t.followers_from as f64), fmt_count(b as f64))
            })
        );
        let rate = t.engagement_rate.map_or("-".into(), |r| format!("{:.2}%", 100.0 * r));
        let _ = writeln!(
            out,
            "  {band:<22}{:>9}  {:<24}  {:<24}  {rate:>8}",
            grouped(t.careers),
            fmt_estimate(t.engagement_per_post),
            fmt_estimate(t.engaged_audience)
        );
    }
}

/// The CSV columns of engagement by tier, after the others, with `[engagement]`.
const TIER_CSV_COLUMNS: &str = "band,band_from,band_below,band_careers,band_posting_careers,\
     engagement_per_post,engagement_per_post_lower,engagement_per_post_upper,\
     engaged_audience,engaged_audience_lower,engaged_audience_upper,band_posts,band_engagements,band_seen,\
     engagement_rate";

/// The fields of [`TIER_CSV_COLUMNS`] of one band.
fn tier_csv_fields(t: &TierEngagement) -> String {
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    let est = |e: Option<Estimate>| match e {
        Some(e) => format!("{},{},{}", e.value, e.lower, e.upper),
        None => ",,".into(),
    };
    format!(
        "{},{},{},{},{},{},{},{},{},{},{}",
        band_name(t, Tier::ALL.first().copied()).replace(' ', "_"),
        t.followers_from,
        t.followers_below.map_or(String::new(), |b| b.to_string()),
        t.careers,
        t.posting_careers,
        est(t.engagement_per_post),
        est(t.engaged_audience),
        t.posts,
        t.engagements,
        t.seen,
        opt(t.engagement_rate)
    )
}

/// Plain runs' own CSV columns, after [`CHANCE_CSV_HEADER`].
pub(crate) const CAREER_CSV_COLUMNS: &str = "cp_lower,cp_upper,at_horizon,days_p10,days_p50,days_p90";

/// The trajectory's CSV columns, after [`CAREER_CSV_COLUMNS`].
const DAY_CSV_COLUMNS: &str =
    "day,observed,statistic,followers,followers_lower,followers_upper,followers_trusted";

/// The CSV rows of one trajectory day: its mean, then each quantile with
/// its interval and trust flag (empty where no career was observed).
fn day_csv(out: &mut String, d: &DayReport, no_tier: &str) {
    let lead = ",".repeat(CHANCE_CSV_HEADER.split(',').count() + CAREER_CSV_COLUMNS.split(',').count());
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    let _ = writeln!(out, "{lead}{},{},mean,{},,,{no_tier}", d.day, d.observed, opt(d.mean));
    for (name, q) in [("p10", d.p10), ("p50", d.p50), ("p90", d.p90), ("p99", d.p99)] {
        let (value, lower, upper, trusted) = match q {
            Some(q) => (q.value.to_string(), q.lower.to_string(), q.upper.to_string(), q.trusted.to_string()),
            None => Default::default(),
        };
        let _ =
            writeln!(out, "{lead}{},{},{name},{value},{lower},{upper},{trusted}{no_tier}", d.day, d.observed);
    }
}

/// The fields of [`CAREER_CSV_COLUMNS`] of one level.
pub(crate) fn career_csv_fields(l: &LevelReport) -> String {
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    format!(
        "{},{},{},{},{},{}",
        l.clopper_pearson.lower,
        l.clopper_pearson.upper,
        l.at_horizon.estimate,
        opt(l.days_to_reach.p10),
        opt(l.days_to_reach.p50),
        opt(l.days_to_reach.p90)
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

    #[test]
    fn a_quantile_interval_is_never_printed_zero_wide() {
        let q = |lower, upper, trusted| Some(QuantileEstimate { q: 0.1, value: 2.0, lower, upper, trusted });
        assert_eq!(fmt_quantile(q(2.0, 2.0, true)), "2 (interval: 2 only)");
        assert_eq!(fmt_quantile(q(1.0, 3.0, true)), "2 [1, 3]");
        assert_eq!(fmt_quantile(q(2.0, 2.0, false)), "2 (too few careers for an interval)");
        assert_eq!(fmt_quantile(None), "-");
    }
}
