"""Type stubs of clout's native module (re-exported by ``clout``)."""

from os import PathLike
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

_Path = Union[str, "PathLike[str]"]

__version__: str

class CloutError(ValueError):
    """Bad input: the command line's one-line message (file, field, value, what is allowed)."""

class Scenario:
    """A scenario, validated, every default filled in.

    >>> s = Scenario.builtin("what-if").with_overrides({"run.trials": 2000})
    >>> record = s.run(seed=1, threads=2)
    """

    @staticmethod
    def builtin(name: str) -> Scenario:
        """A built-in scenario by name (``clout.builtins()`` lists them)."""
    @staticmethod
    def load(path: _Path) -> Scenario:
        """A scenario file (TOML), read and validated."""
    @staticmethod
    def from_toml(text: str, source_name: str = "<string>") -> Scenario:
        """A scenario from TOML text; ``source_name`` labels errors."""
    @staticmethod
    def from_json(text: str, source_name: str = "<dict>") -> Scenario:
        """A scenario from JSON text of its fields."""
    @staticmethod
    def from_dict(fields: Mapping[str, Any], source_name: str = "<dict>") -> Scenario:
        """A scenario from a dict of its fields, nested as in a file; None means unset.

        >>> Scenario.from_dict(Scenario.builtin("what-if").to_dict())
        """
    def to_dict(self) -> Dict[str, Any]:
        """The scenario's fields as a dict (``Scenario.from_dict`` reads it back)."""
    def to_toml(self) -> str:
        """The scenario as TOML, every default filled in (``clout check``)."""
    def to_json(self) -> str:
        """The scenario as JSON text, as records hold it."""
    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """A copy with fields changed by dotted path; None unsets one.

        >>> Scenario.builtin("what-if").with_overrides({"run.trials": 2000, "run.seed": 7})
        """
    def brute(self) -> Scenario:
        """The same scenario as plain Monte Carlo (``--method brute``)."""
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def source(self) -> str:
        """Where it was loaded from: a built-in name, a path, ``<dict>``."""
    def run(
        self,
        *,
        seed: Optional[int] = None,
        threads: Optional[int] = None,
        target: Optional[str] = None,
        years: Optional[float] = None,
        shard: Optional[Tuple[int, int]] = None,
        resume: Sequence[Record] = (),
        allow_large: bool = False,
    ) -> Record:
        """Runs the scenario (``clout run``). The GIL is released; Ctrl-C raises
        ``KeyboardInterrupt`` whose ``record`` holds the trials done
        (``resume=[record]`` runs the rest, ``clout.merge`` joins them).

        >>> Scenario.builtin("what-if").run(seed=1, threads=2).levels()
        """
    def sweep(
        self,
        *,
        seed: Optional[int] = None,
        threads: Optional[int] = None,
        target: Optional[str] = None,
        years: Optional[float] = None,
        shard: Optional[Tuple[int, int]] = None,
        resume: Sequence[Record] = (),
        allow_large: bool = False,
    ) -> Record:
        """Runs the scenario's ``[sweep]`` (``clout sweep``).

        >>> Scenario.builtin("effort-vs-timing").with_overrides({"run.trials": 20000}).sweep().levels()
        """
    def attribute(
        self,
        *,
        seed: Optional[int] = None,
        threads: Optional[int] = None,
        target: Optional[str] = None,
        years: Optional[float] = None,
        shard: Optional[Tuple[int, int]] = None,
        resume: Sequence[Record] = (),
        allow_large: bool = False,
    ) -> Record:
        """Why creators succeed (``clout attribute``); sizes are ``attribute.*`` fields."""
    def delusion(
        self,
        *,
        seed: Optional[int] = None,
        threads: Optional[int] = None,
        target: Optional[str] = None,
        years: Optional[float] = None,
        shard: Optional[Tuple[int, int]] = None,
        resume: Sequence[Record] = (),
        allow_large: bool = False,
    ) -> Record:
        """The delusion gap (``clout delusion``)."""

class Record:
    """A record exactly as the command line writes it.

    >>> record.write("run.json"); clout.read("run.json").to_table()
    """

    @property
    def schema(self) -> str: ...
    @property
    def interrupted(self) -> bool: ...
    @property
    def coverage(self) -> Optional[str]:
        """The trials held in words, or None for a whole run."""
    @property
    def seed(self) -> Optional[int]: ...
    def to_json(self) -> str:
        """Byte for byte the command line's ``--format json``."""
    def to_dict(self) -> Dict[str, Any]: ...
    def to_table(self, verbose: bool = False) -> str: ...
    def to_csv(self) -> str: ...
    def levels(self) -> Any:
        """Per-level results: a pandas DataFrame, else a dict of NumPy arrays."""
    def write(self, path: _Path, format: str = "json") -> None:
        """Writes the record atomically: ``json``, ``table`` or ``csv``."""
    def plot(self, dir: _Path) -> List[Path]:
        """Draws the record's SVG pictures into ``dir`` (``clout plot``); their paths."""
    def svgs(self) -> Dict[str, str]:
        """The record's pictures as SVG text, by file name."""

def builtins() -> List[Tuple[str, str]]:
    """The built-in scenarios: ``(name, description)``."""

def read(*paths: _Path, partial: bool = False) -> Record:
    """Reads a record file, checked (``clout show``); several are merged (``clout merge``)."""

def merge(*records: Union[Record, _Path], partial: bool = False) -> Record:
    """Merges pieces of one run (records or files) into the whole run's record."""

def compare(
    comparison: str,
    *,
    trials: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    resume: Optional[Record] = None,
) -> Record:
    """Compares Career variants (``clout compare``): a compare file or ``variants-2026``."""

def forecast(
    history: _Path,
    *,
    scenario: Optional[Scenario] = None,
    years: float = 3.0,
    target: Optional[str] = None,
    started: Optional[str] = None,
    platform_day: Optional[float] = None,
    particles: Optional[int] = None,
    replicates: Optional[int] = None,
    noise: Optional[float] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> Record:
    """A creator's own history in, their chances out (``clout forecast``)."""
