//! Experiments: analyses built on the models, each itself a [`crate::Model`]
//! (a trial is one creator matched or not, one career from a given state),
//! so the runner gives them determinism, threads and trial ranges for free.

pub mod attribute;
pub mod calibrate;
pub mod conditional;
pub mod delusion;
pub mod rare;
pub mod sweep;
