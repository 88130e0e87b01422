//! `clout.Scenario`: a validated scenario, loaded as the command line loads it.

use crate::bad;
use crate::record::PyRecord;
use crate::studies::run_study;
use clout::Scenario;
use pyo3::prelude::*;

/// A scenario, validated, every default filled in (what `clout check` prints).
///
/// Load one with ``Scenario.builtin("what-if")``, ``Scenario.load("my.toml")``,
/// ``Scenario.from_toml(text)`` or ``Scenario.from_dict(d)``; change fields with
/// ``scenario.with_overrides({"run.trials": 10_000})``; run it with
/// ``scenario.run(seed=1, threads=2)``.
#[pyclass(module = "clout._clout", name = "Scenario", frozen, eq)]
#[derive(Clone)]
pub struct PyScenario {
    /// The scenario.
    pub inner: Scenario,
    /// Where it came from (a built-in name, a path, `<dict>`): errors of
    /// building a study of it name it, as the command line names its argument.
    pub source: String,
}

#[pymethods]
impl PyScenario {
    /// A built-in scenario by name (``clout.builtins()`` lists them).
    #[staticmethod]
    fn builtin(name: &str) -> PyResult<Self> {
        let inner = Scenario::builtin(name).map_err(bad)?;
        Ok(PyScenario { inner, source: name.to_string() })
    }

    /// A scenario file (TOML), read and validated.
    #[staticmethod]
    fn load(path: std::path::PathBuf) -> PyResult<Self> {
        let inner = Scenario::load(&path).map_err(bad)?;
        Ok(PyScenario { inner, source: path.display().to_string() })
    }

    /// A scenario from TOML text; `source_name` labels errors.
    #[staticmethod]
    #[pyo3(signature = (text, source_name = "<string>"))]
    fn from_toml(text: &str, source_name: &str) -> PyResult<Self> {
        let inner = Scenario::from_toml_str(text, source_name).map_err(bad)?;
        Ok(PyScenario { inner, source: source_name.to_string() })
    }

