#!/usr/bin/env bash
# CI for the Python bindings (called by .ci/run from the repository's root):
# a fresh virtual environment, maturin, pytest, NumPy and pandas from PyPI,
# the package built and installed from python/ as a user installs it, and
# its tests run against the `clout` binary of the same checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  # Debian's python3 ships venv and ensurepip in python3-venv.
  apt-get install -y -q python3-venv >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q python3-venv >/dev/null; }
fi
venv="$(mktemp -d)/venv"
trap 'rm -rf "$(dirname "$venv")"' EXIT
python3 -m venv "$venv"
export PATH="$venv/bin:$PATH"   # the venv's maturin, for the build without isolation
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet maturin pytest numpy pandas
# The README's one command (without build isolation: maturin is already here).
"$venv/bin/pip" install --quiet --no-build-isolation ./python
# The CLI the records are compared with: CLOUT (.ci/run built it), else built here.
if [ -z "${CLOUT:-}" ]; then
  cargo build --release --bin clout
  CLOUT="${CARGO_TARGET_DIR:-$PWD/target}/release/clout"
fi
# Run from the root, not python/, so the installed package is the one imported.
CLOUT="$CLOUT" "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
