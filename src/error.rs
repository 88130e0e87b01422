//! Errors: a bad parameter names its field, its value and what is allowed.

use std::fmt;
use std::path::PathBuf;

/// A parameter that is out of range, named by its path in a scenario
/// (`population.talent.sd`), with the offending value and what is allowed.
///
/// Displays as `population.talent.sd = -1: must be > 0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the field, as written in a scenario file.
    pub field: String,
    /// The value that was refused, as text.
    pub value: String,
    /// What the field accepts, e.g. `must be > 0`.
    pub allowed: String,
}

impl FieldError {
    /// A new error for `field` holding `value`.
    pub fn new(field: impl Into<String>, value: impl fmt::Display, allowed: impl Into<String>) -> Self {
        FieldError { field: field.into(), value: value.to_string(), allowed: allowed.into() }
    }

    /// The same error with `prefix.` put before the field path.
    pub fn within(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.field = format!("{prefix}.{}", self.field);
        }
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}: {}", self.field, self.value, self.allowed)
    }
}

impl std::error::Error for FieldError {}

/// Why a scenario could not be loaded. Every variant names the source (a file
/// path, or `<built-in NAME>` / `<string>`).
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The text is not valid TOML, or does not fit the scenario schema
    /// (unknown field, wrong type, missing value).
    #[error("{source_name}: {message}")]
    Parse {
        /// The file or other source, with the line and column where known
        /// (`bad.toml:3:12`).
        source_name: String,
        /// The field's path and the parser's message.
        message: String,
    },
    /// A field has a value outside its allowed range.
    #[error("{source_name}: {error}")]
    Invalid {
        /// The file or other source, with the line and column of the field
        /// where known (`bad.toml:3:12`).
        source_name: String,
        /// Which field, which value, what is allowed.
        error: FieldError,
    },
    /// No built-in scenario has this name.
    #[error("no built-in scenario named {name:?}; the built-in ones are: {known}")]
    UnknownBuiltin {
        /// The name asked for.
        name: String,
        /// The names that exist, comma separated.
        known: String,
    },
}

/// Checks that `value` is finite; the first step of every numeric check.
pub(crate) fn finite(field: &str, value: f64) -> Result<f64, FieldError> {
    if value.is_finite() { Ok(value) } else { Err(FieldError::new(field, value, "must be a finite number")) }
}

/// `value` must be finite and `> 0`.
pub(crate) fn positive(field: &str, value: f64) -> Result<f64, FieldError> {
    finite(field, value)?;
    if value > 0.0 { Ok(value) } else { Err(FieldError::new(field, value, "must be > 0")) }
}

/// `value` must be finite and lie in `[low, high]`.
pub(crate) fn within(field: &str, value: f64, low: f64, high: f64) -> Result<f64, FieldError> {
    finite(field, value)?;
    if (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::new(field, value, format!("must lie in [{low}, {high}]")))
    }
}