    /// A scenario from JSON text of the scenario's fields (what
    /// ``Scenario.from_dict`` passes): turned into TOML and read as a file
    /// is, so it is validated the same way. `source_name` labels errors.
    #[staticmethod]
    #[pyo3(signature = (text, source_name = "<dict>"))]
    fn from_json(text: &str, source_name: &str) -> PyResult<Self> {
        let mut value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(format!("{source_name}: not JSON: {e}")))?;
        drop_nulls(&mut value);
        let table = toml::Value::try_from(value)
            .map_err(|e| bad(format!("{source_name}: not a scenario's fields: {e}")))?;
        let text = toml::to_string(&table).map_err(|e| bad(format!("{source_name}: {e}")))?;
        // Positions in the TOML made here mean nothing to the caller: the
        // error names the source and the field alone.
        let inner = Scenario::from_toml_str(&text, source_name).map_err(|e| {
            let message = e.to_string();
            let rest = message.strip_prefix(source_name).unwrap_or(&message);
            let position = rest.strip_prefix(':').map(|r| r.split(':').take(2).collect::<Vec<_>>());
            match position {
                Some(p) if p.len() == 2 && p.iter().all(|n| n.parse::<u32>().is_ok()) => {
                    let skip = source_name.len() + p[0].len() + p[1].len() + 2;
                    bad(format!("{source_name}{}", &message[skip..]))
                }
                _ => bad(message),
            }
        })?;
        Ok(PyScenario { inner, source: source_name.to_string() })
    }

    /// A scenario from a dict of its fields, nested as in a scenario file
    /// (``{"run": {"trials": 1000}, "population": {...}}``); None means
    /// unset. Validated as a file is; `source_name` labels errors.
    ///
    /// >>> s = clout.Scenario.from_dict(clout.Scenario.builtin("what-if").to_dict())
    #[staticmethod]
    #[pyo3(signature = (fields, source_name = "<dict>"))]
    fn from_dict(fields: &Bound<'_, PyAny>, source_name: &str) -> PyResult<Self> {
        let text: String = fields.py().import("json")?.call_method1("dumps", (fields,))?.extract()?;
        Self::from_json(&text, source_name)
    }

    /// The scenario's fields as a dict (``Scenario.from_dict`` reads it back).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?.call_method1("loads", (self.to_json()?,))
    }

    /// A copy with fields changed, each named by its dotted path as in a
    /// sweep (``{"run.trials": 10_000, "population.effort.median": 6.0}``);
    /// a value None unsets the field (its default applies). Validated as a
    /// file is: a bad value raises ``CloutError`` naming the field.
    ///
    /// >>> s = clout.Scenario.builtin("what-if").with_overrides({"run.trials": 2000})
    fn with_overrides(&self, py: Python<'_>, overrides: &Bound<'_, pyo3::types::PyDict>) -> PyResult<Self> {
        let mut fields = serde_json::to_value(&self.inner).map_err(bad)?;
        let json = py.import("json")?;
        for (path, value) in overrides.iter() {
            let path: String = path.extract()?;
            let text: String = json.call_method1("dumps", (value,))?.extract()?;
            let value: serde_json::Value = serde_json::from_str(&text).map_err(bad)?;
            set_path(&mut fields, &path, value).map_err(bad)?;
        }
        let text = serde_json::to_string(&fields).map_err(bad)?;
        Self::from_json(&text, &format!("{} (with overrides)", self.source))
    }

    /// The scenario as TOML, every default filled in (``clout check``'s output).
    fn to_toml(&self) -> PyResult<String> {
        toml::to_string(&self.inner).map_err(bad)
    }

    /// The scenario as JSON text (as records hold it).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(bad)
    }

    /// The scenario's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// What the scenario asks.
    #[getter]
    fn description(&self) -> &str {
        &self.inner.description
    }

    /// Where it was loaded from: a built-in name, a path, ``<dict>``.
    #[getter]
    fn source(&self) -> &str {
        &self.source
    }

    /// The same scenario switched to plain Monte Carlo (``--method brute``):
    /// ``run.method = "brute"`` and no ``[rare]`` section.
    fn brute(&self) -> Self {
        let mut scenario = self.clone();
        scenario.inner.set_brute();
        scenario
    }

    /// Runs the scenario (``clout run``): the record of its odds for every
    /// level with 95% intervals. ``seed`` overrides ``run.seed``;
    /// ``threads`` (default: ``CLOUT_THREADS``, else one per core) never
    /// changes the numbers; ``target`` is a level (``"macro"``, ``"100k"``)
    /// or, with ``[money]``, an income a year (``"$50k"``), or, with
    /// ``[engagement]``, an engaged audience (``"1k engaged"``), and ``years`` a
    /// cohort's horizon, as the command line's flags;
    /// ``shard=(k, n)`` runs shard k of n; ``resume=[record]`` runs the trials
    /// an interrupted record lacks (``clout.merge`` joins them). The GIL is
    /// released; Ctrl-C raises ``KeyboardInterrupt`` whose ``record`` holds
    /// the trials done.
    ///
    /// >>> record = clout.Scenario.builtin("what-if").with_overrides({"run.trials": 2000}).run(seed=1)
    /// >>> record.levels()  # a DataFrame with pandas, else a dict of NumPy arrays
    #[pyo3(signature = (*, seed = None, threads = None, target = None, years = None, shard = None,
                        resume = Vec::new(), allow_large = false))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn run(
        &self,
        py: Python<'_>,
        seed: Option<u64>,
        threads: Option<usize>,
        target: Option<String>,
        years: Option<f64>,
        shard: Option<(u64, u64)>,
        resume: Vec<PyRef<'_, PyRecord>>,
        allow_large: bool,
    ) -> PyResult<PyRecord> {
        run_study(py, "run", self, seed, threads, target, years, shard, resume, allow_large)
    }

    /// Runs the scenario's ``[sweep]`` (``clout sweep``): every point's odds
    /// and its paired difference from the baseline. Arguments as ``run``.
    #[pyo3(signature = (*, seed = None, threads = None, target = None, years = None, shard = None,
                        resume = Vec::new(), allow_large = false))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn sweep(
        &self,
        py: Python<'_>,
        seed: Option<u64>,
        threads: Option<usize>,
        target: Option<String>,
        years: Option<f64>,
        shard: Option<(u64, u64)>,
        resume: Vec<PyRef<'_, PyRecord>>,
        allow_large: bool,
    ) -> PyResult<PyRecord> {
        run_study(py, "sweep", self, seed, threads, target, years, shard, resume, allow_large)
    }

    /// Why creators succeed (``clout attribute``): Sobol indices, luck
    /// replays and counterfactuals; sizes are the ``attribute.*`` fields
    /// (``with_overrides({"attribute.sobol_rows": 4096})``); ``target``
    /// (``"$30k"``, ``"1k engaged"``) and ``years`` as ``run``'s: the answer
    /// leads with what decides reaching the target.
    #[pyo3(signature = (*, seed = None, threads = None, target = None, years = None, shard = None,
                        resume = Vec::new(), allow_large = false))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn attribute(
        &self,
        py: Python<'_>,
        seed: Option<u64>,
        threads: Option<usize>,
        target: Option<String>,
        years: Option<f64>,
        shard: Option<(u64, u64)>,
        resume: Vec<PyRef<'_, PyRecord>>,
        allow_large: bool,
    ) -> PyResult<PyRecord> {
        run_study(py, "attribute", self, seed, threads, target, years, shard, resume, allow_large)
    }

    /// The delusion gap (``clout delusion``): the goal's odds seen six ways.
    /// Arguments as ``run``; the snapshot's size is ``delusion.snapshot_trials``.
    #[pyo3(signature = (*, seed = None, threads = None, target = None, years = None, shard = None,
                        resume = Vec::new(), allow_large = false))]
    #[allow(clippy::too_many_arguments)] // keyword arguments of one Python call
    fn delusion(
        &self,
        py: Python<'_>,
        seed: Option<u64>,
        threads: Option<usize>,
        target: Option<String>,
        years: Option<f64>,
        shard: Option<(u64, u64)>,
        resume: Vec<PyRef<'_, PyRecord>>,
        allow_large: bool,
    ) -> PyResult<PyRecord> {
        run_study(py, "delusion", self, seed, threads, target, years, shard, resume, allow_large)
    }

    fn __repr__(&self) -> String {
        format!("<clout.Scenario {:?} from {}>", self.inner.name, self.source)
    }
}

