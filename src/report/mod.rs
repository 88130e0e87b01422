//! Rendering: what a run found, as a readable table or CSV (JSON is the
//! serde form of [`crate::study::run::RunRecord`]). This module reads reports; it
//! never runs or imports a model's internals.

pub(crate) mod answer;
pub mod attribute;
pub mod calibrate;
pub mod career;
pub mod compare;
pub mod conditional;
pub mod delusion;
pub mod forecast;
#[cfg(feature = "plot")]
pub mod plot;
pub mod rare;
pub mod sweep;

use crate::stats::{Chance, Chances as _};
use crate::study::attribute::AttributionRecord;
use crate::study::calibrate::{CalibrationPiece, CalibrationRecord};
use crate::study::delusion::DelusionRecord;
use crate::study::run::{Report, RunRecord};
use crate::study::sweep::SweepRecord;

/// A record as people read it: a table, or CSV (JSON is its serde form).
/// Every record type clout writes renders through this one interface, so a
/// tool can show any record without knowing its kind.
pub trait Render {
    /// The readable table: the answer first, then what else was found,
    /// then what ran.
    fn to_table(&self) -> String;
    /// The table with every diagnostic (`--verbose`); the plain table for
    /// records that have nothing more to show.
    fn to_table_verbose(&self) -> String {
        self.to_table()
    }
    /// CSV: one row per estimate.
    fn to_csv(&self) -> String;
}

/// [`Render`] by the record type's own `to_table` and `to_csv`.
macro_rules! render_by_inherent {
    ($($record:ty),*) => {$(
        impl Render for $record {
            fn to_table(&self) -> String {
                <$record>::to_table(self)
            }
            fn to_csv(&self) -> String {
                <$record>::to_csv(self)
            }
        }
    )*};
}
impl Render for RunRecord {
    fn to_table(&self) -> String {
        RunRecord::to_table(self)
    }
    fn to_table_verbose(&self) -> String {
        RunRecord::to_table_verbose(self)
    }
    fn to_csv(&self) -> String {
        RunRecord::to_csv(self)
    }
}

render_by_inherent!(
    SweepRecord,
    AttributionRecord,
    DelusionRecord,
    CalibrationRecord,
    CalibrationPiece,
    crate::study::compare::CompareRecord
);

/// What a table says of a study's record read back from a file, whose
/// report has not been recomputed from its summary yet
/// ([`crate::study::executor::merge`] does it; `clout merge FILE` on the command line).
pub const NO_REPORT: &str = "(no report: a record read back has none until it is merged, alone or with its other pieces, which recomputes it from its summary)\n";

/// Writes [`Report`]'s table and CSV over the plain models of
/// [`crate::scenario::plain_models!`] and the two runs written by hand.
macro_rules! report_render {
    ($($variant:ident($doc:literal, $held:ty, $model:ty, $summary:ty, $report:ty)),* $(,)?) => {
        impl Report {
            /// The readable table.
            pub fn to_table(&self) -> String {
                match self {
                    $(Report::$variant(r) => r.to_table(),)*
                    Report::Conditional(r) => r.to_table(),
                    Report::Rare(r) => r.to_table(),
                }
            }

            /// The table with every diagnostic (`--verbose`).
            pub fn to_table_verbose(&self) -> String {
                match self {
                    Report::Career(r) => r.to_table_verbose(),
                    Report::Rare(r) => r.to_table_verbose(),
                    other => other.to_table(),
                }
            }

            /// CSV.
            pub fn to_csv(&self) -> String {
                match self {
                    $(Report::$variant(r) => r.to_csv(),)*
                    Report::Conditional(r) => r.to_csv(),
                    Report::Rare(r) => r.to_csv(),
                }
            }
        }
    };
}
crate::scenario::plain_models!(report_render);

/// The lines that head the table of a piece of a run (`held`: the trials
/// it holds, in words; `None` for a whole run, which has none): what it
/// holds, and how `command --resume` and `clout merge` make the whole.
pub(crate) fn coverage_heading(held: Option<String>, interrupted: bool, command: &str) -> String {
    match (held, interrupted) {
        (Some(held), true) => format!(
            "INTERRUPTED: holds {held}; `{command}` with `--resume` and this record runs the rest, \
             `clout merge` joins them\n\n"
        ),
        (Some(held), false) => format!(
            "PARTIAL: holds {held}; the estimates below are of these trials only; `clout merge` joins the \
             pieces of a run\n\n"
        ),
        (None, _) => String::new(),
    }
}

