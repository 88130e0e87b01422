"""Per-level results as tables: a pandas DataFrame when pandas is installed,
else a dict of NumPy arrays (one per column). Conversion only: every number
is the record's own (``Record.to_dict()``), flattened one row per level.

>>> import clout
>>> record = clout.Scenario.builtin("what-if").with_overrides({"run.trials": 2000}).run(seed=1)
>>> table = clout.frames.levels(record)        # the same as record.levels()
>>> list(table["level"])                       # doctest: +SKIP
['nano', 'micro', 'mid', 'macro', 'mega']
"""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np

from ._clout import CloutError

__all__ = ["levels", "table", "flatten"]


def flatten(row: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    """A nested dict as one flat dict, nested keys joined by dots
    (``{"clopper_pearson": {"lower": 0.1}}`` -> ``{"clopper_pearson.lower": 0.1}``)."""
    flat: Dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, list):
            continue  # lists are rows of another table
        else:
            flat[name] = value
    return flat


def _level_rows(found: Any) -> List[Dict[str, Any]] | None:
    """The first list of dicts with a ``level`` or ``tier`` key (or named
    ``levels``, as a forecast's), depth first."""
    if isinstance(found, list):
        if found and all(isinstance(r, dict) and ("level" in r or "tier" in r) for r in found):
            return found
        for item in found:
            rows = _level_rows(item)
            if rows is not None:
                return rows
    elif isinstance(found, dict):
        named = found.get("levels")
        if isinstance(named, list) and named and all(isinstance(r, dict) for r in named):
            return named
        for value in found.values():
            rows = _level_rows(value)
            if rows is not None:
                return rows
    return None


def _key(row: Dict[str, Any]) -> Any:
    return row.get("level", row.get("tier"))


def _sweep_rows(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    rows = []
    for point in report["points"]:
        head = {"point": point["index"], "baseline": point["baseline"]}
        head.update({v["path"]: v["value"] for v in point["values"]})
        versus = {_key(r): r for r in point.get("versus_baseline") or []}
        for level in _level_rows(point["answer"]) or []:
            row = dict(head)
            row.update(flatten(level))
            if _key(level) in versus:
                row.update(flatten(versus[_key(level)], "versus_baseline."))
            rows.append(row)
    return rows


def _rows(record: Any) -> List[Dict[str, Any]]:
    data = record.to_dict()
    report = data.get("report")
    if report is None:  # comparisons and forecasts keep their findings elsewhere
        report = {k: v for k, v in data.items() if k not in ("scenario", "comparison", "summary")}
    if isinstance(report, dict) and "points" in report and "paths" in report:
        return _sweep_rows(report)
    rows = _level_rows(report)
    if rows is None:
        raise CloutError(f"a {data.get('schema')} record has no per-level results: use to_dict()")
    return [flatten(r) for r in rows]


def table(rows: List[Dict[str, Any]]) -> Any:
    """Rows (flat dicts) as a pandas DataFrame, or without pandas a dict of
    NumPy arrays: whole numbers as int64, other numbers as floats (None as
    NaN), flags as bools, anything else as objects."""
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        return pd.DataFrame(rows)
    columns: Dict[str, Any] = {}
    names: List[str] = []
    for row in rows:
        names.extend(k for k in row if k not in names)
    for name in names:
        values = [row.get(name) for row in rows]
        present = [v for v in values if v is not None]
        whole = len(present) == len(values)
        if present and whole and all(isinstance(v, bool) for v in present):
            columns[name] = np.array(values, dtype=bool)
        elif present and whole and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            columns[name] = np.array(values, dtype=np.int64)
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
            columns[name] = np.array([np.nan if v is None else v for v in values], dtype=float)
        else:
            columns[name] = np.array(values, dtype=object)
    return columns


def levels(record: Any) -> Any:
    """A record's per-level results, one row per level (per point and level
    for a sweep, with the point's values and its difference from the
    baseline): a pandas DataFrame, or a dict of NumPy arrays without pandas."""
    return table(_rows(record))