/// The built-in scenarios: ``(name, description)`` pairs, as ``clout scenarios``
/// lists them. The descriptions are read from the files' text, not
/// resolved: resolving `saturation` solves its field (about 30 s).
#[pyfunction]
pub fn builtins() -> PyResult<Vec<(String, String)>> {
    clout::scenario::BUILTIN
        .iter()
        .map(|(name, text)| {
            let table: toml::Table = toml::from_str(text).map_err(bad)?;
            let description = table.get("description").and_then(|d| d.as_str()).unwrap_or_default();
            Ok((name.to_string(), description.to_string()))
        })
        .collect()
}

/// Two scenarios are equal when their fields are, wherever they came from.
impl PartialEq for PyScenario {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

/// Removes the null fields of JSON objects (a dict's None: unset).
fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            fields.retain(|_, v| !v.is_null());
            fields.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// Sets the field at the dotted `path` of `fields` to `value`, creating
/// the tables on the way.
fn set_path(fields: &mut serde_json::Value, path: &str, value: serde_json::Value) -> Result<(), String> {
    let mut at = fields;
    let keys: Vec<&str> = path.split('.').collect();
    for (i, key) in keys.iter().enumerate() {
        if key.is_empty() {
            return Err(format!("{path:?}: a field's path is names joined by dots, e.g. \"run.trials\""));
        }
        if at.is_null() {
            *at = serde_json::Value::Object(Default::default());
        }
        let serde_json::Value::Object(table) = at else {
            return Err(format!("{path:?}: {} is not a table", keys[..i].join(".")));
        };
        if i + 1 == keys.len() {
            table.insert(key.to_string(), value);
            return Ok(());
        }
        at = table.entry(key.to_string()).or_insert(serde_json::Value::Null);
    }
    Ok(())
}
