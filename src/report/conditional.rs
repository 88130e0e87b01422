//! Rendering of conditional odds: both answers side by side, in words.

use crate::model::career::CareerReport;
use crate::model::career::conditional::{
    ConditionalReport, GivenStateReport, LikeYouReport, TraitDistribution,
};
use crate::model::career::money::IncomeReport;
use crate::report::answer::grouped;
use crate::report::career::{
    CAREER_CSV_COLUMNS, career_csv_fields, fmt_count, fmt_estimate, fmt_interval, fmt_prob, write_engagement,
};
use crate::stats::{CHANCE_CSV_HEADER, Estimate, Proportion};
use std::fmt::Write as _;

fn odds_cell(p: &Proportion) -> String {
    format!("{} {}", fmt_prob(p.estimate), fmt_interval(p.wilson.lower, p.wilson.upper))
}

fn describe_trait(name: &str, value: Option<f64>, given: &GivenStateReport) -> String {
    let percentile = match name {
        "talent" => given.start.talent,
        "effort" => given.start.effort,
        _ => given.start.niche,
    };
    match (value, percentile) {
        (Some(v), Some(crate::model::career::conditional::StartTrait::Percentile { percentile })) => {
            format!("{name} {} (the population's {percentile}th percentile)", fmt_trait(name, v))
        }
        (Some(v), _) => format!("{name} {}", fmt_trait(name, v)),
        (None, _) if name == "niche" => format!(
            "niche drawn from the population, given at least {} followers",
            grouped(given.start.followers)
        ),
        (None, _) => format!("{name} drawn from the population"),
    }
}

fn fmt_trait(name: &str, v: f64) -> String {
    match name {
        "talent" => format!("{v:.3}"),
        "effort" => format!("{v:.2}"),
        "niche" => fmt_count(v),
        _ => format!("{v:.0}"),
    }
}

/// A mean with its interval, with as many more decimals (up to 3 more) as
/// it takes for the interval's ends to differ on the page: a narrow
/// interval is never printed as if it had no width.
fn fmt_mean(name: &str, e: &Estimate) -> String {
    if name == "niche" {
        return format!("{} [{}, {}]", fmt_count(e.value), fmt_count(e.lower), fmt_count(e.upper));
    }
    let base = match name {
        "talent" => 3,
        "effort" => 2,
        _ => 0,
    };
    let d =
        (base..=base + 3).find(|&d| format!("{:.d$}", e.lower) != format!("{:.d$}", e.upper)).unwrap_or(base);
    format!("{:.d$} [{:.d$}, {:.d$}]", e.value, e.lower, e.upper)
}

/// Two cells: the mean with its interval, and the 10th / 50th / 90th percentiles.
fn fmt_distribution(name: &str, d: &Option<TraitDistribution>) -> (String, String) {
    match d {
        None => ("- (fewer than 2)".to_string(), String::new()),
        Some(d) => (
            fmt_mean(name, &d.mean),
            format!(
                "{} / {} / {}",
                fmt_trait(name, d.p10.value),
                fmt_trait(name, d.p50.value),
                fmt_trait(name, d.p90.value)
            ),
        ),
    }
}

/// The "creators like you" answer's condition: who is matched, how many of
/// the creators simulated from their first day were, and what their odds mean.
fn write_like_you_condition(out: &mut String, l: &LikeYouReport) {
    let c = &l.condition;
    let window = if c.window_days == 0 {
        format!("on career day {}", c.career_day)
    } else {
        format!("on some career day in {} +- {}", c.career_day, c.window_days)
    };
    let _ = writeln!(
        out,
        "CREATORS LIKE YOU: creators with {} to {} followers {window}{}.",
        grouped(c.followers.low),
        grouped(c.followers.high),
        if c.still_active { ", still posting" } else { "" }
    );
    let s = &l.selection;
    let _ = writeln!(
        out,
        "  {} creators simulated from their first day; {} matched: {} of creators get there {}.",
        grouped(l.population),
        grouped(l.matched),
        fmt_prob(s.estimate),
        fmt_interval(s.clopper_pearson.lower, s.clopper_pearson.upper)
    );
    let _ = writeln!(
        out,
        "  Their odds are the share of those matched careers that reach each tier. They take into\n  \
         account what having those followers then says about a creator's talent, effort and niche."
    );
}

