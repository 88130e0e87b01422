//! `clout.Record`: any record a study writes, with the command line's JSON,
//! table and CSV, read back and merged as `clout merge` and `clout show` do.

use crate::{bad, io_error};
use clout::report::Render;
use clout::report::plot::Plot;
use clout::scenario::sweep::Sweep;
use clout::study::attribute::Attribution;
use clout::study::calibrate::{Calibrated, CalibrationPiece, CalibrationRecord};
use clout::study::compare::CompareRecord;
use clout::study::delusion::Delusion;
use clout::study::executor::{self, RecordOf, Study};
use clout::study::files::{read_calibration, read_merged, schema_of};
use clout::study::forecast::ForecastRecord;
use clout::study::run::PlainRun;
use pyo3::prelude::*;
use std::path::PathBuf;

/// A record of any kind clout writes (one per Python object, seldom moved:
/// the variants stay unboxed).
#[derive(Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Kind {
    /// `clout run` (plain and conditional runs).
    Run(RecordOf<PlainRun>),
    /// `clout sweep`.
    Sweep(RecordOf<Sweep>),
    /// `clout attribute`.
    Attribution(RecordOf<Attribution>),
    /// `clout delusion`.
    Delusion(RecordOf<Delusion>),
    /// `clout compare`.
    Compare(CompareRecord),
    /// `clout forecast`.
    Forecast(ForecastRecord),
    /// `clout calibrate`, finished.
    Calibration(CalibrationRecord),
    /// `clout calibrate`, stopped part way (what `--resume` finishes).
    CalibrationPiece(CalibrationPiece),
}

/// Evaluates `$body` with `$r` bound to the record inside `$kind`, whatever its type.
macro_rules! each {
    ($kind:expr, $r:ident => $body:expr) => {
        match $kind {
            Kind::Run($r) => $body,
            Kind::Sweep($r) => $body,
            Kind::Attribution($r) => $body,
            Kind::Delusion($r) => $body,
            Kind::Compare($r) => $body,
            Kind::Forecast($r) => $body,
            Kind::Calibration($r) => $body,
            Kind::CalibrationPiece($r) => $body,
        }
    };
}

/// Evaluates `$body` with `$r` bound to the executor's record inside
/// `$kind` (a study's: run, sweep, attribution, delusion), else `$other`.
macro_rules! each_study {
    ($kind:expr, $r:ident => $body:expr, _ => $other:expr) => {
        match $kind {
            Kind::Run($r) => $body,
            Kind::Sweep($r) => $body,
            Kind::Attribution($r) => $body,
            Kind::Delusion($r) => $body,
            _ => $other,
        }
    };
}

/// A record: what ran (schema, version, seed, scenario), what it found, and
/// the statistics it was found from, exactly as the command line writes it.
///
/// ``to_json()`` is byte for byte ``clout ... --format json``; ``to_dict()``
/// its parsed form; ``levels()`` the per-level results as a table;
/// ``write(path)`` writes it atomically; ``plot(dir)`` and ``svgs()`` draw it.
#[pyclass(module = "clout._clout", name = "Record", frozen)]
#[derive(Clone)]
pub struct PyRecord {
    /// The record.
    pub kind: Kind,
}

impl PyRecord {
    /// The trials held in words, or `None` for a whole run.
    pub fn coverage_text(&self) -> Option<String> {
        each_study!(&self.kind, r => r.coverage_in_words(), _ => None)
    }

    /// The record as the command line's `--format json`: pretty JSON and a newline.
    fn json_bytes(&self) -> PyResult<Vec<u8>> {
        let mut bytes = each!(&self.kind, r => serde_json::to_vec_pretty(r)).map_err(bad)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

#[pymethods]
impl PyRecord {
    /// The schema of the record, e.g. ``clout.run/7``.
    #[getter]
    fn schema(&self) -> String {
        each!(&self.kind, r => r.schema.clone())
    }

    /// Whether the run was stopped (Ctrl-C) before holding every trial asked for.
    #[getter]
    fn interrupted(&self) -> bool {
        match &self.kind {
            Kind::Compare(r) => r.interrupted,
            Kind::CalibrationPiece(_) => true,
            Kind::Forecast(_) | Kind::Calibration(_) => false,
            other => each_study!(other, r => r.interrupted, _ => false),
        }
    }

    /// The trials held in words (``trials [0, 5120) of 100000``), or None
    /// for a whole run (and for comparisons and forecasts).
    #[getter]
    fn coverage(&self) -> Option<String> {
        self.coverage_text()
    }

    /// The seed of the run's random streams (a study's), or None.
    #[getter]
    fn seed(&self) -> Option<u64> {
        each_study!(&self.kind, r => Some(r.seed), _ => None)
    }

    /// The record as JSON text, byte for byte the command line's ``--format json``.
    fn to_json(&self) -> PyResult<String> {
        String::from_utf8(self.json_bytes()?).map_err(bad)
    }

    /// The readable table the command prints (``verbose``: every diagnostic).
    #[pyo3(signature = (verbose = false))]
    fn to_table(&self, verbose: bool) -> String {
        if verbose {
            each!(&self.kind, r => Render::to_table_verbose(r))
        } else {
            each!(&self.kind, r => Render::to_table(r))
        }
    }

    /// The record as CSV, one row per estimate (``--format csv``).
    fn to_csv(&self) -> String {
        each!(&self.kind, r => Render::to_csv(r))
    }

    /// The record as Python objects (``json.loads(record.to_json())``).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?.call_method1("loads", (self.to_json()?,))
    }

    /// The per-level results as a pandas DataFrame, or a dict of NumPy
    /// arrays without pandas (``clout.frames.levels``).
    fn levels<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("clout.frames")?.call_method1("levels", (slf,))
    }

