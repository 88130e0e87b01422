//! Records in files: reading them back, checked, and telling their kinds
//! apart. Every record clout reads goes through here (the command line,
//! and research code passing records between machines), so each read is
//! bounded, parsed strictly, and its statistics checked by a merge before
//! any report is made from them. Writing is [`crate::error::write_atomic`].

use crate::error::ScenarioError;
use crate::study::calibrate::{Calibrated, CalibrationPiece, CalibrationRecord};
use crate::study::executor::{self, MergeError, RecordOf, Study};
use std::path::{Path, PathBuf};

/// The largest record file read: 256 MiB.
pub const MAX_RECORD_BYTES: u64 = 1 << 28;

/// Why a record file could not be used. Each message is one line naming
/// the file.
#[derive(Debug, thiserror::Error)]
pub enum RecordFileError {
    /// The file could not be opened or read.
    #[error("{name}: cannot read: {source}")]
    Io {
        /// The file.
        name: String,
        /// The reason.
        source: std::io::Error,
    },
    /// The file is larger than any record.
    #[error("{name}: is larger than 256 MiB, more than any clout record")]
    TooLarge {
        /// The file.
        name: String,
    },
    /// The file is not UTF-8 text.
    #[error("{name}: is not UTF-8 text, so not a JSON record")]
    NotUtf8 {
        /// The file.
        name: String,
    },
    /// The text is not a record of the kind expected.
    #[error("{name}: not a {expected} record: {reason}")]
    NotARecord {
        /// The file.
        name: String,
        /// The schema expected (`clout.run/5`, or "JSON").
        expected: String,
        /// What the parser said.
        reason: String,
    },
    /// The records are not pieces of one run, or their statistics fail
    /// their checks.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// A calibration record that fails its checks (its field named).
    #[error(transparent)]
    Calibration(#[from] ScenarioError),
}

/// The text of a record file, at most [`MAX_RECORD_BYTES`].
pub fn read_record_text(path: &Path) -> Result<String, RecordFileError> {
    use crate::error::{ReadTextError, read_text_capped};
    let name = path.display().to_string();
    read_text_capped(path, MAX_RECORD_BYTES).map_err(|e| match e {
        ReadTextError::Io(source) => RecordFileError::Io { name, source },
        ReadTextError::TooLarge => RecordFileError::TooLarge { name },
        ReadTextError::NotUtf8 { .. } => RecordFileError::NotUtf8 { name },
    })
}

/// The `schema` field of a record file (`None` when it has none or it is
/// not a string).
pub fn schema_of(path: &Path) -> Result<Option<String>, RecordFileError> {
    // The schema alone; the record is then read from the text itself (not
    // through serde_json::Value, which would turn 128-bit sums into floats).
    #[derive(serde::Deserialize)]
    struct Schema {
        schema: Option<serde_json::Value>,
    }
    let text = read_record_text(path)?;
    let schema: Schema = serde_json::from_str(&text).map_err(|e| RecordFileError::NotARecord {
        name: path.display().to_string(),
        expected: "JSON".into(),
        reason: e.to_string(),
    })?;
    Ok(schema.schema.and_then(|s| s.as_str().map(str::to_string)))
}

/// Records of study `S` read from files, parsed strictly (unchecked: a
/// [`read_merged`] checks them), with the files' names.
pub fn read_records<S: Study>(paths: &[PathBuf]) -> Result<(Vec<RecordOf<S>>, Vec<String>), RecordFileError> {
    let names: Vec<String> = paths.iter().map(|f| f.display().to_string()).collect();
    let mut records = Vec::with_capacity(paths.len());
    for (path, name) in paths.iter().zip(&names) {
        let text = read_record_text(path)?;
        let record = serde_json::from_str(&text).map_err(|e| RecordFileError::NotARecord {
            name: name.clone(),
            expected: S::SCHEMA.into(),
            reason: e.to_string(),
        })?;
        records.push(record);
    }
    Ok((records, names))
}

/// Record files of study `S`, read and merged ([`executor::merge`]: pieces
/// of one run checked, their summaries checked, the report recomputed);
/// `allow_partial` allows trials to be missing. One file is read back as a
/// merge of one piece: its stored report is never trusted.
pub fn read_merged<S: Study>(paths: &[PathBuf], allow_partial: bool) -> Result<RecordOf<S>, RecordFileError> {
    let (records, names) = read_records::<S>(paths)?;
    Ok(executor::merge::<S>(&records, &names, allow_partial)?)
}

/// A calibration record file ([`CalibrationRecord::SCHEMA`]), parsed
/// strictly: the piece of a calibration stopped part way when it says
/// `"interrupted": true`, else the record of a finished one. Unchecked:
/// [`read_calibration`] checks it.
pub fn read_calibration_unchecked(path: &Path) -> Result<Calibrated, RecordFileError> {
    #[derive(serde::Deserialize)]
    struct Interrupted {
        #[serde(default)]
        interrupted: serde_json::Value,
    }
    let name = path.display().to_string();
    let text = read_record_text(path)?;
    let not_a_record = |e: serde_json::Error| RecordFileError::NotARecord {
        name: name.clone(),
        expected: CalibrationRecord::SCHEMA.into(),
        reason: e.to_string(),
    };
    let probe: Interrupted = serde_json::from_str(&text).map_err(not_a_record)?;
    if probe.interrupted == serde_json::Value::Bool(true) {
        Ok(Calibrated::Interrupted(Box::new(
            serde_json::from_str::<CalibrationPiece>(&text).map_err(not_a_record)?,
        )))
    } else {
        Ok(Calibrated::Finished(Box::new(serde_json::from_str(&text).map_err(not_a_record)?)))
    }
}

/// A calibration record file, read ([`read_calibration_unchecked`]) and
/// checked against the calibration its own targets make
/// ([`Calibrated::check`]): what `clout merge` shows again.
pub fn read_calibration(path: &Path) -> Result<Calibrated, RecordFileError> {
    let record = read_calibration_unchecked(path)?;
    record.check(&path.display().to_string())?;
    Ok(record)
}