/// The "given your state" answer's condition: the state the careers
/// continue from, its traits, and how many careers continued.
fn write_given_state(out: &mut String, g: &GivenStateReport) {
    let st = &g.start;
    let traits: Vec<String> = [("talent", g.talent), ("effort", g.effort), ("niche", g.niche)]
        .iter()
        .map(|&(name, v)| describe_trait(name, v, g))
        .collect();
    let _ = writeln!(
        out,
        "GIVEN YOUR STATE: {} followers on career day {} (platform day {}, {} at the last review);",
        grouped(st.followers),
        st.career_day,
        st.platform_day.unwrap_or_default(),
        grouped(st.followers_at_last_review.unwrap_or_default()),
    );
    let _ = writeln!(out, "  {}.", traits.join("; "));
    let _ = writeln!(
        out,
        "  {} careers continued from that state. Traits not stated are drawn from the whole\n  \
         population, as if your follower count said nothing about them.",
        grouped(g.odds.trials)
    );
}

/// The chance of every level under each answer present, side by side (the
/// goal starred), and a note when nobody matched "creators like you".
fn write_odds(out: &mut String, like: Option<&LikeYouReport>, given: Option<&GivenStateReport>) {
    let _ = writeln!(out, "Chance of reaching each level by the horizon; 95% Wilson intervals:");
    let _ = writeln!(
        out,
        "  {:<8} {:>14}  {:>34}  {:>34}",
        "level",
        "followers",
        if like.is_some() { "creators like you" } else { "" },
        if given.is_some() { "given your state" } else { "" }
    );
    let reference: Option<&CareerReport> = like.and_then(|l| l.odds.as_ref()).or(given.map(|g| &g.odds));
    for level in reference.map_or(&[][..], |r| &r.levels) {
        let name = &level.chance.level;
        let like_cell = match like {
            None => String::new(),
            Some(l) => match &l.odds {
                Some(r) => r.level(name).map_or(String::new(), |l| odds_cell(&l.reached())),
                None => "- (no match)".to_string(),
            },
        };
        // A level at or below the state's followers is reached already:
        // certain by construction, so no interval (a zero-width one
        // would claim what no count can).
        let given_cell = given.and_then(|g| g.odds.level(name)).map_or(String::new(), |l| {
            if l.chance.reached_already() { "reached already".to_string() } else { odds_cell(&l.reached()) }
        });
        let marker = if level.chance.goal { "*" } else { " " };
        let _ = writeln!(
            out,
            "{marker} {:<8} {:>14}  {:>34}  {:>34}",
            name,
            grouped(level.chance.threshold as u64),
            like_cell,
            given_cell
        );
    }
    write_income_odds(out, like.and_then(|l| l.odds.as_ref()), given.map(|g| &g.odds), like.is_some());
    if let Some(l) = like
        && l.matched == 0
    {
        let _ = writeln!(
            out,
            "  Nobody matched: a match is rarer than {} (95% upper bound); run more trials or widen the window.",
            fmt_prob(l.selection.clopper_pearson.upper)
        );
    }
}

/// A report's income, with `[money]`.
fn income(r: Option<&CareerReport>) -> Option<&IncomeReport> {
    r.and_then(|r| r.engagement.as_ref()).and_then(|m| m.income.as_ref())
}

/// With `[money]`, the chance of earning at least each income level a
/// year under each answer, below the follower levels, and each answer's
/// median and mean income.
fn write_income_odds(
    out: &mut String,
    like: Option<&CareerReport>,
    given: Option<&CareerReport>,
    has_like: bool,
) {
    let Some(reference) = income(like).or(income(given)) else { return };
    let _ = writeln!(
        out,
        "  earning at least, a year (the last {} days):",
        grouped(u64::from(reference.window_days))
    );
    let cell = |r: Option<&CareerReport>, name: &str| {
        income(r).and_then(|i| i.levels.iter().find(|c| c.level == name)).map_or(String::new(), |c| {
            format!("{} {}", fmt_prob(c.estimate), fmt_interval(c.lower, c.upper.unwrap_or(1.0)))
        })
    };
    for c in &reference.levels {
        let like_cell =
            if has_like && like.is_none() { "- (no match)".to_string() } else { cell(like, &c.level) };
        let _ =
            writeln!(out, "  {:<8} {:>14}  {:>34}  {:>34}", c.level, "", like_cell, cell(given, &c.level));
    }
    let line = |r: Option<&CareerReport>| {
        income(r).map_or(String::new(), |i| {
            format!(
                "median {}, mean {}",
                i.p50.map_or("-".into(), |q| fmt_count(q.value)),
                fmt_estimate(i.mean)
            )
        })
    };
    let _ = writeln!(out, "  {:<8} {:>14}  {:>34}  {:>34}", "income", "", line(like), line(given));
}

