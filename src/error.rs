//! Errors: a bad parameter names its field, its value and what is allowed.

pub mod bounded;

/// `text` with every control character (a newline, a tab, an escape)
/// written as its Rust escape (`\n`): what an error quotes from a file (a
/// field's name, a file's own name) stays on the error's one line.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// The largest record file clout reads: 256 MiB. Every record it writes is
/// smaller (a sweep checks its bound before it runs,
/// `scenario::sweep::RECORD_BYTES_PER_POINT`).
pub const MAX_RECORD_BYTES: u64 = 1 << 28;

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

/// Why a bounded read of a text file failed (see [`read_text_capped`]).
#[derive(Debug)]
pub enum ReadTextError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file holds more than the bytes allowed.
    TooLarge,
    /// The bytes are not UTF-8; the first invalid one is at this offset.
    NotUtf8 {
        /// Bytes of valid UTF-8 before the first invalid one.
        valid_up_to: usize,
    },
}

/// Reads the file at `path` as UTF-8 text, reading at most `max_bytes + 1`
/// bytes, so a huge or endless input (`/dev/zero`, a pipe) is refused without
/// filling memory. Scenario files, targets files and JSON records are all read
/// through it; each caller words its own errors.
pub fn read_text_capped(path: &std::path::Path, max_bytes: u64) -> Result<String, ReadTextError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(ReadTextError::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadTextError::TooLarge);
    }
    String::from_utf8(bytes).map_err(|e| ReadTextError::NotUtf8 { valid_up_to: e.utf8_error().valid_up_to() })
}

/// Writes `bytes` to `path` atomically: into a new temporary file in the
/// same folder (`tempfile`), flushed to disk (`fsync`), then renamed over
/// `path`. A failure at any step (a full disk, a quota, a signal's second
/// blow) leaves whatever was at `path` untouched and removes the temporary
/// file; readers never see a half-written record. Every file clout writes
/// (records, tables, scenarios, pictures) goes through here.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| std::io::Write::write_all(w, bytes))
}

/// As [`write_atomic`], for a file written piece by piece (a record
/// serialized straight into its file, a stream of rows): `write` writes
/// into the temporary file through a buffer, so nothing is held whole as
/// text (a 10,000-point sweep's record is about 100 MB); when it returns
/// `Ok` the file is flushed to disk and renamed over `path`, and when it
/// returns an error (or a step after it fails) nothing at `path` changes
/// and the temporary file is removed.
pub fn write_atomic_with<T, E: From<std::io::Error>>(
    path: &std::path::Path,
    write: impl FnOnce(&mut (dyn std::io::Write + Send)) -> Result<T, E>,
) -> Result<T, E> {
    use std::io::Write;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".clout-").suffix(".part");
    // The mode a plain `File::create` gives (0666 less the umask), not the
    // temporary file's private 0600: records are shared.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let file = builder.tempfile_in(folder)?;
    let mut buffer = std::io::BufWriter::new(file);
    let written = write(&mut buffer)?;
    buffer.flush()?;
    let file = buffer.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(written)
}

/// Checks, before any work, that `path` can be written atomically: its
/// folder exists and takes a new file, and `path` is not a folder. Long
/// studies call it first, so a typo in `--out` fails at once, not after
/// hours of work.
pub fn check_writable(path: &std::path::Path) -> std::io::Result<()> {
    if path.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a folder"));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    tempfile::Builder::new().prefix(".clout-").suffix(".probe").tempfile_in(folder).map(drop)
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

/// Checks that `theirs` (read from a file) equals `ours`, field for field;
/// if not, the error names `field`, shows `shown` and says what is
/// `allowed` and where the two first differ (`[first difference:
/// platform.inactive_rate = 0.0004, here 0]`), so a record written by
/// another scenario, or before an option existed, says which field broke.
pub(crate) fn must_equal<T: serde::Serialize + PartialEq>(
    field: &str,
    shown: impl fmt::Display,
    ours: &T,
    theirs: &T,
    allowed: &str,
) -> Result<(), FieldError> {
    if ours == theirs {
        return Ok(());
    }
    let difference = match (serde_json::to_value(ours), serde_json::to_value(theirs)) {
        (Ok(a), Ok(b)) => first_difference(&mut field.to_string(), &a, &b),
        _ => None,
    };
    let allowed = match difference {
        Some(d) => format!("{allowed} [first difference: {d}]"),
        None => allowed.to_string(),
    };
    Err(FieldError::new(field, shown, allowed))
}

/// Where two JSON values first differ, below `path`: `path = theirs, here
/// ours` (values cut to 40 characters; absent fields as `(absent)`).
fn first_difference(
    path: &mut String,
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
) -> Option<String> {
    use serde_json::Value;
    let short = |v: Option<&Value>| {
        let text = v.map_or("(absent)".to_string(), Value::to_string);
        let text = one_line(&text).into_owned();
        if text.chars().count() > 40 {
            format!("{}...", text.chars().take(40).collect::<String>())
        } else {
            text
        }
    };
    let here = |path: &str, a: Option<&Value>, b: Option<&Value>| {
        format!("{path} = {}, here {}", short(b), short(a))
    };
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                let (x, y) = (a.get(key), b.get(key));
                if x == y {
                    continue;
                }
                let len = path.len();
                path.push('.');
                path.push_str(key);
                let found = match (x, y) {
                    (Some(x), Some(y)) => first_difference(path, x, y),
                    _ => Some(here(path, x, y)),
                };
                path.truncate(len);
                return found;
            }
            None
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            let k = a.iter().zip(b).position(|(x, y)| x != y)?;
            let len = path.len();
            path.push_str(&format!("[{k}]"));
            let found = first_difference(path, &a[k], &b[k]);
            path.truncate(len);
            found
        }
        (Value::Array(a), Value::Array(b)) => Some(format!("{path} has {} items, here {}", b.len(), a.len())),
        _ if ours == theirs => None,
        _ => Some(here(path, Some(ours), Some(theirs))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn difference(a: serde_json::Value, b: serde_json::Value) -> String {
        super::must_equal("x", "v", &a, &b, "must match").unwrap_err().to_string()
    }

    #[test]
    fn a_mismatch_names_its_first_differing_field() {
        let ours = json!({"a": 1, "b": {"c": [1, 2, 3], "d": "x"}});
        assert!(super::must_equal("x", "v", &ours, &ours.clone(), "must match").is_ok());
        let e = difference(ours.clone(), json!({"a": 1, "b": {"c": [1, 5, 3], "d": "y"}}));
        assert_eq!(e, "x = v: must match [first difference: x.b.c[1] = 5, here 2]");
        let e = difference(ours.clone(), json!({"a": 1, "b": {"c": [1], "d": "x"}}));
        assert_eq!(e, "x = v: must match [first difference: x.b.c has 1 items, here 3]");
        let e = difference(ours.clone(), json!({"b": {"c": [1, 2, 3], "d": "x"}}));
        assert_eq!(e, "x = v: must match [first difference: x.a = (absent), here 1]");
        let e = difference(ours, json!({"a": 1, "b": {"c": [1, 2, 3], "d": "x\ny"}, "z": 0}));
        assert_eq!(e, "x = v: must match [first difference: x.b.d = \"x\\ny\", here \"x\"]");
    }
}
