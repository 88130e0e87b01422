//! Coverage-guided fuzzing of record reading (what `clout merge`, `plot`
//! and `--resume` read): any bytes, read as a JSON record of any schema,
//! must be refused in one line or merged alone into a record whose report
//! is rebuilt from its checked summary and renders as a table and CSV,
//! never a panic, a hang or an endless allocation.
#![no_main]

use clout::report::Render;
use clout::scenario::sweep::Sweep;
use clout::study::attribute::Attribution;
use clout::study::delusion::Delusion;
use clout::study::executor::{self, RecordOf, Study};
use clout::study::run::PlainRun;
use libfuzzer_sys::fuzz_target;

/// A record of study `S` from `text`, merged alone as `clout merge` does,
/// then rendered.
fn study<S: Study>(text: &str)
where
    RecordOf<S>: Render,
{
    let Ok(record) = serde_json::from_str::<RecordOf<S>>(text) else { return };
    match executor::merge::<S>(&[record], &["fuzz.json".to_string()], true) {
        Ok(merged) => {
            let _ = (merged.to_table(), merged.to_csv());
        }
        Err(e) => assert!(!e.to_string().contains('\n'), "{e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    study::<PlainRun>(text);
    study::<Sweep>(text);
    study::<Attribution>(text);
    study::<Delusion>(text);
});
