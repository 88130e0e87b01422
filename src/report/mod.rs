//! Rendering: what a run found, as a readable table or CSV (JSON is the
//! serde form of [`crate::study::run::RunRecord`]). This module reads reports; it
//! never runs or imports a model's internals.

pub mod attribute;
pub mod calibrate;
pub mod career;
pub mod conditional;
pub mod delusion;
#[cfg(feature = "plot")]
pub mod plot;
pub mod rare;
pub mod sweep;

use crate::study::attribute::AttributionRecord;
use crate::study::calibrate::{CalibrationPiece, CalibrationRecord};
use crate::study::delusion::DelusionRecord;
use crate::study::run::{Report, RunRecord};
use crate::study::sweep::SweepRecord;

/// A record as people read it: a table, or CSV (JSON is its serde form).
/// Every record type clout writes renders through this one interface, so a
/// tool can show any record without knowing its kind.
pub trait Render {
    /// The readable table: what ran, then what it found.
    fn to_table(&self) -> String;
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
render_by_inherent!(
    RunRecord,
    SweepRecord,
    AttributionRecord,
    DelusionRecord,
    CalibrationRecord,
    CalibrationPiece
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
    /// The readable table: a header naming the scenario, seed and version, then the report.
    pub fn to_table(&self) -> String {
        let header = format!(
            "clout {} | {} | model {:?} | seed {} | trials {}\n\n",
            self.clout_version,
            titled("scenario", &self.scenario),
            self.scenario.model,
            self.seed,
            self.scenario.run.trials
        );
        header
            + &coverage_heading(self.coverage_in_words(), self.interrupted, "clout run")
            + &self.report.as_ref().map_or_else(|| NO_REPORT.to_string(), Report::to_table)
    }

    /// CSV, one row per tier (or per statistic for the reference models).
    pub fn to_csv(&self) -> String {
        self.report.as_ref().map_or_else(|| NO_REPORT.to_string(), Report::to_csv)
    }
}
