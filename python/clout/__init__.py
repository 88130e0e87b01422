"""clout: Monte Carlo odds that a social-media creator reaches each follower
level (nano 1k ... mega 1M, or any count), driven by talent, effort, timing
and luck, every chance with its 95% interval. Python bindings of the clout
Rust library: the same scenarios, the same records, the same numbers as the
``clout`` command line, byte for byte.

>>> import clout
>>> scenario = clout.Scenario.builtin("what-if").with_overrides({"run.trials": 5000})
>>> record = scenario.run(seed=2026, threads=2)   # the GIL is released; Ctrl-C keeps the trials done
>>> record.levels()                              # a DataFrame (pandas), else NumPy arrays
>>> record.write("run.json")                     # what `clout run what-if --trials 5000 --seed 2026 --format json` writes
>>> clout.read("run.json").to_table()            # read back, checked (`clout show`)

Sweeps (``Scenario.sweep``), attribution (``Scenario.attribute``), the
delusion gap (``Scenario.delusion``), conditional odds (a scenario with a
``[condition]``, run with ``Scenario.run``), comparisons (``clout.compare``)
and forecasts (``clout.forecast``) return a ``Record`` too; ``clout.merge``
joins shards and interrupted runs; ``Record.plot`` and ``Record.svgs`` draw
them. Bad input raises ``clout.CloutError`` (a ``ValueError``) with the
command line's one-line message.
"""

from . import frames
from ._clout import (
    CloutError,
    Record,
    Scenario,
    __version__,
    builtins,
    compare,
    forecast,
    merge,
    read,
)

__all__ = [
    "CloutError",
    "Record",
    "Scenario",
    "__version__",
    "builtins",
    "compare",
    "forecast",
    "frames",
    "merge",
    "read",
]
