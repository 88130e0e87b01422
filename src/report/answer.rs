//! The answer first: what every run's table opens with (the question, the
//! chance of the goal in words, what it means), and the one table of
//! chances that plain and importance-sampled runs share.

use super::career::{fmt_interval, fmt_prob, three_significant};
use crate::model::career::Observation;
use crate::scenario::Scenario;
use crate::stats::Chance;
use std::fmt::Write as _;

/// A whole number with thousands separators: `1,825`.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "about 1 in N" of a chance, grouped: `1 in 8,120`.
pub(crate) fn one_in(p: f64) -> String {
    let n: String = three_significant(1.0 / p);
    n.parse::<u64>().map_or(n, grouped)
}

/// When the scenario looks: "within 5 years (1,825 days)" for a cohort, "by
/// platform day 3,650" for a snapshot; `None` for models without a career
/// observation (the reference models).
pub(crate) fn horizon_words(scenario: &Scenario) -> Option<String> {
    use crate::scenario::ModelKind;
    if scenario.model != ModelKind::Career {
        return None;
    }
    Some(match scenario.observation.unwrap_or_default() {
        Observation::Cohort { horizon_days } => {
            let years = f64::from(horizon_days) / 365.0;
            let years = if (years - years.round()).abs() < 0.01 {
                format!("{:.0} year{}", years, if years.round() == 1.0 { "" } else { "s" })
            } else {
                format!("{years:.1} years")
            };
            if scenario.condition.is_some() || scenario.start.is_some() {
                // Careers already under way: the horizon is a career day, not a span from now.
                format!("by career day {} ({years} after starting)", grouped(u64::from(horizon_days)))
            } else {
                format!("within {years} ({} days)", grouped(u64::from(horizon_days)))
            }
        }
        Observation::Snapshot { platform_day } => {
            format!(
                "by platform day {} (each creator seen from their entry to that day)",
                grouped(u64::from(platform_day))
            )
        }
    })
}

/// A level for people: `macro (500,000 followers)`, `100k (100,000
/// followers)`; a reference model's level by its name and threshold.
pub(crate) fn level_words(c: &Chance, career: bool) -> String {
    if career {
        format!("{} ({} followers)", c.level, grouped(c.threshold as u64))
    } else {
        format!("the {} ({})", c.level, c.threshold)
    }
}

/// The opening lines: the question, the goal's chance as a percentage and
/// "about 1 in N" with its 95% interval, and one sentence of what it means.
/// `who` names the creators ("creators like these"), `when` the horizon.
pub(crate) fn answer(goal: &Chance, career: bool, who: &str, when: Option<&str>) -> String {
    let level = level_words(goal, career);
    let reach =
        if career { format!("{} followers", grouped(goal.threshold as u64)) } else { goal.level.clone() };
    phrased(goal, (&format!("reaching {level}"), &format!("reach {reach}")), who, when)
}

/// [`answer`] for an income level a run is aimed at: "The chance of earning
/// at least $50,000 a year (the last 365 days observed): ...".
pub(crate) fn income_goal_answer(goal: &Chance, window_days: u32, who: &str) -> String {
    let amount = format!("${} a year", grouped(goal.threshold as u64));
    let what =
        format!("earning at least {amount} (the last {} days observed)", grouped(u64::from(window_days)));
    phrased(goal, (&what, &format!("earn at least {amount}")), who, None)
}

/// [`answer`] for an engaged audience a run is aimed at (`--target '1k
/// engaged'`): "The chance of having an engaged audience of at least 1,000
/// at the horizon (engagements a post expects): ...".
pub(crate) fn engaged_goal_answer(goal: &Chance, who: &str) -> String {
    let count = grouped(goal.threshold as u64);
    let what =
        format!("having an engaged audience of at least {count} at the horizon (engagements a post expects)");
    phrased(goal, (&what, &format!("have an engaged audience of at least {count} at the horizon")), who, None)
}

/// The opening lines of [`answer`], the level in words twice: `(what,
/// verb)`, "reaching macro (500,000 followers)" and "reach 500,000 followers".
fn phrased(goal: &Chance, (what, verb): (&str, &str), who: &str, when: Option<&str>) -> String {
    let mut out = String::new();
    let when = when.map_or(String::new(), |w| format!(" {w}"));
    let _ = write!(out, "The chance of {what}{when}: ");
    if goal.reached_already() {
        let _ = writeln!(out, "certain: the starting followers are at or above it.");
        return out;
    }
    match (goal.one_in(), goal.upper) {
        (Some(_), _) if goal.estimate >= 0.5 => {
            let _ = writeln!(out, "{}", fmt_prob(goal.estimate));
        }
        (Some(_), _) => {
            let _ = writeln!(out, "{}, about 1 in {}", fmt_prob(goal.estimate), one_in(goal.estimate));
        }
        (None, Some(upper)) if upper > 0.0 => {
            let _ = writeln!(
                out,
                "below {} (none of {} reached it; 95% upper bound, 1 in {})",
                fmt_prob(upper),
                grouped(goal.trials),
                one_in(upper)
            );
        }
        (None, _) => {
            let _ = writeln!(
                out,
                "not measured (none of {} reached it, and the method bounds nothing above)",
                grouped(goal.trials)
            );
        }
    }
    if let (true, Some(upper)) = (goal.hits > 0, goal.upper) {
        let _ = writeln!(out, "  95% interval: {} to {}", fmt_prob(goal.lower), fmt_prob(upper));
    }
    if goal.hits > 0 {
        // The smallest power of ten (at least 100) among whom about 10 or more get there.
        let per = (1..=15)
            .map(|k| 10u64.pow(k))
            .find(|&m| m >= 100 && m as f64 * goal.estimate >= 9.5)
            .unwrap_or(1);
        let expected = per as f64 * goal.estimate;
        let _ = writeln!(
            out,
            "  In words: of {} {who}, about {} would {verb}{when}.",
            grouped(per),
            grouped(expected.round() as u64),
        );
    }
    if !goal.trusted {
        let _ = writeln!(out, "  NOT TRUSTED: {}.", goal.note);
    }
    out
}

