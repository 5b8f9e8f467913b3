#!/usr/bin/env bash
# Installs the real peers the test suite drives, on Debian 12 (needs root or sudo):
# Jupyter's Python clients and conformance suite, jupyter-console, nbclient, matplotlib,
# and a Python environment (.venv) with DuckDB, pandas and matplotlib for the local runner, taken from
# the machine's pip indexes (no PyPI needed when a local wheelhouse is configured); for the browser
# test, Debian's chromium and a JupyterLab 4 environment (.venv-lab); a JDK, whose lexer checks the Scala
# string literals %%sql generates.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

packages=(jupyter-client jupyter-console python3-jupyter-client python3-ipykernel python3-jupyter-kernel-test
  python3-nbclient jupyter-nbconvert python3-pytest python3-matplotlib python3-venv python3-pip python3-boto3 tmux
  chromium fonts-dejavu-core openjdk-17-jdk-headless)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The first configured index is the machine's local wheelhouse; passing it as the only index
# keeps pip from waiting on an unreachable PyPI. Elsewhere pip uses its usual index.
index=$(/usr/bin/python3 -m pip config get global.extra-index-url 2>/dev/null | awk '{print $1}' || true)
if [ -z "$index" ]; then index=$(python3 -m pip config get global.extra-index-url 2>/dev/null | awk '{print $1}' || true); fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import duckdb.experimental.spark, pandas, matplotlib, plotly' 2>/dev/null; then
  /usr/bin/python3 -m venv .venv
  if [ -n "$index" ]; then
    .venv/bin/pip install --quiet --index-url "$index" duckdb pandas matplotlib plotly typing_extensions
  else
    .venv/bin/pip install --quiet duckdb pandas matplotlib plotly typing_extensions
  fi
fi
.venv/bin/python -c 'import duckdb, pandas, matplotlib; print("runner venv: duckdb", duckdb.__version__, "pandas", pandas.__version__, "matplotlib", matplotlib.__version__)'

# JupyterLab 4 for test/integration/browser (driven through chromium by playwright-core).
if [ ! -x .venv-lab/bin/jupyter-lab ] ||
  ! .venv-lab/bin/python -c 'import sys, jupyterlab; sys.exit(jupyterlab.__version__.split(".")[0] != "4")' 2>/dev/null; then
  /usr/bin/python3 -m venv .venv-lab
  if [ -n "$index" ]; then
    # Only the first (local) index: pip then never waits on PyPI or on a missing wheelhouse.
    PIP_EXTRA_INDEX_URL="$index" .venv-lab/bin/pip install --quiet --index-url "$index" 'jupyterlab>=4,<5'
  else
    .venv-lab/bin/pip install --quiet 'jupyterlab>=4,<5'
  fi
fi
echo "browser test: $(.venv-lab/bin/jupyter-lab --version | sed 's/^/JupyterLab /'), $(/usr/bin/chromium --version 2>/dev/null)"
