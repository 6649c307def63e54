#!/usr/bin/env python3
"""Test driver of tests/sql_engines.rs: runs several regaudit plans in ONE
Spark session, so the differential test starts one JVM (or connects to one
Spark Connect server) instead of one per variant.

    python3 spark_jobs.py JOBS.json

JOBS.json: {"remote": null | "sail" | "sc://HOST:PORT",
            "jobs": [{"plan": DIR, "findings": PATH, "format": "parquet"|"csv",
                      "partitions": N, "ansi": true|false,
                      "time_zone": null | ZONE (the session's, before the plan sets UTC)}]}
"sail" starts the Sail Spark Connect server (pip pysail) in this process on a
free port and stops it at the end. Each plan runs through the run_spark.py
that `regaudit plan` wrote beside it, the code a user runs. Prints the time
of each job and of the whole session on stderr.
"""
import importlib.util
import json
import pathlib
import sys
import time


def runner(plan_dir):
    spec = importlib.util.spec_from_file_location("run_spark", pathlib.Path(plan_dir) / "run_spark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    started = time.monotonic()
    spec = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    jobs = spec["jobs"]
    remote = spec.get("remote")
    server = None
    # Sail's JSON reader rejects a number or boolean in a string field.
    infer_json = remote == "sail"
    if remote == "sail":
        from pysail.spark import SparkConnectServer

        server = SparkConnectServer("127.0.0.1", 0)
        server.start(background=True)
        remote = "sc://127.0.0.1:{}".format(server.listening_address[1])
    module = runner(jobs[0]["plan"])
    spark = module.session(remote)
    if not remote:
        # The plans are large and the test's registers tiny: compiling Java
        # for each query's whole stages took longer than running them (110 s
        # against 42 s for the generated register's plan). Results are the
        # same either way; a real run keeps Spark's default.
        spark.conf.set("spark.sql.codegen.wholeStage", "false")
    print(f"spark_jobs: session ready in {time.monotonic() - started:.1f} s", file=sys.stderr)
    try:
        for job in jobs:
            t = time.monotonic()
            if not job.get("ansi", True):
                spark.conf.set("spark.sql.ansi.enabled", "false")
            if job.get("time_zone"):
                spark.conf.set("spark.sql.session.timeZone", job["time_zone"])
            counts = runner(job["plan"]).run(spark, job["plan"], job["findings"],
                                             job.get("format", "parquet"), job.get("partitions"),
                                             infer_json=infer_json)
            if not job.get("ansi", True):
                spark.conf.set("spark.sql.ansi.enabled", "true")
            print(f"spark_jobs: {job['findings']}: {sum(counts.values())} findings "
                  f"in {time.monotonic() - t:.1f} s", file=sys.stderr)
    finally:
        spark.stop()
        if server is not None:
            server.stop()
    print(f"spark_jobs: {len(jobs)} jobs in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