    /// Writes the record atomically to `path`: ``json`` (the default,
    /// what ``clout.read`` and ``clout.merge`` read), ``table`` or ``csv``.
    #[pyo3(signature = (path, format = "json"))]
    fn write(&self, py: Python<'_>, path: PathBuf, format: &str) -> PyResult<()> {
        let bytes = match format {
            "json" => self.json_bytes()?,
            "table" => self.to_table(false).into_bytes(),
            "csv" => self.to_csv().into_bytes(),
            other => return Err(bad(format!("format = {other:?}: must be \"json\", \"table\" or \"csv\""))),
        };
        py.detach(|| clout::error::write_atomic(&path, &bytes))
            .map_err(|e| io_error(format!("{}: cannot write: {e}", path.display())))
    }

    /// Draws the record's pictures as SVG files into `dir` (created if
    /// needed), as ``clout plot`` does; returns their paths.
    fn plot(&self, py: Python<'_>, dir: PathBuf) -> PyResult<Vec<PathBuf>> {
        match &self.kind {
            Kind::CalibrationPiece(_) => Err(bad(
                "a stopped calibration's piece has no fit to draw: finish it with `clout calibrate TARGETS \
                 --resume RECORD`",
            )),
            Kind::Run(r) => py.detach(|| r.plot(&dir)).map_err(bad),
            Kind::Sweep(r) => py.detach(|| r.plot(&dir)).map_err(bad),
            Kind::Attribution(r) => py.detach(|| r.plot(&dir)).map_err(bad),
            Kind::Delusion(r) => py.detach(|| r.plot(&dir)).map_err(bad),
            Kind::Compare(r) => py.detach(|| r.plot(&dir)).map_err(bad),
            Kind::Forecast(r) => py.detach(|| r.plot(&dir)).map_err(bad),
            Kind::Calibration(r) => py.detach(|| r.plot(&dir)).map_err(bad),
        }
    }

    /// The record's pictures as SVG text: ``{file name: svg}``.
    fn svgs(&self, py: Python<'_>) -> PyResult<std::collections::BTreeMap<String, String>> {
        let dir = tempfile::tempdir().map_err(io_error)?;
        let mut pictures = std::collections::BTreeMap::new();
        for file in self.plot(py, dir.path().to_path_buf())? {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = std::fs::read_to_string(&file).map_err(io_error)?;
            pictures.insert(name, text);
        }
        Ok(pictures)
    }

    fn __repr__(&self) -> String {
        let held = self.coverage().map(|c| format!(", {c}")).unwrap_or_default();
        let stopped = if self.interrupted() { ", interrupted" } else { "" };
        format!("<clout.Record {}{held}{stopped}>", self.schema())
    }
}

