//! Rendering of the delusion gap: one row per way of seeing the odds, as a
//! table or CSV.

use crate::experiment::delusion::{DelusionReport, ExtrapolatedIncome, MIN_EFFECTIVE_HITS, MoneyGap, View};
use crate::report::answer::grouped;
use crate::report::career::{fmt_count, fmt_interval, fmt_prob};
use crate::report::{NO_REPORT, coverage_heading};
use crate::stats::Estimate;
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
    out += ".\n";
    if let Some(m) = &r.money
        && let Some(like) = m.views.iter().find(|v| v.view == "like_you")
    {
        let x = &m.extrapolated;
        out += &format!(
            "  In money: the honest chance of earning {} in the last {} days is {}; extrapolating their growth, \
             creators like you expect a median {} a year, and {} of them earn what they expect.\n",
            m.goal_name,
            grouped(u64::from(m.window_days)),
            odds(like),
            x.expected_median.map_or("-".into(), |q| format!("${}", fmt_count(q.value))),
            fmt_prob(x.reached_expected.value)
        );
    }
    out + "\n"
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
        write_views(&mut out, &r.views, ("odds", "x true odds"));
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
        if let Some(m) = &r.money {
            write_money(&mut out, m);
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
        if let Some(m) = &r.money {
            money_csv(&mut out, &what, m);
        }
        out
    }
}

/// One row per view: its odds (or chance), interval, factor and what it is.
fn write_views(out: &mut String, views: &[View], (odds, factor): (&str, &str)) {
    let _ = writeln!(out, "  {:<22} {:>10} {:>24} {:>26}  what", "view", odds, "95% interval", factor);
    for v in views {
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
}

/// An amount with its interval: `$1,234 [$1,000, $1,500]`.
fn fmt_amount(e: Option<&Estimate>) -> String {
    e.map_or("-".into(), |e| {
        format!(
            "${} [${}, ${}]",
            fmt_count(e.value),
            fmt_count(e.lower.max(0.0)),
            fmt_count(e.upper.max(0.0))
        )
    })
}

/// The block "In money": the chance of earning the goal seen each way, and
/// the extrapolated income against the model's.
fn write_money(out: &mut String, m: &MoneyGap) {
    let _ = writeln!(
        out,
        "
IN MONEY: the chance of earning at least {} in the last {} days of the horizon, seen each way, \
         with 95% intervals, and as a factor over the true chance.\n",
        m.goal_name,
        grouped(u64::from(m.window_days))
    );
    write_views(out, &m.views, ("chance", "x true chance"));
    if !m.views.iter().any(|v| v.view == "visible") {
        let _ = writeln!(
            out,
            "\nvisible: no account of the snapshot is still posting: no weighted share to show."
        );
    }
    for v in m.views.iter().filter(|v| !v.trusted) {
        let _ = writeln!(
            out,
            "\nNOT TRUSTED: {}'s interval (in money) rests on impressions worth {:.1} equally weighted accounts \
             earning {} (of {} accounts; fewer than {MIN_EFFECTIVE_HITS}); raise [delusion] snapshot_trials.",
            v.view, m.snapshot_effective_hits, m.goal_name, m.snapshot_earning
        );
    }
    let e = &m.extrapolated;
    let median = |q: Option<crate::model::career::summary::QuantileEstimate>| {
        q.map_or("-".into(), |q| {
            format!("${} [${}, ${}]", fmt_count(q.value), fmt_count(q.lower), fmt_count(q.upper))
        })
    };
    let _ = writeln!(
        out,
        "\n  extrapolated income: creators like you ({}) who compound their recent growth to the horizon and\n  \
         hold that audience through the window expect a mean of {} a year (median {});\n  \
         the model gives them a mean of {} (median {}); {} {} earn what they expected ({} of {}).",
        e.creators,
        fmt_amount(e.expected_mean.as_ref()),
        median(e.expected_median),
        fmt_amount(e.actual_mean.as_ref()),
        median(e.actual_median),
        fmt_prob(e.reached_expected.value),
        fmt_interval(e.reached_expected.lower, e.reached_expected.upper),
        e.reached_expected_count,
        e.creators
    );
}

/// CSV rows of the delusion gap in money: one per view of the chance of
/// earning the goal (the `tier` column names the goal), then the
/// extrapolated income's means and medians (in the `odds` columns, in
/// currency units a year) and the share earning what they expected.
fn money_csv(out: &mut String, what: &str, m: &MoneyGap) {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| v.to_string());
    let mut row = |view: &str,
                   description: &str,
                   e: &Estimate,
                   counts: Option<(u64, u64)>,
                   f: Option<&Estimate>,
                   trusted: bool| {
        let _ = writeln!(
            out,
            "{what},{},{view},{},{},{},{},{},{},{},{},{},{},{trusted}",
            m.goal_name,
            quote(description),
            e.value,
            opt(Some(e.std_error).filter(|s| s.is_finite())),
            e.lower,
            e.upper,
            opt(counts.map(|c| c.0 as f64)),
            opt(counts.map(|c| c.1 as f64)),
            opt(f.map(|f| f.value)),
            opt(f.map(|f| f.lower)),
            opt(f.map(|f| f.upper)),
        );
    };
    for v in &m.views {
        row(&format!("income_{}", v.view), &v.description, &v.odds, v.counts, v.factor.as_ref(), v.trusted);
    }
    let x @ ExtrapolatedIncome { creators, reached_expected, reached_expected_count, .. } = &m.extrapolated;
    // Medians have no standard error (the field is left empty) and carry
    // their own trust (the order-statistic interval's coverage).
    let quantile = |q: Option<crate::model::career::summary::QuantileEstimate>| {
        q.map(|q| {
            let e = Estimate {
                value: q.value,
                std_error: f64::NAN,
                confidence: 0.95,
                lower: q.lower,
                upper: q.upper,
            };
            (e, q.trusted)
        })
    };
    let mean = |e: Option<Estimate>| e.map(|e| (e, true));
    for (view, description, e) in [
        (
            "expected_income_mean",
            "mean income creators like you expect by extrapolating, a year",
            mean(x.expected_mean),
        ),
        ("expected_income_median", "median income they expect, a year", quantile(x.expected_median)),
        ("actual_income_mean", "mean income the model gives them, a year", mean(x.actual_mean)),
        ("actual_income_median", "median income the model gives them, a year", quantile(x.actual_median)),
    ] {
        if let Some((e, trusted)) = e {
            row(view, description, &e, None, None, trusted);
        }
    }
    row(
        "reached_expected_income",
        "of creators like you, the share whose income reached what they expected",
        reached_expected,
        Some((*reached_expected_count, *creators)),
        None,
        true,
    );
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
