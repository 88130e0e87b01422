"""Shared fixtures: the repository, the `clout` binary the records are compared with."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo():
    """The repository's root (built-in scenarios' files, histories, compare files)."""
    return REPO


@pytest.fixture(scope="session")
def cli():
    """Runs the `clout` command line (CLOUT, else target/release/clout) and
    returns the completed process; the binary must exist (CI builds it)."""
    binary = pathlib.Path(os.environ.get("CLOUT", REPO / "target" / "release" / "clout"))
    if not binary.exists():
        pytest.fail(f"{binary}: no clout binary; build it (cargo build --release --bin clout) or set CLOUT")

    def run(*args, check=True):
        done = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=False, cwd=REPO)
        if check and done.returncode != 0:
            raise AssertionError(f"clout {' '.join(map(str, args))}: {done.stderr.decode()}")
        return done

    return run
