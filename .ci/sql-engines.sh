#!/usr/bin/env bash
# The SQL engines of tests/sql_engines.rs (the differential test of
# `regaudit plan`): DuckDB and PySpark from PyPI in a virtualenv outside the
# clone, reused between runs. Source it from .ci/run: it exports
# REGAUDIT_SQL_PYTHON (the venv's interpreter) and REGAUDIT_REQUIRE_SQL_ENGINES=1,
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
export REGAUDIT_SQL_PYTHON="$SQL_VENV/bin/python"
export REGAUDIT_REQUIRE_SQL_ENGINES=1
echo "   (SQL engines ready in $((SECONDS - sql_started)) s)"
