//! Rendering of attribution: Sobol indices, luck replays and counterfactuals
//! as a readable table; CSV in long form (one estimate per row).

use crate::experiment::attribute::{
    CounterfactualReport, InputIndices, MIN_INDEX_SUPPORT, MIN_REPEAT_CREATORS, OutputIndices,
    ReplayAgreement, ReplayReport, SobolReport,
};
use crate::report::career::{fmt_interval, fmt_prob};
use crate::report::sweep::{fmt_difference, fmt_level_difference};
use crate::report::{NO_REPORT, coverage_heading};
use crate::stats::Estimate;
use crate::study::attribute::AttributionRecord;
use std::fmt::Write as _;

/// An index (a share of variance) with its interval: `0.312 [0.305, 0.319]`.
fn fmt_share(e: &Estimate) -> String {
    format!("{:.3} [{:.3}, {:.3}]", e.value, e.lower, e.upper)
}

fn fmt_opt(e: Option<&Estimate>) -> String {
    e.map_or_else(|| "-".to_string(), fmt_share)
}

/// The inputs of an output ranked by total index, largest first, with `>`
/// where the intervals do not overlap and `~` where they do.
fn ranking(o: &OutputIndices) -> String {
    let mut by_total: Vec<_> = o.indices.iter().collect();
    by_total.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
    let mut text = String::new();
    for (i, input) in by_total.iter().enumerate() {
        if i > 0 {
            let above = by_total[i - 1];
            text += if above.total.lower > input.total.upper { " > " } else { " ~ " };
        }
        text += &input.input;
    }
    text
}

/// A note for a share of variance estimated outside `[0, 1]`, where no
/// share can lie: how far outside, in standard errors, and how to read it.
fn out_of_range(what: &str, e: &Estimate) -> Option<String> {
    let (edge, side) = if e.value > 1.0 {
        (1.0, "above")
    } else if e.value < 0.0 {
        (0.0, "below")
    } else {
        return None;
    };
    let by = if e.std_error > 0.0 {
        format!("by {:.1} standard errors", (e.value - edge).abs() / e.std_error)
    } else {
        "with no standard error".to_string()
    };
    Some(format!(
        "note: {what} is {:.3}, {side} {edge} {by}: estimator noise (a share of variance lies in [0, 1]); read it as {edge}.",
        e.value
    ))
}

fn sobol_block(out: &mut String, o: &OutputIndices) {
    let mean = o.mean.as_ref().map_or("-".to_string(), |m| {
        if o.hits.is_some() {
            format!("odds {} {}", fmt_prob(m.value), fmt_interval(m.lower, m.upper))
        } else {
            format!("mean {:.3} [{:.3}, {:.3}]", m.value, m.lower, m.upper)
        }
    });
    let hits = o.hits.map_or(String::new(), |h| format!(", {h} hits"));
    let _ = writeln!(out, "\n{} ({mean}{hits})", o.output);
    if let Some(note) = &o.note {
        let _ = writeln!(out, "  {note}");
        return;
    }
    let _ = writeln!(out, "  {:<10} {:>28} {:>28}", "input", "first order S1", "total ST");
    for i in &o.indices {
        let fixed =
            if i.changes_output { "" } else { "   never changed the output (fixed in the scenario?)" };
        let _ = writeln!(
            out,
            "  {:<10} {:>28} {:>28}{fixed}",
            i.input,
            fmt_share(&i.first_order),
            fmt_share(&i.total)
        );
    }
    if let Some(sum) = &o.sum_first_order {
        let _ =
            writeln!(out, "  {:<10} {:>28}   (1 - sum: the share of interactions)", "sum", fmt_share(sum));
    }
    let _ = writeln!(out, "  ranked by total: {}", ranking(o));
    let mut few = Vec::new();
    for i in &o.indices {
        let (s1_rows, st_rows) = i.support.as_ref().map_or((0, 0), |s| (s.first_order, s.total));
        if !i.first_order_trusted {
            few.push(format!("S1 of {} ({s1_rows} rows)", i.input));
        }
        if !i.total_trusted {
            few.push(format!("ST of {} ({st_rows} rows)", i.input));
        }
    }
    if !few.is_empty() {
        let _ = writeln!(
            out,
            "  NOT TRUSTED: {} rest on fewer than {MIN_INDEX_SUPPORT} rows where the outcome changed;\n  \
             their intervals do not hold at so few (docs/VALIDATION.md): run more rows.",
            few.join(", ")
        );
    }
    for i in &o.indices {
        for (what, e) in [("S1", &i.first_order), ("ST", &i.total)] {
            if let Some(note) = out_of_range(&format!("{what} of {}", i.input), e) {
                let _ = writeln!(out, "  {note}");
            }
        }
    }
    if let Some(note) = o.sum_first_order.as_ref().and_then(|sum| out_of_range("the sum of S1", sum)) {
        let _ = writeln!(out, "  {note}");
    }
    if o.clamped > 0 {
        let _ =
            writeln!(out, "  WARNING: {} values were clamped; the indices are not to be trusted", o.clamped);
    }
}

