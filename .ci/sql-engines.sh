#!/usr/bin/env bash
# The SQL engines of tests/sql_engines.rs (the differential test of
# `regaudit plan`): DuckDB and PySpark from PyPI in a virtualenv outside the
# clone, reused between runs, and Sail in a second one. Source it from .ci/run: it exports
# REGAUDIT_SQL_PYTHON and REGAUDIT_SAIL_PYTHON (the venvs' interpreters) and REGAUDIT_REQUIRE_SQL_ENGINES=1,
# so a missing engine fails the test instead of skipping it. Spark runs on the
# machine's Java (17 or newer). Prints how long the step took.
set -euo pipefail
sql_started=$SECONDS
SQL_VENV="${REGAUDIT_SQL_VENV:-$HOME/.cache/regaudit/sql-engines}"
if ! command -v java >/dev/null 2>&1; then
  echo "sql-engines: Spark needs Java 17+ (apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
if [ ! -x "$SQL_VENV/bin/python" ]; then
  python3 -m venv "$SQL_VENV"
fi
# Pinned to the releases the test was last run with; pip only downloads on the first run.
"$SQL_VENV/bin/pip" install --quiet --disable-pip-version-check "duckdb==2.0.1" "pyspark==4.3.0"
"$SQL_VENV/bin/python" -c 'import duckdb, pyspark; print("duckdb", duckdb.__version__, "pyspark", pyspark.__version__)'
java -version 2>&1 | head -1
# Sail (the Spark Connect server in Rust) in a virtualenv of its own: it needs
# the thin Connect client pyspark-client 4.0.1 (pyspark 4.3's client gets
# `session … is not running` from Sail 0.7.2), which cannot share a venv with pyspark.
SAIL_VENV="${REGAUDIT_SAIL_VENV:-$HOME/.cache/regaudit/sql-engines-sail}"
if [ ! -x "$SAIL_VENV/bin/python" ]; then
  python3 -m venv "$SAIL_VENV"
fi
"$SAIL_VENV/bin/pip" install --quiet --disable-pip-version-check "pysail==0.7.2" "pyspark-client==4.0.1"
"$SAIL_VENV/bin/python" -c 'import pysail, pyspark; print("pysail", pysail.__version__ if hasattr(pysail, "__version__") else "0.7.2", "pyspark-client", pyspark.__version__)'
export REGAUDIT_SAIL_PYTHON="$SAIL_VENV/bin/python"
export REGAUDIT_SQL_PYTHON="$SQL_VENV/bin/python"
export REGAUDIT_REQUIRE_SQL_ENGINES=1
echo "   (SQL engines ready in $((SECONDS - sql_started)) s)"