/// Reads record files (pieces of one run: shards, interrupted runs and
/// their rests) and merges them as `clout merge` does, or reads a
/// comparison's or a forecast's one file. One file is read back as a merge
/// of one piece (checked, its report rebuilt), as `clout show` does.
fn read_files(paths: &[PathBuf], partial: bool) -> Result<Kind, String> {
    let first = paths.first().ok_or("no record files to read")?;
    let schema = schema_of(first).map_err(|e| e.to_string())?;
    let one = |what: &str| {
        if paths.len() > 1 {
            Err(format!(
                "{}: a {what} record is one file, never in pieces: nothing to merge",
                first.display()
            ))
        } else {
            Ok(())
        }
    };
    let text = |e: clout::study::files::RecordFileError| e.to_string();
    Ok(match schema.as_deref() {
        Some(PlainRun::SCHEMA) => Kind::Run(read_merged::<PlainRun>(paths, partial).map_err(text)?),
        Some(Sweep::SCHEMA) => Kind::Sweep(read_merged::<Sweep>(paths, partial).map_err(text)?),
        Some(Attribution::SCHEMA) => {
            Kind::Attribution(read_merged::<Attribution>(paths, partial).map_err(text)?)
        }
        Some(Delusion::SCHEMA) => Kind::Delusion(read_merged::<Delusion>(paths, partial).map_err(text)?),
        Some(CompareRecord::SCHEMA) => {
            one("comparison")?;
            Kind::Compare(CompareRecord::read(first).map_err(text)?)
        }
        Some(ForecastRecord::SCHEMA) => {
            one("forecast")?;
            Kind::Forecast(ForecastRecord::read(first).map_err(text)?)
        }
        Some(CalibrationRecord::SCHEMA) => {
            one("calibration")?;
            match read_calibration(first).map_err(text)? {
                Calibrated::Finished(r) => Kind::Calibration(*r),
                Calibrated::Interrupted(p) => Kind::CalibrationPiece(*p),
            }
        }
        other => {
            return Err(format!(
                "{}: not a clout record: schema {other:?}, expected {:?}, {:?}, {:?}, {:?}, {:?}, {:?} or {:?}",
                first.display(),
                PlainRun::SCHEMA,
                Sweep::SCHEMA,
                Attribution::SCHEMA,
                Delusion::SCHEMA,
                CompareRecord::SCHEMA,
                ForecastRecord::SCHEMA,
                CalibrationRecord::SCHEMA
            ));
        }
    })
}

/// Reads a record file, checked, its report rebuilt from its statistics
/// (``clout show``); with several files, merges them (``clout merge``):
/// the whole run's record, byte for byte, when they hold every trial, else
/// an error unless ``partial``.
#[pyfunction]
#[pyo3(signature = (*paths, partial = false))]
pub fn read(py: Python<'_>, paths: Vec<PathBuf>, partial: bool) -> PyResult<PyRecord> {
    let one = paths.len() == 1;
    let kind = py.detach(|| read_files(&paths, partial || one)).map_err(bad)?;
    Ok(PyRecord { kind })
}

/// Merges records in memory, as [`read`] merges files.
fn merge_kinds(records: &[Kind], partial: bool) -> Result<Kind, String> {
    let names: Vec<String> = (1..=records.len()).map(|i| format!("record {i}")).collect();
    let all = |pick: &dyn Fn(&Kind) -> bool, what: &str| {
        if records.iter().all(pick) { Ok(()) } else { Err(format!("the records are not all {what} records")) }
    };
    macro_rules! merged {
        ($variant:ident, $study:ty, $what:expr) => {{
            all(&|k| matches!(k, Kind::$variant(_)), $what)?;
            let pieces: Vec<RecordOf<$study>> = records
                .iter()
                .filter_map(|k| if let Kind::$variant(r) = k { Some(r.clone()) } else { None })
                .collect();
            Kind::$variant(executor::merge::<$study>(&pieces, &names, partial).map_err(|e| e.to_string())?)
        }};
    }
    Ok(match records.first().ok_or("no records to merge")? {
        Kind::Run(_) => merged!(Run, PlainRun, "run"),
        Kind::Sweep(_) => merged!(Sweep, Sweep, "sweep"),
        Kind::Attribution(_) => merged!(Attribution, Attribution, "attribution"),
        Kind::Delusion(_) => merged!(Delusion, Delusion, "delusion"),
        Kind::Compare(_) | Kind::Forecast(_) | Kind::Calibration(_) | Kind::CalibrationPiece(_) => {
            return Err(
                "comparison, forecast and calibration records are whole, never in pieces: nothing to merge"
                    .into(),
            );
        }
    })
}

/// Merges records of pieces of one run (shards, an interrupted run and its
/// rest) into the record of the whole run, byte for byte the one run
/// uninterrupted; records or paths of record files (read as ``clout.read``).
#[pyfunction]
#[pyo3(signature = (*records, partial = false))]
pub fn merge(py: Python<'_>, records: Vec<Bound<'_, PyAny>>, partial: bool) -> PyResult<PyRecord> {
    let mut kinds = Vec::with_capacity(records.len());
    for record in &records {
        if let Ok(record) = record.cast::<PyRecord>() {
            kinds.push(record.get().kind.clone());
        } else {
            let path: PathBuf = record.extract().map_err(|_| {
                bad(format!(
                    "{}: not a clout.Record nor a path to a record file",
                    record.repr().map_or_else(|_| "?".into(), |r| r.to_string())
                ))
            })?;
            kinds.push(read(py, vec![path], true)?.kind);
        }
    }
    let kind = py.detach(|| merge_kinds(&kinds, partial)).map_err(bad)?;
    Ok(PyRecord { kind })
}