/// The cells of an indicator output's agreement between replays: the odds,
/// the odds given a reach in another replay, and the lift (blank for an
/// output that is not an indicator).
fn agreement_cells(agreement: Option<&ReplayAgreement>) -> (String, String, String) {
    match agreement {
        Some(a) => (
            a.odds
                .as_ref()
                .map_or("-".into(), |e| format!("{} {}", fmt_prob(e.value), fmt_interval(e.lower, e.upper))),
            a.given_another
                .as_ref()
                .map_or("-".into(), |e| format!("{} {}", fmt_prob(e.value), fmt_interval(e.lower, e.upper))),
            a.lift
                .as_ref()
                .map_or("-".into(), |e| format!("{:.2} [{:.2}, {:.2}]", e.value, e.lower, e.upper)),
        ),
        None => (String::new(), String::new(), String::new()),
    }
}

/// Re-running history: how much of each output the traits explain across
/// replays of luck, and for indicators how often a reach repeats.
fn replays_block(out: &mut String, p: &ReplayReport) {
    let _ = writeln!(
        out,
        "\nRE-RUNNING HISTORY: {} creators, each with the same traits on {} replays of luck.",
        p.creators, p.replays
    );
    if let Some(rho) = &p.rank_correlation {
        let _ = writeln!(
            out,
            "  rank correlation of {} between two replays: {}",
            p.outputs.first().map_or("", |o| o.output.as_str()),
            fmt_share(rho)
        );
    }
    let _ = writeln!(
        out,
        "  {:<26} {:>28} {:>28} {:>28} {:>22}",
        "output", "traits' share of variance", "P(reach)", "P(reach | reached in another)", "lift"
    );
    for o in &p.outputs {
        if let Some(note) = &o.note {
            let _ = writeln!(out, "  {:<26} {note}", o.output);
            continue;
        }
        let (odds, given, lift) = agreement_cells(o.agreement.as_ref());
        let _ = writeln!(
            out,
            "  {:<26} {:>28} {:>28} {:>28} {:>22}",
            o.output,
            fmt_opt(o.traits_share.as_ref()),
            odds,
            given,
            lift
        );
    }
    for o in p.outputs.iter().filter(|o| o.note.is_none()) {
        if !o.trusted {
            let _ = writeln!(
                out,
                "  NOT TRUSTED: {}'s shares rest on {} creators who reached it in two replays or more\n  \
                 (fewer than {MIN_REPEAT_CREATORS}); their intervals do not hold at so few (docs/VALIDATION.md).",
                o.output,
                o.repeat_creators.unwrap_or(0)
            );
        }
        if let Some(note) = o
            .traits_share
            .as_ref()
            .and_then(|e| out_of_range(&format!("the traits' share of {}", o.output), e))
        {
            let _ = writeln!(out, "  {note}");
        }
    }
    let _ = writeln!(
        out,
        "  Traits' share = Var(E[Y | traits]) / Var(Y); luck's total index is 1 minus it.\n  \
         Lift = P(reach | reached in another replay) / P(reach): 1 if luck were everything."
    );
}