/// The income levels' chances beside the goal's, one line: "The chance of
/// earning at least, a year (the last 365 days): $10k 0.34% [0.27%,
/// 0.43%]; ...".
pub(crate) fn income_answer(levels: &[Chance], window_days: u32) -> String {
    let parts: Vec<String> = levels
        .iter()
        .map(|c| match c.upper {
            Some(upper) => format!("{} {} {}", c.level, fmt_prob(c.estimate), fmt_interval(c.lower, upper)),
            None => format!("{} {}", c.level, fmt_prob(c.estimate)),
        })
        .collect();
    format!(
        "The chance of earning at least, a year (the last {} days observed; 95% intervals): {}\n",
        grouped(u64::from(window_days)),
        parts.join("; ")
    )
}

/// The chances of every level, lowest first, the goal starred: level,
/// threshold, chance, 95% interval, about 1 in N, and `extra` columns of
/// each method (`extra_header` names them). An untrusted interval is
/// marked `!`; a level reached before the start says so.
pub(crate) fn chances_table(
    chances: &[&Chance],
    extra_header: &str,
    extra: &dyn Fn(usize) -> String,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:<8}{:>14}  {:>10}  {:>24}  {:>12}{extra_header}",
        "level", "followers", "chance", "95% interval", "about 1 in"
    );
    for (k, c) in chances.iter().enumerate() {
        let mark = if c.goal { "*" } else { " " };
        let (interval, one) = if c.reached_already() {
            ("reached already".to_string(), "-".to_string())
        } else {
            let interval = match c.upper {
                Some(upper) if c.hits > 0 || upper > 0.0 => fmt_interval(c.lower, upper),
                _ => "(none reached it)".to_string(),
            };
            let one = if c.estimate > 0.0 { one_in(c.estimate) } else { "-".to_string() };
            (interval + if c.trusted { " " } else { "!" }, one)
        };
        let _ = writeln!(
            out,
            "{mark} {:<8}{:>14}  {:>10}  {:>25} {:>12}{}",
            c.level,
            grouped(c.threshold as u64),
            if c.reached_already() { "100%".to_string() } else { fmt_prob(c.estimate) },
            interval,
            one,
            extra(k)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Method;

    fn chance(hits: u64, trials: u64, estimate: f64, lower: f64, upper: Option<f64>) -> Chance {
        Chance {
            level: "100k".into(),
            threshold: 1e5,
            goal: true,
            method: Method::Brute,
            trials,
            hits,
            estimate,
            std_error: 0.0,
            lower,
            upper,
            trusted: true,
            note: String::new(),
        }
    }

    #[test]
    fn the_answer_says_the_chance_in_words() {
        let text = answer(
            &chance(123, 1_000_000, 1.23e-4, 1.0e-4, Some(1.5e-4)),
            true,
            "new creators",
            Some("within 5 years (1,825 days)"),
        );
        assert!(text.starts_with("The chance of reaching 100k (100,000 followers) within 5 years (1,825 days): 0.0123%, about 1 in 8,130\n"), "{text}");
        assert!(text.contains("95% interval: 0.0100% to 0.0150%"), "{text}");
        assert!(text.contains("of 100,000 new creators, about 12 would reach 100,000 followers"), "{text}");
    }

    #[test]
    fn no_hit_gives_a_bound_not_nonsense() {
        let text = answer(&chance(0, 20_000, 0.0, 0.0, Some(1.9e-4)), true, "new creators", None);
        assert!(
            text.contains("below 0.0190% (none of 20,000 reached it; 95% upper bound, 1 in 5,260)"),
            "{text}"
        );
        assert!(!text.contains("In words"), "{text}");
        let text = answer(&chance(0, 20_000, 0.0, 0.0, None), true, "new creators", None);
        assert!(text.contains("not measured"), "{text}");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(
            (grouped(0), grouped(999), grouped(1_825), grouped(1_000_000)),
            ("0".into(), "999".into(), "1,825".into(), "1,000,000".into())
        );
    }
}
