//! Studies: a resolved scenario run into a record. A plain run (and its
//! shards, resumes and merges), a sweep of points, an attribution, a
//! delusion gap and a calibration each turn a [`crate::Scenario`] into the
//! experiments and models it needs and wrap what they find with the
//! scenario, seed and version that reproduce it.

pub mod attribute;
pub mod calibrate;
pub mod compare;
pub mod creators;
pub mod delusion;
pub mod executor;
pub mod files;
pub mod forecast;
pub mod run;
pub mod sweep;