/// The counterfactuals: each edit's odds of every tier against the creators
/// as drawn, on the same luck, and its difference in log followers.
fn counterfactuals_block(out: &mut String, c: &CounterfactualReport) {
    let _ = writeln!(
        out,
        "\nCOUNTERFACTUALS: {} creators, each run as drawn and with each edit, on the same luck.\n\
         Differences in percentage points (pp), paired 95% interval (Newcombe's hybrid score), the exact\n\
         McNemar p-value of no difference, then the unpaired interval;\n\
         discordant: creators who reach the tier only when edited / only as drawn.",
        c.creators
    );
    for e in &c.edits {
        let _ = writeln!(out, "\n{}", e.edit.name);
        for t in &e.tiers {
            let base = c.as_drawn.iter().find(|(tier, _)| *tier == t.tier).map(|(_, p)| p.estimate);
            let _ = writeln!(
                out,
                "  {:<10} {:>9} -> {:>9}  {}",
                t.tier.name(),
                base.map_or("-".into(), fmt_prob),
                fmt_prob(t.edited.estimate),
                fmt_difference(&t.difference)
            );
        }
        // With `[money]`: each income level a year, named in the tier column
        // (`$10k`); with `[engagement]`, each engaged audience (`1k engaged`).
        let drawn = c.as_drawn_income.iter().chain(&c.as_drawn_audience);
        for (l, (_, base)) in e.income.iter().chain(&e.audience).zip(drawn) {
            let _ = writeln!(
                out,
                "  {:<10} {:>9} -> {:>9}  {}",
                l.level,
                fmt_prob(base.estimate),
                l.chance.map_or("-".into(), |p| fmt_prob(p.estimate)),
                fmt_level_difference(l.estimate.as_ref(), l.point_only, l.baseline_only)
            );
        }
        if let Some(d) = &e.log_followers_difference {
            let unpaired = e.log_followers_unpaired_std_error.map_or(String::new(), |se| {
                format!(", unpaired [{:+.4}, {:+.4}]", d.value - 1.96 * se, d.value + 1.96 * se)
            });
            let _ = writeln!(
                out,
                "  log10(1+followers): {:+.4} [{:+.4}, {:+.4}]{unpaired}",
                d.value, d.lower, d.upper
            );
        }
    }
}

/// The answer first: what decides the first output (log followers), the
/// inputs ranked by their total Sobol index with intervals, and luck's
/// share alone and with its interactions, in words; then, when the scenario
/// asks about an income or an engaged audience (`money.goal`,
/// `engagement.goal`: `--target '$30k'`, `--target '1k engaged'`), the same
/// for reaching it.
fn sobol_answer(s: &SobolReport, goal: Option<(String, String)>) -> String {
    let mut out = s
        .outputs
        .first()
        .map_or(String::new(), |o| what_decides(o, &format!("how far a creator gets ({})", o.output)));
    if let Some((o, question)) = goal.and_then(|(name, question)| Some((s.output(&name)?, question))) {
        match &o.note {
            Some(note) => out += &format!("What decides {question}? No indices: {note}.\n"),
            None => out += &what_decides(o, &question),
        }
    }
    out
}

/// What decides output `o`, asked as `question`: its inputs ranked by total
/// Sobol index with intervals, and luck's share in words (empty without indices).
fn what_decides(o: &OutputIndices, question: &str) -> String {
    if o.indices.is_empty() {
        return String::new();
    }
    let mut ranked: Vec<&InputIndices> = o.indices.iter().collect();
    ranked.sort_by(|a, b| b.total.value.total_cmp(&a.total.value));
    let pct = |x: f64| format!("{:.0}%", 100.0 * x);
    let shares: Vec<String> = ranked
        .iter()
        .filter(|i| i.changes_output)
        .map(|i| {
            format!("{} {} [{}, {}]", i.input, pct(i.total.value), pct(i.total.lower), pct(i.total.upper))
        })
        .collect();
    let mut out = format!(
        "What decides {question}? Each input's share of the variance it has a hand in\n\
         (total Sobol index, 95% interval), largest first: {}.\n",
        shares.join(", ")
    );
    if let Some(luck) = o.input("luck") {
        out += &format!(
            "  In words: luck alone explains {} of the spread in outcomes and has a hand in {}; the same\n  \
             creator, replayed on new luck, ends up somewhere else (the replays below say how far).\n",
            pct(luck.first_order.value),
            pct(luck.total.value)
        );
    }
    if !o.trusted {
        out += "  NOT TRUSTED: some of these indices rest on too few rows (below).\n";
    }
    out
}

