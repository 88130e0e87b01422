//! Coverage-guided fuzzing of record reading (what `clout merge`, `show`,
//! `plot` and `--resume` read): any bytes, read as a JSON record of any
//! schema by the readers those commands use (`study::files`), must be
//! refused in one line or give a record whose report is rebuilt from its
//! checked statistics and renders as a table and CSV, never a panic, a hang
//! or an endless allocation. Study records (a run, a sweep, an attribution,
//! a delusion gap) are merged alone; calibration records (finished, or a
//! piece of one stopped part way) are checked against the calibration
//! their own targets make; comparison records are checked
//! ([`CompareRecord::check`](clout::study::compare::CompareRecord::check)) and rendered.
#![no_main]

use clout::report::Render;
use clout::scenario::sweep::Sweep;
use clout::study::attribute::Attribution;
use clout::study::calibrate::Calibrated;
use clout::study::delusion::Delusion;
use clout::study::executor::{self, RecordOf, Study};
use clout::study::files::{calibration_from_text, record_from_reader};
use clout::study::run::PlainRun;
use libfuzzer_sys::fuzz_target;

/// The file name errors are told.
const NAME: &str = "fuzz.json";

/// Panics unless `error` is one line.
fn one_line(error: impl std::fmt::Display) {
    let e = error.to_string();
    assert!(!e.contains('\n'), "{e}");
}

/// A record of study `S` read from `data` as `clout merge` reads a file,
/// merged alone, then rendered.
fn study<S: Study>(data: &[u8])
where
    RecordOf<S>: Render,
{
    let record = match record_from_reader::<S>(data, NAME) {
        Ok(record) => record,
        Err(e) => return one_line(e),
    };
    match executor::merge::<S>(&[record], &[NAME.to_string()], true) {
        Ok(merged) => {
            let _ = (merged.to_table(), merged.to_csv());
        }
        Err(e) => one_line(e),
    }
}

/// A calibration record read from `text` as `clout merge` reads one,
/// checked, then rendered.
fn calibration(text: &str) {
    let record = match calibration_from_text(text, NAME) {
        Ok(record) => record,
        Err(e) => return one_line(e),
    };
    match record.check(NAME) {
        Ok(()) => match &record {
            Calibrated::Finished(r) => {
                let _ = (r.to_table(), r.to_csv());
            }
            Calibrated::Interrupted(p) => {
                let _ = (p.to_table(), p.to_csv());
            }
        },
        Err(e) => one_line(e),
    }
}

/// A comparison record read from `text` as `clout show` reads one
/// (checked), then rendered.
fn comparison(text: &str) {
    match clout::study::compare::CompareRecord::from_text(text, NAME) {
        Ok(r) => {
            let _ = (r.to_table(), r.to_csv());
        }
        Err(e) => one_line(e),
    }
}

fuzz_target!(|data: &[u8]| {
    study::<PlainRun>(data);
    study::<Sweep>(data);
    study::<Attribution>(data);
    study::<Delusion>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        calibration(text);
        comparison(text);
    }
});