/// With `[engagement]` (or `[money]`), one answer's engagement (`who`
/// names its careers), as a plain run prints it
/// ([`crate::report::career::write_engagement`]).
fn write_engagement_of(out: &mut String, r: Option<&CareerReport>, who: &str) {
    let Some(m) = r.and_then(|r| r.engagement.as_ref()) else { return };
    let _ = writeln!(out, "\nEngagement of {who}, at the horizon:");
    write_engagement(out, m);
}

/// The traits of the creators like you beside all creators' (means with
/// intervals, and percentiles), with a warning when the means rest on too few.
fn write_like_you_traits(out: &mut String, l: &LikeYouReport) {
    let _ = writeln!(out, "\nWhat creators like you are like, beside all creators:");
    let _ = writeln!(
        out,
        "  {:<10} {:>24}  {:>24}    {:>24}  {:>24}",
        "", "all creators: mean", "p10 / p50 / p90", "creators like you: mean", "p10 / p50 / p90"
    );
    for t in &l.traits {
        // A trait every creator shares (a fixed entry day, say) says nothing.
        if t.population.is_some_and(|d| d.p10.value == d.p90.value) {
            continue;
        }
        let label = match t.name.as_str() {
            "niche" => "niche*",
            "effort" => "effort/wk",
            other => other,
        };
        let (all_mean, all_q) = fmt_distribution(&t.name, &t.population);
        let (like_mean, like_q) = fmt_distribution(&t.name, &t.matched);
        let _ = writeln!(out, "  {label:<10} {all_mean:>24}  {all_q:>24}    {like_mean:>24}  {like_q:>24}");
    }
    let _ = writeln!(
        out,
        "  Means with 95% intervals; * the niche's mean is its geometric mean. Effort is posts a week."
    );
    if l.traits.iter().any(|t| t.matched.is_some_and(|d| !d.mean_trusted)) {
        let _ = writeln!(
            out,
            "  NOT TRUSTED: the means of only {} creators like you: Student's interval holds for near-normal \
             traits (talent, the niche's log) but covers less for skewed ones (effort: 0.87 at 5 values, 0.91 \
             at 30; docs/VALIDATION.md).",
            l.matched
        );
    }
}

impl ConditionalReport {
    /// The readable table: what each answer conditions on, the odds of every
    /// tier under each, side by side, and the matched creators' traits.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let like = self.creators_like_you.as_ref();
        let given = self.given_state.as_ref();
        if let Some(l) = like {
            write_like_you_condition(&mut out, l);
        }
        if let Some(g) = given {
            write_given_state(&mut out, g);
        }
        let _ = writeln!(out);
        write_odds(&mut out, like, given);
        write_engagement_of(&mut out, like.and_then(|l| l.odds.as_ref()), "creators like you");
        write_engagement_of(&mut out, given.map(|g| &g.odds), "careers given your state");
        if let Some(l) = like {
            write_like_you_traits(&mut out, l);
        }
        out
    }

    /// CSV in long form: one row per answer and level, the columns every
    /// run shares ([`CHANCE_CSV_HEADER`]) after the answer's name, then
    /// plain runs' own.
    pub fn to_csv(&self) -> String {
        let mut out = format!("answer,{CHANCE_CSV_HEADER},{CAREER_CSV_COLUMNS}\n");
        let mut rows = |answer: &str, report: &CareerReport| {
            for l in &report.levels {
                let _ = writeln!(out, "{answer},{},{}", l.chance.csv_fields(), career_csv_fields(l));
            }
            // With `[money]`, a row per income level, then with
            // `[engagement]` (or `[money]`) a row per engaged-audience level,
            // the career columns empty.
            let income = report.engagement.as_ref().and_then(|m| m.income.as_ref());
            let audience = report.engagement.as_ref().map_or(&[][..], |m| &m.audience_levels[..]);
            let empty = ",".repeat(CAREER_CSV_COLUMNS.split(',').count());
            for c in income.map_or(&[][..], |i| &i.levels[..]).iter().chain(audience) {
                let _ = writeln!(out, "{answer},{}{empty}", c.csv_fields());
            }
        };
        if let Some(r) = self.creators_like_you.as_ref().and_then(|l| l.odds.as_ref()) {
            rows("creators_like_you", r);
        }
        if let Some(g) = &self.given_state {
            rows("given_state", &g.odds);
        }
        out
    }
}