impl AttributionRecord {
    /// The readable table: a header naming the scenario, seed and version,
    /// then the three parts.
    pub fn to_table(&self) -> String {
        let Some(r) = self.report.as_ref() else {
            return NO_REPORT.to_string();
        };
        let mut out = coverage_heading(self.coverage_in_words(), self.interrupted, "clout attribute");
        // The goal's output and the question it answers: an income, else an engaged audience.
        let income = self.scenario.money.and_then(|m| m.goal_name());
        let goal = income
            .map(|name| (name.clone(), format!("whether a creator earns at least {name} a year")))
            .or_else(|| {
                let name = self.scenario.engaged_goal_name()?;
                Some((
                    name.clone(),
                    format!("whether a creator reaches {name} (engagements a post at the horizon)"),
                ))
            });
        out += &sobol_answer(&r.sobol, goal);
        let s = &r.sobol;
        let _ = writeln!(
            out,
            "\nSOBOL INDICES: {} rows x {} careers (Saltelli design, Jansen total order), 95% intervals.\n\
             S1: the share of the variance an input explains alone; ST: the share it has a hand in,\n\
             interactions included. Luck is every random draw of a career, as one input.",
            s.rows, s.evaluations_per_row
        );
        for o in &s.outputs {
            sobol_block(&mut out, o);
        }
        replays_block(&mut out, &r.replays);
        counterfactuals_block(&mut out, &r.counterfactuals);
        out + &format!(
            "\nclout {} | {} | seed {}\n",
            self.clout_version,
            super::titled("attribute", &self.scenario),
            self.seed
        )
    }

    /// CSV in long form, one estimate a row:
    /// `scenario,seed,clout_version,part,output,input,statistic,value,std_error,lower,upper,trusted`
    /// (`trusted` false where the interval rests on too few events to hold:
    /// [`MIN_INDEX_SUPPORT`], [`MIN_REPEAT_CREATORS`]).
    pub fn to_csv(&self) -> String {
        let Some(r) = self.report.as_ref() else {
            return NO_REPORT.to_string();
        };
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let what = format!("{},{},{}", quote(&self.scenario.name), self.seed, self.clout_version);
        let mut out = String::from(
            "scenario,seed,clout_version,part,output,input,statistic,value,std_error,lower,upper,trusted\n",
        );
        let mut row =
            |part: &str, output: &str, input: &str, statistic: &str, e: &Estimate, trusted: bool| {
                let _ = writeln!(
                    out,
                    "{what},{part},{},{},{statistic},{},{},{},{},{trusted}",
                    quote(output),
                    quote(input),
                    e.value,
                    e.std_error,
                    e.lower,
                    e.upper
                );
            };
        for o in &r.sobol.outputs {
            for i in &o.indices {
                row("sobol", &o.output, &i.input, "first_order", &i.first_order, i.first_order_trusted);
                row("sobol", &o.output, &i.input, "total", &i.total, i.total_trusted);
            }
            if let Some(sum) = &o.sum_first_order {
                let trusted = o.indices.iter().all(|i| i.first_order_trusted);
                row("sobol", &o.output, "", "sum_first_order", sum, trusted);
            }
            if let Some(mean) = &o.mean {
                row("sobol", &o.output, "", "mean", mean, true);
            }
        }
        for o in &r.replays.outputs {
            if let Some(e) = &o.traits_share {
                row("replays", &o.output, "traits", "traits_share", e, o.trusted);
            }
            if let Some(a) = &o.agreement {
                for (name, e, trusted) in [
                    ("odds", &a.odds, true),
                    ("given_another", &a.given_another, o.trusted),
                    ("lift", &a.lift, o.trusted),
                ] {
                    if let Some(e) = e {
                        row("replays", &o.output, "", name, e, trusted);
                    }
                }
            }
        }
        if let (Some(rho), Some(first)) = (&r.replays.rank_correlation, r.replays.outputs.first()) {
            row("replays", &first.output, "", "rank_correlation", rho, true);
        }
        for e in &r.counterfactuals.edits {
            // Every tier, then with `[money]` every income level (`$10k`).
            let levels = e.tiers.iter().map(|t| (t.tier.name(), t.difference.estimate.as_ref()));
            let money = e.income.iter().chain(&e.audience);
            for (level, d) in levels.chain(money.map(|l| (l.level.as_str(), l.estimate.as_ref()))) {
                if let Some(d) = d {
                    let interval = |std_error, lower, upper| Estimate {
                        value: d.difference,
                        std_error,
                        confidence: 0.95,
                        lower,
                        upper,
                    };
                    let paired = interval(d.std_error, d.lower, d.upper);
                    let unpaired = interval(d.unpaired_std_error, d.unpaired_lower, d.unpaired_upper);
                    row("counterfactual", level, &e.edit.name, "difference_paired", &paired, true);
                    row("counterfactual", level, &e.edit.name, "difference_unpaired", &unpaired, true);
                }
            }
            if let Some(d) = &e.log_followers_difference {
                row(
                    "counterfactual",
                    crate::experiment::attribute::LOG_FOLLOWERS,
                    &e.edit.name,
                    "difference_paired",
                    d,
                    true,
                );
            }
        }
        out
    }
}
