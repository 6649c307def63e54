#!/usr/bin/env python3
"""Runs a regaudit plan (plan.sql and manifest.json beside this file) in Spark:
local mode by default, or a Spark Connect server with --remote sc://HOST:PORT.

The engine key is derived from the fingerprint secret in the environment
(REGAUDIT_FINGERPRINT_KEY, or the file named by REGAUDIT_FINGERPRINT_KEY_FILE)
and given to Spark as a one-row view: it is never in the script or the
findings table. No UDF runs: the plan is SQL only.

    python3 run_spark.py [--remote sc://...] [--findings PATH] [--format parquet|csv]
                         [--partitions N] [--table VIEW=TABLE ...] [--infer-json]
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


def session(remote=None, master="local[*]"):
    """A Spark session: over Spark Connect with `remote`, else in local mode."""
    from pyspark.sql import SparkSession

    if remote:
        return SparkSession.builder.remote(remote).getOrCreate()
    return (SparkSession.builder.master(master).appName("regaudit")
            .config("spark.ui.enabled", "false")
            # Local mode's default heap (1 GiB) ran out on the plans' large
            # queries with four partitions; the driver is the executor here.
            .config("spark.driver.memory", "3g")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


def run(spark, here, findings, fmt="parquet", partitions=None, tables=(), infer_json=False):
    """Runs the plan in folder `here` in `spark` and writes the findings table
    to `findings`; returns the findings per rule. Several plans may run in one
    session, one after the other (each replaces the views of the one before)."""
    here = pathlib.Path(here)
    manifest = json.loads((here / "manifest.json").read_text(encoding="utf-8"))
    statements = (here / "plan.sql").read_text(encoding="utf-8").split("\n;\n")
    # Local mode: a few shuffle partitions, not the cluster default of 200.
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions or 4))
    spark.createDataFrame([(engine_key(),)], "k string").createOrReplaceTempView("regaudit_key")
    overrides = dict(t.split("=", 1) for t in tables)
    for source in manifest["sources"]:
        table = overrides.get(source["view"], source["table"])
        names = [c["name"] for c in source["columns"]]
        nested = source["format"] in ("json", "ndjson")
        if source["is_path"] and source["view"] not in overrides:
            schema = ", ".join("`{}` string".format(n.replace("`", "``")) for n in names)
            if source["format"] == "csv":
                df = (spark.read.option("header", True).option("sep", source["delimiter"] or ",")
                      .option("quote", '"').option("escape", '"').option("multiLine", True)
                      .schema(schema).csv(table))
            elif source["format"] == "parquet":
                df = spark.read.parquet(table)
            else:
                # Every leaf as text (its JSON text when not a string): with
                # a schema of strings, or inferred and turned to text below.
                reader = spark.read.option("multiLine", source["format"] == "json")
                df = reader.json(table) if infer_json else reader.schema(source["spark_schema"]).json(table)
        else:
            df = spark.table(table)
        if nested:
            df = flattened(df, names)
        # A marketing log's order decides which ban is named, a register's
        # which row gives a record's profile: numbered as read (a file's rows
        # in file order), before any repartition.
        from pyspark.sql.functions import monotonically_increasing_id

        df = df.withColumn("__regaudit_order", monotonically_increasing_id())
        if partitions:
            df = df.repartition(partitions)
        df.createOrReplaceTempView(source["view"])
    for statement in statements:
        code = "\n".join(l for l in statement.splitlines() if not l.startswith("--")).strip()
        if code.startswith("SET spark.sql.session.timeZone"):
            # Through the session's conf: the same setting, and Spark Connect
            # servers whose SQL parser takes no SET of it (Sail) accept it too.
            spark.conf.set("spark.sql.session.timeZone", "UTC")
        elif code:
            spark.sql(code)
    table = spark.table("regaudit_findings").coalesce(1)
    writer = table.write.mode("overwrite")
    if fmt == "csv":
        writer.option("header", True).csv(str(findings))
    else:
        writer.parquet(str(findings))
    return {row["rule"]: row["findings"]
            for row in spark.table("regaudit_counts").orderBy("rule").collect()}


def flattened(df, names):
    """A JSON source as the local reader sees it: each struct field a column
    named by its dotted path (`yhteystiedot.sahkoposti`), every leaf text
    (strings as they are, numbers and booleans cast, arrays and maps as JSON
    text), and a column of `names` that is no leaf here (a key that holds an
    object in some records) null, as in DuckDB. Flat columns, not struct
    paths, in the plan: Sail 0.7.2 fails on struct fields beside a lambda."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, MapType, StringType, StructType

    columns = {}

    def walk(column, dtype, name):
        if isinstance(dtype, StructType):
            for f in dtype.fields:
                walk(column.getField(f.name), f.dataType, name + "." + f.name)
        elif isinstance(dtype, (ArrayType, MapType)):
            columns[name] = F.to_json(column)
        elif isinstance(dtype, StringType):
            columns[name] = column
        else:
            columns[name] = column.cast("string")

    for f in df.schema.fields:
        walk(F.col("`{}`".format(f.name.replace("`", "``"))), f.dataType, f.name)
    return df.select(*[columns.get(name, F.lit(None).cast("string")).alias(name) for name in names])


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
    parser.add_argument("--infer-json", action="store_true",
                        help="read JSON sources with schema inference, leaves turned to text here "
                             "(for Spark Connect servers such as Sail that reject the string schema)")
    args = parser.parse_args()
    spark = session(args.remote, args.master)
    counts = run(spark, here, args.findings, args.format, args.partitions, args.table,
                 args.infer_json)
    for rule, n in counts.items():
        print(f"{rule}\t{n}", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
