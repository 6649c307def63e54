#!/usr/bin/env python3
"""Runs a regaudit plan (plan.sql and manifest.json beside this file) in Spark:
local mode by default, or a Spark Connect server with --remote sc://HOST:PORT.

The engine key is derived from the fingerprint secret in the environment
(REGAUDIT_FINGERPRINT_KEY, or the file named by REGAUDIT_FINGERPRINT_KEY_FILE)
and given to Spark as a one-row view: it is never in the script or the
findings table. No UDF runs: the plan is SQL only.

    python3 run_spark.py [--remote sc://...] [--findings PATH] [--format parquet|csv]
                         [--partitions N] [--table VIEW=TABLE ...]
"""
import argparse
import hashlib
import json
import os
import pathlib
import sys

LABEL = "regaudit sql value key v1:"


def engine_key():
    path = os.environ.get("REGAUDIT_FINGERPRINT_KEY_FILE")
    if path:
        secret = pathlib.Path(path).read_bytes().strip().decode("utf-8")
    else:
        secret = os.environ.get("REGAUDIT_FINGERPRINT_KEY", "").strip()
    if not secret:
        sys.exit("run_spark.py: set REGAUDIT_FINGERPRINT_KEY or REGAUDIT_FINGERPRINT_KEY_FILE")
    return hashlib.sha256((LABEL + secret).encode("utf-8")).hexdigest()


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remote", help="Spark Connect URL, e.g. sc://localhost:15002")
    parser.add_argument("--master", default="local[*]", help="master for local mode")
    parser.add_argument("--findings", default="findings.parquet", help="output folder")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--partitions", type=int, help="repartition each source (tests)")
    parser.add_argument("--table", action="append", default=[], metavar="VIEW=TABLE",
                        help="read a source from another table or path")
    args = parser.parse_args()
    manifest = json.loads((here / "manifest.json").read_text(encoding="utf-8"))
    statements = (here / "plan.sql").read_text(encoding="utf-8").split("\n;\n")

    from pyspark.sql import SparkSession

    if args.remote:
        spark = SparkSession.builder.remote(args.remote).getOrCreate()
    else:
        spark = (SparkSession.builder.master(args.master).appName("regaudit")
                 .config("spark.ui.enabled", "false")
                 .config("spark.sql.session.timeZone", "UTC")
                 # Local mode: a few shuffle partitions, not the cluster default of 200.
                 .config("spark.sql.shuffle.partitions", str(args.partitions or 4))
                 .getOrCreate())
    spark.createDataFrame([(engine_key(),)], "k string").createOrReplaceTempView("regaudit_key")
    overrides = dict(t.split("=", 1) for t in args.table)
    for source in manifest["sources"]:
        table = overrides.get(source["view"], source["table"])
        if source["is_path"] and source["view"] not in overrides:
            names = [c["name"] for c in source["columns"]]
            schema = ", ".join("`{}` string".format(n.replace("`", "``")) for n in names)
            if source["format"] == "csv":
                df = (spark.read.option("header", True).option("sep", source["delimiter"] or ",")
                      .option("quote", '"').option("escape", '"').option("multiLine", True)
                      .schema(schema).csv(table))
            elif source["format"] == "parquet":
                df = spark.read.parquet(table)
            else:
                df = spark.read.json(table)
        else:
            df = spark.table(table)
        if args.partitions:
            df = df.repartition(args.partitions)
        df.createOrReplaceTempView(source["view"])
    for statement in statements:
        code = "\n".join(l for l in statement.splitlines() if not l.startswith("--")).strip()
        if code:
            spark.sql(code)
    findings = spark.table("regaudit_findings").coalesce(1)
    writer = findings.write.mode("overwrite")
    if args.format == "csv":
        writer.option("header", True).csv(args.findings)
    else:
        writer.parquet(args.findings)
    for row in spark.table("regaudit_counts").orderBy("rule").collect():
        print(f"{row['rule']}\t{row['findings']}", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