/// `KIND "name": description` for a table's first line, without an empty
/// name's `""` or an empty description's dangling colon.
pub(crate) fn titled(kind: &str, scenario: &crate::scenario::Scenario) -> String {
    let name =
        if scenario.name.is_empty() { "(unnamed)".to_string() } else { format!("{:?}", scenario.name) };
    if scenario.description.is_empty() {
        format!("{kind} {name}")
    } else {
        format!("{kind} {name}: {}", scenario.description)
    }
}

impl RunRecord {
    /// The readable table: what the piece holds (when it is one), the
    /// answer (the goal's chance in words), the report, and a last line
    /// naming the version, scenario, model, seed and trials.
    pub fn to_table(&self) -> String {
        self.table(Report::to_table)
    }

    /// [`RunRecord::to_table`] with every diagnostic of the method.
    pub fn to_table_verbose(&self) -> String {
        self.table(Report::to_table_verbose)
    }

    fn table(&self, body: fn(&Report) -> String) -> String {
        let footer = format!(
            "clout {} | {} | model {:?} | seed {} | trials {}\n",
            self.clout_version,
            titled("scenario", &self.scenario),
            self.scenario.model,
            self.seed,
            self.scenario.run.trials
        );
        let mut out = coverage_heading(self.coverage_in_words(), self.interrupted, "clout run");
        match &self.report {
            None => out += NO_REPORT,
            Some(report) => {
                if let Some(text) = self.answer() {
                    out += &text;
                    out += "\n";
                }
                out += &body(report);
            }
        }
        out + "\n" + &footer
    }

    /// The opening lines of the table: the scenario's question and the
    /// goal's chance in words, for reports that give chances.
    fn answer(&self) -> Option<String> {
        let report = self.report.as_ref()?;
        let (goal, who, career) = match report {
            Report::Conditional(c) => match (&c.creators_like_you, &c.given_state) {
                (Some(l), _) if l.odds.is_some() => {
                    let odds = l.odds.as_ref()?;
                    (odds.goal_chance()?, "creators like you", Some(odds))
                }
                (_, Some(g)) => (g.odds.goal_chance()?, "creators in your state", Some(&g.odds)),
                _ => return None,
            },
            Report::Career(r) => (self.goal_chance()?, "creators like these", Some(r)),
            _ => (self.goal_chance()?, "creators like these", None),
        };
        let is_career = self.scenario.model == crate::scenario::ModelKind::Career;
        let when = answer::horizon_words(&self.scenario);
        let mut out = String::new();
        if !self.scenario.description.is_empty() {
            out += &format!("{}\n", self.scenario.description.trim_end_matches('.').to_string() + ".");
        }
        let income = match report {
            Report::Rare(r) => r
                .income_window_days
                .map(|w| (r.income.iter().map(|l| l.chance.clone()).collect::<Vec<_>>(), w)),
            _ => career
                .and_then(|r| r.engagement.as_ref())
                .and_then(|m| m.income.as_ref())
                .map(|i| (i.levels.clone(), i.window_days)),
        };
        // A run aimed at an income (`money.goal`, `--target '$50k'`) answers it first.
        let aim = self.scenario.money.and_then(|m| m.goal_name());
        let income_goal = income
            .as_ref()
            .and_then(|(levels, w)| levels.iter().find(|c| Some(&c.level) == aim.as_ref()).map(|c| (c, *w)));
        // A run aimed at an engaged audience (`--target '1k engaged'`) answers it first.
        let engaged: Vec<&Chance> = match report {
            Report::Rare(r) => r.audience_levels.iter().map(|l| &l.chance).collect(),
            _ => career
                .and_then(|r| r.engagement.as_ref())
                .map_or(Vec::new(), |m| m.audience_levels.iter().collect()),
        };
        let aim = self.scenario.engaged_goal_name();
        let engaged_goal = engaged.into_iter().find(|c| Some(&c.level) == aim.as_ref());
        match (income_goal, engaged_goal) {
            (Some((chance, window)), _) => out += &answer::income_goal_answer(chance, window, who),
            (None, Some(chance)) => out += &answer::engaged_goal_answer(chance, who),
            (None, None) => out += &answer::answer(goal, is_career, who, when.as_deref()),
        }
        if let Some((levels, window)) = &income {
            out += &answer::income_answer(levels, *window);
        }
        Some(out)
    }

    /// CSV, one row per tier (or per statistic for the reference models).
    pub fn to_csv(&self) -> String {
        self.report.as_ref().map_or_else(|| NO_REPORT.to_string(), Report::to_csv)
    }
}
