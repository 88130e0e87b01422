//! A forecast's record as a table, CSV and a picture (`forecast.svg`: the
//! history's counts with the forecast's bands of followers).

use crate::experiment::forecast::{ForecastReport, Verdict};
use crate::study::forecast::ForecastRecord;
use std::fmt::Write as _;

/// A count as people read it: `9,874`, `10.2k`, `1.5M`.
fn count(x: f64) -> String {
    crate::experiment::forecast::display_count(x)
}

/// A chance in percent, with enough digits to show a small one.
fn percent(p: f64) -> String {
    if p == 0.0 {
        "0%".into()
    } else if p >= 0.1 {
        format!("{:.1}%", 100.0 * p)
    } else {
        format!("{:.2}%", 100.0 * p)
    }
}

/// An interval's ends in percent, with more digits where the usual ones
/// would print the two ends alike (`[99.97%, 99.998%]`, never `[100.0%, 100.0%]`).
fn interval(lower: f64, upper: f64) -> String {
    let (mut lo, mut hi) = (percent(lower), percent(upper));
    let mut digits = 2;
    while lo == hi && lower < upper && digits <= 6 {
        lo = format!("{:.digits$}%", 100.0 * lower);
        hi = format!("{:.digits$}%", 100.0 * upper);
        digits += 1;
    }
    format!("[{lo}, {hi}]")
}

impl ForecastRecord {
    /// The readable table: the answer in words, then the traits, the levels
    /// with the naive extrapolation beside them, and how the sampler went.
    pub fn to_table(&self) -> String {
        let r = &self.report;
        let last = r.history.last().expect("a checked record has a history");
        let mut out = String::new();
        let years = r.spec.years;
        let _ = writeln!(
            out,
            "Forecast from {} ({} row{}; last: day {}, {} followers), {years} years ahead (to career day {})",
            self.history_file,
            r.history.len(),
            if r.history.len() == 1 { "" } else { "s" },
            last.day,
            count(last.shown),
            r.horizon_day
        );
        if let Verdict::CannotProduce { line, day, shown, closest, residual_sd, reason } = &r.verdict {
            let _ = writeln!(
                out,
                "\nThe model cannot produce this history: row {line} (day {day}, {} followers): {reason}; \
                 the closest careers have about {} ({residual_sd:+.1} noise sds). No forecast is given.",
                count(*shown),
                count(*closest)
            );
            return out + &self.settings_line();
        }
        out += &answer_line(r);
        let _ = writeln!(out, "\nWhat the history says about you (posterior, against the population):");
        let _ = writeln!(
            out,
            "  {:<10} {:>10} {:>10} {:>10} {:>12} {:>12}",
            "trait", "p10", "median", "p90", "population", "percentile"
        );
        for t in &r.traits {
            match t.fixed {
                Some(v) => {
                    let _ =
                        writeln!(out, "  {:<10} {:>10} (stated or fixed by the scenario)", t.name, trim(v));
                }
                None => {
                    let pct = t.population_percentile.map_or("-".into(), ordinal);
                    let _ = writeln!(
                        out,
                        "  {:<10} {:>10} {:>10} {:>10} {:>12} {:>12}",
                        t.name,
                        trim(t.p10),
                        trim(t.p50),
                        trim(t.p90),
                        trim(t.population_p50),
                        pct
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "\nChances within {years} years (95% interval: Monte Carlo over {} replicates; \"spread\": the posterior sd of your own chance), against your naive extrapolation:",
            r.spec.replicates
        );
        let _ = writeln!(
            out,
            "  {:<8} {:>10} {:>9} {:>20} {:>9}   naive: reached on",
            "level", "threshold", "chance", "95% interval", "spread"
        );
        for l in &r.levels {
            let naive = match l.naive_day {
                _ if l.reached_already => "already".to_string(),
                Some(d) if d <= f64::from(r.horizon_day) => format!("day {d:.0} (yes)"),
                Some(d) if d < 1e7 => format!("day {d:.0} (no)"),
                _ => "never".to_string(),
            };
            let _ = writeln!(
                out,
                "  {:<8} {:>10} {:>9} {:>20} {:>9}   {naive}{}",
                l.name,
                count(l.threshold),
                percent(l.chance),
                if l.reached_already { "reached already".to_string() } else { interval(l.lower, l.upper) },
                percent(l.posterior_sd),
                if l.goal { "  (goal)" } else { "" }
            );
        }
        out + &self.settings_line()
    }

    fn settings_line(&self) -> String {
        let r = &self.report;
        let s = &r.spec;
        format!(
            "\n{} particles x {} replicates, noise {} (an assumption: docs/guide forecast.md), {} futures each, seed {}; tempering steps {:?}; worst row {} ({:+.1} noise sds)\n",
            s.particles,
            s.replicates,
            s.noise,
            s.futures,
            s.seed,
            r.fit.steps,
            r.fit.worst_line,
            r.fit.worst_residual_sd
        )
    }

    /// CSV: one row per level.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "level,threshold,goal,reached_already,chance,std_error,lower,upper,posterior_sd,naive_day\n",
        );
        for l in &self.report.levels {
            let naive = l.naive_day.map_or(String::new(), |d| format!("{d:.1}"));
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{naive}",
                l.name,
                l.threshold,
                l.goal,
                l.reached_already,
                l.chance,
                l.std_error,
                l.lower,
                l.upper,
                l.posterior_sd
            );
        }
        out
    }
}

