//! Experiments: estimators built on what models can do, each itself a
//! [`crate::Model`] (a trial is one Sobol row, one replayed creator, one
//! weighted root), so the runner gives them determinism, threads and trial
//! ranges for free. An experiment is built from a model and its own spec,
//! never from a scenario, and imports no other experiment (the layer rule,
//! `tests/suite/architecture.rs`).

pub mod attribute;
pub mod delusion;
pub mod field;
pub mod forecast;
pub mod rare;
