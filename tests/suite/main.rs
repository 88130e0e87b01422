//! clout's integration tests, one module per subject, built as one test
//! binary (`cargo test --release --test suite`): one link instead of one per
//! file, which keeps a fresh clone's `cargo test --release` within its time.
//! Run one subject with its module's name as the filter:
//! `cargo test --release --test suite golden::`.

mod architecture;
mod attribute;
mod calibrate;
mod calibrate_resume;
mod calibrate_targets;
mod calibration_intervals;
mod cli;
mod common;
mod compare;
mod conditional;
mod creators;
mod delusion;
mod determinism;
mod forecast;
mod golden;
mod interrupt;
mod levels;
mod mechanisms;
mod money;
mod platform;
#[cfg(feature = "plot")]
mod plot;
mod rare;
mod scenario_fuzz;
mod shards;
mod studies;
mod sweep;
mod trajectory;
mod validation;
mod worlds;
