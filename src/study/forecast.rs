//! Forecasts from a creator's own history as records: the history read
//! from its file (bounded), the forecast run
//! ([`crate::experiment::forecast`]), and the record written as JSON and
//! read back checked.

use crate::error::{FieldError, ReadTextError, read_text_capped};
use crate::experiment::forecast::history::{
    History, HistoryError, HistoryOptions, MAX_HISTORY_BYTES, parse_history,
};
use crate::experiment::forecast::{ForecastReport, ForecastSpec, Forecaster, Known, Verdict};
use crate::scenario::Scenario;
use crate::study::files::{RecordFileError, read_record_text};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A forecast's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastRecord {
    /// [`ForecastRecord::SCHEMA`].
    pub schema: String,
    /// Version of clout that produced it.
    pub clout_version: String,
    /// The scenario whose model read the history, every default filled in.
    pub scenario: Scenario,
    /// The history file's name, as given.
    pub history_file: String,
    /// What the forecast found (with its settings, seed included).
    pub report: ForecastReport,
}

impl ForecastRecord {
    /// The schema of forecast records.
    pub const SCHEMA: &'static str = "clout.forecast/2";

    /// Runs the forecast of `history` (read from `history_file`) under
    /// `scenario`'s Career model: with `[competition]`, in the field the
    /// scenario's platform solves from its seed
    /// ([`Scenario::career_model`]), whose checksum the record's scenario
    /// keeps. Errors name the setting.
    pub fn run(
        scenario: &Scenario,
        history_file: &str,
        history: History,
        known: Known,
        spec: ForecastSpec,
    ) -> Result<ForecastRecord, FieldError> {
        if scenario.world.is_some() {
            return Err(FieldError::new(
                "world",
                "(a section)",
                "is not read by a forecast: it follows one creator, not a world of them; \
                 remove [world] to forecast in the platform's field ([competition])",
            ));
        }
        let mut scenario = scenario.clone();
        let forecaster = if scenario.competition.is_some() {
            let model = scenario.career_model()?;
            if let (Some(c), Some(field)) = (scenario.competition.as_mut(), model.field()) {
                c.checksum = Some(field.checksum());
            }
            Forecaster::in_field_of(&model, history, known, spec)?
        } else {
            Forecaster::new(scenario.career_spec(), history, known, spec)?
        };
        Ok(ForecastRecord {
            schema: Self::SCHEMA.to_string(),
            clout_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario,
            history_file: history_file.to_string(),
            report: forecaster.run(),
        })
    }

    /// The record's invariants: its schema; chances in `[0, 1]` inside
    /// their intervals; bands ordered; history days increasing; a verdict
    /// that the model cannot produce the history carries no posterior.
    pub fn check(&self) -> Result<(), String> {
        if self.schema != Self::SCHEMA {
            return Err(format!("schema {:?}, expected {:?}", self.schema, Self::SCHEMA));
        }
        let r = &self.report;
        if r.history.is_empty() || r.history.windows(2).any(|w| w[0].day >= w[1].day) {
            return Err("its history is empty or its days do not increase".into());
        }
        if r.history.iter().any(|row| !(row.low <= row.shown && row.shown <= row.high && row.low >= 0.0)) {
            return Err("a history row's interval does not hold its shown count".into());
        }
        for l in &r.levels {
            let ok = (0.0..=1.0).contains(&l.chance)
                && l.lower <= l.chance
                && l.chance <= l.upper
                && l.upper <= 1.0
                && l.std_error >= 0.0
                && l.posterior_sd >= 0.0;
            if !ok {
                return Err(format!(
                    "level {}: chance {} outside [lower, upper] or [0, 1]",
                    l.name, l.chance
                ));
            }
        }
        let ordered = |b: &crate::experiment::forecast::Band| {
            b.p05 <= b.p25 && b.p25 <= b.p50 && b.p50 <= b.p75 && b.p75 <= b.p95
        };
        if r.bands.iter().any(|b| !ordered(b)) || r.bands.windows(2).any(|w| w[0].day >= w[1].day) {
            return Err("its bands are not ordered".into());
        }
        if matches!(r.verdict, Verdict::CannotProduce { .. }) && !(r.levels.is_empty() && r.traits.is_empty())
        {
            return Err("it says the model cannot produce the history, yet gives a posterior".into());
        }
        if let Some(b) = r.bands.last()
            && b.day != r.horizon_day
        {
            return Err(format!("its last band is on day {}, not the horizon {}", b.day, r.horizon_day));
        }
        Ok(())
    }

    /// A record parsed strictly from its text and checked; `name` labels errors.
    pub fn from_text(text: &str, name: &str) -> Result<ForecastRecord, RecordFileError> {
        let not_a_record = |reason: String| RecordFileError::NotARecord {
            name: name.to_string(),
            expected: Self::SCHEMA.into(),
            reason,
        };
        let record: ForecastRecord = serde_json::from_str(text).map_err(|e| not_a_record(e.to_string()))?;
        record.check().map_err(not_a_record)?;
        Ok(record)
    }

    /// A record file, read (bounded) and checked.
    pub fn read(path: &Path) -> Result<ForecastRecord, RecordFileError> {
        Self::from_text(&read_record_text(path)?, &path.display().to_string())
    }
}

/// A history file, read in at most [`MAX_HISTORY_BYTES`] and parsed
/// ([`parse_history`]); errors are one line naming the file (and row).
pub fn read_history(path: &Path, options: HistoryOptions) -> Result<History, HistoryError> {
    let file = path.display().to_string();
    let whole = |allowed: String| HistoryError {
        file: file.clone(),
        row: 0,
        field: "file".into(),
        value: String::new(),
        allowed,
    };
    let text = read_text_capped(path, MAX_HISTORY_BYTES).map_err(|e| match e {
        ReadTextError::Io(e) => whole(format!("cannot read: {e}")),
        ReadTextError::TooLarge => {
            whole("is larger than 1 MiB, more than any history (one row a day for 100 years)".into())
        }
        ReadTextError::NotUtf8 { valid_up_to } => {
            whole(format!("is not UTF-8 text (the first bad byte is at offset {valid_up_to})"))
        }
    })?;
    parse_history(&text, &file, options)
}
