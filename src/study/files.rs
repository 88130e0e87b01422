//! Records in files: reading them back, checked, and telling their kinds
//! apart. Every record clout reads goes through here (the command line,
//! and research code passing records between machines), so each read is
//! bounded, parsed strictly, and its statistics checked by a merge before
//! any report is made from them. Writing is [`crate::error::write_atomic`].

use crate::error::{ScenarioError, one_line};
use crate::study::calibrate::{Calibrated, CalibrationPiece, CalibrationRecord};
use crate::study::executor::{self, MergeError, RecordOf, Study};
use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use crate::error::MAX_RECORD_BYTES;

/// Why a record file could not be used. Each message is one line naming
/// the file.
#[derive(Debug, thiserror::Error)]
pub enum RecordFileError {
    /// The file could not be opened or read.
    #[error("{}: cannot read: {source}", one_line(.name))]
    Io {
        /// The file.
        name: String,
        /// The reason.
        source: std::io::Error,
    },
    /// The file is larger than any record.
    #[error("{}: is larger than 256 MiB, more than any clout record", one_line(.name))]
    TooLarge {
        /// The file.
        name: String,
    },
    /// The file is not UTF-8 text.
    #[error("{}: is not UTF-8 text, so not a JSON record", one_line(.name))]
    NotUtf8 {
        /// The file.
        name: String,
    },
    /// The text is not a record of the kind expected.
    #[error("{}: not a {expected} record: {}", one_line(.name), one_line(.reason))]
    NotARecord {
        /// The file.
        name: String,
        /// The schema expected (`clout.run/7`, or "JSON").
        expected: String,
        /// What the parser said.
        reason: String,
    },
    /// The records are not pieces of one run, or their statistics fail
    /// their checks.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// A calibration record that fails its checks (its field named; what
    /// it quotes from the file kept on one line).
    #[error("{}", one_line(&.0.to_string()))]
    Calibration(#[from] ScenarioError),
}

/// The text of a record file, at most [`MAX_RECORD_BYTES`] (for the
/// calibration records, which are short; study records are parsed as they
/// are read, [`record_from_reader`]).
pub fn read_record_text(path: &Path) -> Result<String, RecordFileError> {
    use crate::error::{ReadTextError, read_text_capped};
    let name = path.display().to_string();
    read_text_capped(path, MAX_RECORD_BYTES).map_err(|e| match e {
        ReadTextError::Io(source) => RecordFileError::Io { name, source },
        ReadTextError::TooLarge => RecordFileError::TooLarge { name },
        ReadTextError::NotUtf8 { .. } => RecordFileError::NotUtf8 { name },
    })
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A record file opened for a parse as it is read: a regular file longer
/// than [`MAX_RECORD_BYTES`] is refused before any byte is read.
fn open_record(path: &Path) -> Result<std::io::BufReader<std::fs::File>, RecordFileError> {
    let name = || path.display().to_string();
    let file = std::fs::File::open(path).map_err(|source| RecordFileError::Io { name: name(), source })?;
    let length = file.metadata().map_err(|source| RecordFileError::Io { name: name(), source })?.len();
    if length > MAX_RECORD_BYTES {
        return Err(RecordFileError::TooLarge { name: name() });
    }
    Ok(std::io::BufReader::with_capacity(1 << 16, file))
}

/// A `T` parsed strictly from `reader` as it is read, never held whole as
/// text: at most [`MAX_RECORD_BYTES`] are read (an endless stream, a pipe
/// or `/dev/zero`, is refused there). `name` labels errors, `expected`
/// says what the text should have been.
fn parse_capped<T: DeserializeOwned>(
    reader: impl Read,
    name: &str,
    expected: &str,
) -> Result<T, RecordFileError> {
    let mut counted = Counted { inner: reader.take(MAX_RECORD_BYTES + 1), read: 0 };
    let parsed = serde_json::from_reader(&mut counted);
    if counted.read > MAX_RECORD_BYTES {
        return Err(RecordFileError::TooLarge { name: name.to_string() });
    }
    parsed.map_err(|e| {
        if e.is_io() {
            RecordFileError::Io { name: name.to_string(), source: e.into() }
        } else {
            RecordFileError::NotARecord {
                name: name.to_string(),
                expected: expected.into(),
                reason: e.to_string(),
            }
        }
    })
}

/// A field read only to learn whether it holds a string (and which) or the
/// boolean `true`: anything else, however large, is skipped as it is read,
/// never built (as a `serde_json::Value` would be).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Probe {
    /// A string.
    Text(String),
    /// `true`.
    True,
    /// Anything else, or the field is missing.
    #[default]
    Other,
}

impl<'de> serde::Deserialize<'de> for Probe {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Probe, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct Of;
        impl<'de> Visitor<'de> for Of {
            type Value = Probe;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Probe, E> {
                Ok(Probe::Text(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Probe, E> {
                Ok(if v { Probe::True } else { Probe::Other })
            }
            fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
            fn visit_unit<E>(self) -> Result<Probe, E> {
                Ok(Probe::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Probe, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Probe::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Probe::Other)
            }
        }
        deserializer.deserialize_any(Of)
    }
}

/// The `schema` field of a record file (`None` when it has none or it is
/// not a string), read as the file is, every other field skipped unbuilt.
pub fn schema_of(path: &Path) -> Result<Option<String>, RecordFileError> {
    #[derive(serde::Deserialize)]
    struct Schema {
        #[serde(default)]
        schema: Probe,
    }
    let name = path.display().to_string();
    let probe: Schema = parse_capped(open_record(path)?, &name, "JSON")?;
    Ok(match probe.schema {
        Probe::Text(schema) => Some(schema),
        _ => None,
    })
}

/// A record of study `S` parsed strictly from `reader` as it is read (at
/// most [`MAX_RECORD_BYTES`]), unchecked: [`read_merged`] and
/// [`executor::merge`] check it. `name` labels errors. What `clout merge`,
/// `show`, `plot` and `--resume` read, and what the record fuzz target
/// feeds any bytes to.
pub fn record_from_reader<S: Study>(reader: impl Read, name: &str) -> Result<RecordOf<S>, RecordFileError> {
    parse_capped(reader, name, S::SCHEMA)
}

/// Records of study `S` read from files ([`record_from_reader`]), with the
/// files' names.
pub fn read_records<S: Study>(paths: &[PathBuf]) -> Result<(Vec<RecordOf<S>>, Vec<String>), RecordFileError> {
    let names: Vec<String> = paths.iter().map(|f| f.display().to_string()).collect();
    let mut records = Vec::with_capacity(paths.len());
    for (path, name) in paths.iter().zip(&names) {
        records.push(record_from_reader::<S>(open_record(path)?, name)?);
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

/// A calibration record ([`CalibrationRecord::SCHEMA`]) parsed strictly
/// from its text: the piece of a calibration stopped part way when it says
/// `"interrupted": true`, else the record of a finished one. `name` labels
/// errors. Unchecked: [`Calibrated::check`] checks it ([`read_calibration`]).
/// What `clout merge`, `show`, `plot` and `calibrate --resume` read, and
/// what the record fuzz target feeds any text to.
pub fn calibration_from_text(text: &str, name: &str) -> Result<Calibrated, RecordFileError> {
    #[derive(serde::Deserialize)]
    struct Interrupted {
        #[serde(default)]
        interrupted: Probe,
    }
    let not_a_record = |e: serde_json::Error| RecordFileError::NotARecord {
        name: name.to_string(),
        expected: CalibrationRecord::SCHEMA.into(),
        reason: e.to_string(),
    };
    let probe: Interrupted = serde_json::from_str(text).map_err(not_a_record)?;
    if probe.interrupted == Probe::True {
        Ok(Calibrated::Interrupted(Box::new(
            serde_json::from_str::<CalibrationPiece>(text).map_err(not_a_record)?,
        )))
    } else {
        Ok(Calibrated::Finished(Box::new(serde_json::from_str(text).map_err(not_a_record)?)))
    }
}

/// A calibration record file ([`calibration_from_text`] of its text, at
/// most [`MAX_RECORD_BYTES`]), unchecked: [`read_calibration`] checks it.
pub fn read_calibration_unchecked(path: &Path) -> Result<Calibrated, RecordFileError> {
    calibration_from_text(&read_record_text(path)?, &path.display().to_string())
}

/// A calibration record file, read ([`read_calibration_unchecked`]) and
/// checked against the calibration its own targets make
/// ([`Calibrated::check`]): what `clout merge` shows again.
pub fn read_calibration(path: &Path) -> Result<Calibrated, RecordFileError> {
    let record = read_calibration_unchecked(path)?;
    record.check(&path.display().to_string())?;
    Ok(record)
}
