//! # clout
//!
//! Monte Carlo models of how social-media creators gain followers, driven by
//! **talent, effort, timing and luck**, reporting **the chance of reaching
//! each influencer tier and any follower level** (macro status, 500k
//! followers, by default) with honest uncertainty: every chance comes with
//! its 95% interval, whatever the method ([`stats::Chance`]).
//!
//! ```
//! use clout::{Scenario, Tier, stats::Chances};
//!
//! let mut scenario = Scenario::builtin("what-if")?;   // or Scenario::load("my.toml")?
//! scenario.run.trials = 5_000;                        // the file asks for 200,000
//! let record = scenario.run()?;                       // bit-identical on any number of threads
//! let nano = record.chance(Tier::Nano).expect("a tier is a level");
//! println!("nano: {} in [{}, {:?}]", nano.estimate, nano.lower, nano.upper);
//! // Plain runs' detail: both intervals of a proportion.
//! let exact = record.career().unwrap().proportion(Tier::Nano).clopper_pearson;
//! # Ok::<(), clout::ScenarioError>(())
//! ```
//!
//! Rare odds (the built-in `default` scenario) come from importance sampling
//! of the traits, tuned by a cross-entropy pilot ([`experiment::rare`]):
//!
//! ```
//! use clout::{Scenario, stats::Chances};
//!
//! let mut scenario = Scenario::builtin("default")?;   // run.method = "rare"
//! scenario.run.trials = 2_000;
//! scenario.rare.as_mut().unwrap().pilot_roots = 2_000;
//! let record = scenario.run()?;
//! // The same accessor as a plain run's: the chance, however estimated.
//! let macro_odds = record.chance("macro").unwrap();
//! println!("macro: {:e} +- {:e}", macro_odds.estimate, macro_odds.std_error);
//! // What only importance sampling has: its diagnostics.
//! let diagnostics = record.rare().unwrap().level("macro").unwrap();
//! println!("hits' effective size {:.0}", diagnostics.hit_ess);
//! # Ok::<(), clout::ScenarioError>(())
//! ```
//!
//! * [`model`]: the models (each a validated parameter struct whose one trial
//!   is a sample) and the [`Model`] trait they share; a career is a resumable
//!   value ([`CareerState`]);
//! * [`random`]: keyed random streams, one per (seed, domain, trial, source, branch);
//! * [`runner`]: the parallel, reproducible Monte Carlo runner;
//! * [`experiment`]: analyses that are models too: conditional odds ("given a
//!   state", "creators like you"), sweeps with paired comparisons, rare
//!   odds by importance sampling of the traits, calibration to published
//!   shares, attribution (Sobol indices, luck replays, counterfactuals) and
//!   the delusion gap;
//! * [`stats`]: mergeable accumulators and confidence intervals;
//! * [`scenario`], [`study::run`] and [`report`]: scenario files in; run records
//!   (with their mergeable summaries, shards and merges) out; tables, CSV and
//!   SVG pictures (feature `plot`).
//!
//! The equations of every model, with the source of each default, are in the
//! docs of its module and in `docs/MODEL.md`.

#![warn(missing_docs)]

pub mod dist;
pub mod error;
pub mod experiment;
pub mod model;
pub mod random;
pub mod report;
pub mod runner;
pub mod sampling;
pub mod scenario;
pub mod stats;
pub mod study;
pub mod tier;

pub use dist::Law;
pub use error::{FieldError, ScenarioError};
pub use model::career::{Career, CareerModel, CareerReport, CareerSpec, CareerState, Creator};
pub use model::{Model, Summary};
pub use random::TrialStreams;
pub use runner::Runner;
pub use scenario::Scenario;
pub use stats::Proportion;
pub use study::run::{Report, RunRecord, RunSummary};
pub use tier::{Tier, Tiers};

/// The README's code examples, compiled and run as doctests so it cannot drift from the API.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The guide's library chapter (docs/guide), compiled and run as doctests like the README's.
#[doc = include_str!("../docs/guide/src/library.md")]
#[cfg(doctest)]
pub struct GuideLibraryDoctests;

/// The guide's conditional-odds chapter, compiled and run as doctests like the README's.
#[doc = include_str!("../docs/guide/src/conditional-odds.md")]
#[cfg(doctest)]
pub struct GuideConditionalOddsDoctests;