/// The goal's chance in words, beside what extrapolating recent growth says.
fn answer_line(r: &ForecastReport) -> String {
    let Some(goal) = r.levels.iter().find(|l| l.goal) else { return String::new() };
    let naive = match (goal.reached_already, goal.naive_day, r.naive_growth_per_day) {
        (true, _, _) => "you have reached it already".to_string(),
        (_, Some(d), Some(g)) => format!(
            "extrapolating your last 90 days ({:+.1}% a month) reaches it on career day {d:.0}{}",
            100.0 * ((30.0 * g).exp() - 1.0),
            if d <= f64::from(r.horizon_day) { ", within the years asked" } else { ", after them" }
        ),
        _ => "your recent counts show no growth to extrapolate".to_string(),
    };
    format!(
        "\nThe chance you reach {} ({} followers) within {} years: {} (95% interval {} to {}); {naive}.\n",
        goal.name,
        super::answer::grouped(goal.threshold as u64),
        r.spec.years,
        percent(goal.chance),
        percent(goal.lower),
        percent(goal.upper)
    )
}

/// A percentile as an ordinal: `1st`, `22nd`, `65th`, `11th`.
fn ordinal(p: f64) -> String {
    let n = p.round() as i64;
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A number with few digits.
fn trim(v: f64) -> String {
    if v.abs() >= 1000.0 {
        count(v)
    } else if v.abs() >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

impl crate::report::Render for ForecastRecord {
    fn to_table(&self) -> String {
        ForecastRecord::to_table(self)
    }
    fn to_csv(&self) -> String {
        ForecastRecord::to_csv(self)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn interval_ends_never_print_alike() {
        assert_eq!(super::interval(0.0008, 0.0096), "[0.08%, 0.96%]");
        assert_eq!(super::interval(0.99968, 1.0), "[99.97%, 100.00%]");
        assert_eq!(super::interval(0.999968, 1.0), "[99.997%, 100.000%]");
        assert_eq!(super::interval(0.2, 0.7), "[20.0%, 70.0%]");
    }

    #[test]
    fn ordinals() {
        let words: Vec<String> =
            [1.0, 2.0, 3.0, 11.0, 12.0, 13.0, 21.0, 22.4, 65.0, 81.0, 99.6].map(super::ordinal).into();
        assert_eq!(
            words,
            ["1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "22nd", "65th", "81st", "100th"]
        );
    }
}
