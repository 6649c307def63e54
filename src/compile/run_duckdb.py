#!/usr/bin/env python3
"""Runs a regaudit plan (plan.sql beside this file) in DuckDB.

The engine key is derived from the fingerprint secret in the environment
(REGAUDIT_FINGERPRINT_KEY, or the file named by REGAUDIT_FINGERPRINT_KEY_FILE)
and handed to DuckDB as a variable: it is never written to the script or to
the findings table.

    python3 run_duckdb.py [--findings PATH] [--database FILE] [--threads N]

--findings writes the findings table there (.parquet or .csv) instead of the
path the plan was made with.
"""
import argparse
import hashlib
import os
import pathlib
import sys

import duckdb

LABEL = "regaudit sql value key v1:"


def engine_key():
    path = os.environ.get("REGAUDIT_FINGERPRINT_KEY_FILE")
    if path:
        secret = pathlib.Path(path).read_bytes().strip().decode("utf-8")
    else:
        secret = os.environ.get("REGAUDIT_FINGERPRINT_KEY", "").strip()
    if not secret:
        sys.exit("run_duckdb.py: set REGAUDIT_FINGERPRINT_KEY or REGAUDIT_FINGERPRINT_KEY_FILE")
    return hashlib.sha256((LABEL + secret).encode("utf-8")).hexdigest()


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", help="write the findings table here (.parquet or .csv)")
    parser.add_argument("--database", default=":memory:", help="a DuckDB database file")
    parser.add_argument("--threads", type=int, help="DuckDB worker threads")
    parser.add_argument("--script", default=str(here / "plan.sql"))
    args = parser.parse_args()
    con = duckdb.connect(args.database)
    if args.threads:
        con.execute(f"SET threads = {int(args.threads)}")
    con.execute("SET VARIABLE regaudit_key = ?", [engine_key()])
    statements = pathlib.Path(args.script).read_text(encoding="utf-8").split("\n;\n")
    for statement in statements:
        code = "\n".join(l for l in statement.splitlines() if not l.startswith("--")).strip()
        if not code or (args.findings and code.startswith("COPY regaudit_findings")):
            continue
        con.execute(statement)
    if args.findings:
        fmt = "csv, header true" if args.findings.lower().endswith(".csv") else "parquet"
        con.execute(f"COPY regaudit_findings TO '{args.findings.replace(chr(39), chr(39) * 2)}' (FORMAT {fmt})")
    for rule, n in con.execute("SELECT rule, findings FROM regaudit_counts ORDER BY rule").fetchall():
        print(f"{rule}\t{n}", file=sys.stderr)


if __name__ == "__main__":
    main()
