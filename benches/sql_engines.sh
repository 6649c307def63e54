#!/usr/bin/env bash
# Throughput of the SQL route next to the local engine, on a generated
# register: scan, then plan + run + report for DuckDB and Spark local mode,
# each timed from start to findings written (runner start, Python and Spark's
# JVM included), with peak RSS (of the runner's own process; Spark's JVM, its
# child's child, is sampled apart); the canonical findings are compared.
#
#   ROWS=200000 bash benches/sql_engines.sh          # ENGINES="duckdb spark sail" by default
#
# Needs a release build (cargo build --release) and the engines' virtualenvs
# (.ci/sql-engines.sh). Data goes to /tmp/regaudit-sql-bench/ROWS. Sail runs
# as a Spark Connect server started here (`sail spark server`), timed from
# the client's start; its peak RSS is the server's.
set -euo pipefail
ROWS=${ROWS:-200000}
ENGINES=${ENGINES:-duckdb spark sail}
SELECT=${SELECT:-ID,CAT,TRF,LB,RET,MKT,ACC,COV}
AS_OF=2026-11-22
PY=${REGAUDIT_SQL_PYTHON:-$HOME/.cache/regaudit/sql-engines/bin/python}
SAIL_PY=${REGAUDIT_SAIL_PYTHON:-$HOME/.cache/regaudit/sql-engines-sail/bin/python}
BIN=${REGAUDIT_BIN:-${CARGO_TARGET_DIR:-target}/release/regaudit}
DIR=/tmp/regaudit-sql-bench/$ROWS
export REGAUDIT_FINGERPRINT_KEY=${REGAUDIT_FINGERPRINT_KEY:-benchkey}
mkdir -p "$DIR"
[ -f "$DIR/synth/regaudit.toml" ] || "$BIN" synth --rows "$ROWS" --out "$DIR/synth" >/dev/null
cd "$DIR"
echo "register: $ROWS rows, $(du -sh synth | cut -f1), rules $SELECT, load $(cut -d' ' -f1-3 /proc/loadavg)"

timed() { # label, command…
    local label=$1; shift
    # Exit 1 is a scan's "findings found"; anything else is a failure.
    local status=0
    /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null 2>run.err || status=$?
    if [ "$status" -gt 1 ]; then cat run.err; exit 2; fi
    read -r wall rss < <(tail -n 1 time.txt)
    printf '%-8s %8.1f s wall %8.0f rows/s %6d MiB peak RSS\n' "$label" "$wall" \
        "$(echo "$ROWS / $wall" | bc -l)" $((rss / 1024))
}

canonical() { # report.json → sorted canonical findings
    "$PY" -c 'import json,sys
r=json.load(open(sys.argv[1]))
for f in sorted(tuple(str(f.get(k) or "") for k in ("rule","severity","register","file","record","column","evidence","message")) for f in r["findings"]): print(f)' "$1"
}

rm -f local.json
timed local "$BIN" scan --config synth/regaudit.toml --as-of $AS_OF --select "$SELECT" \
    --format json -o local.json
canonical local.json > local.canon
echo "local: $(wc -l < local.canon) findings"
for engine in $ENGINES; do
    rm -rf "plan-$engine" "findings-$engine"*
    "$BIN" plan --engine "${engine/sail/spark}" --out-dir "plan-$engine" --config synth/regaudit.toml \
        --as-of $AS_OF --select "$SELECT" 2>/dev/null
    case $engine in
        duckdb) timed duckdb "$PY" plan-duckdb/run_duckdb.py --threads 2 \
                    --findings findings-duckdb.parquet
                table=findings-duckdb.parquet ;;
        spark) # The JVM is not the runner's own process: sample its RSS.
               echo 0 > jvm-peak.txt
               ( peak=0; while sleep 0.5; do
                   rss=$(ps -C java -o rss= | awk '{s += $1} END {print s + 0}')
                   if [ "$rss" -gt "$peak" ]; then peak=$rss; echo $peak > jvm-peak.txt; fi
                 done ) &
               sampler=$!
               timed spark "$PY" plan-spark/run_spark.py --master 'local[2]' \
                    --findings findings-spark --format parquet
               kill $sampler; wait $sampler 2>/dev/null || true
               echo "spark JVM peak RSS $(( $(cat jvm-peak.txt) / 1024 )) MiB (sampled every 0.5 s)"
               table=findings-spark ;;
        sail) port=50151
              /usr/bin/time -f "%M" -o sail-server.txt "$(dirname "$SAIL_PY")/sail" spark server \
                  --port $port >sail-server.log 2>&1 &
              server=$!
              until (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.2; done
              timed sail "$SAIL_PY" plan-sail/run_spark.py --remote "sc://127.0.0.1:$port" \
                  --findings "$DIR/findings-sail" --format parquet
              kill -INT "$(pgrep -P "$server")" 2>/dev/null || kill -INT $server; wait $server || true
              echo "sail server peak RSS $(( $(tail -n 1 sail-server.txt) / 1024 )) MiB"
              table=findings-sail ;;
    esac
    "$BIN" report --findings "$table" --manifest "plan-$engine/manifest.json" --format json \
        -o "$engine.json" || true
    canonical "$engine.json" > "$engine.canon"
    if cmp -s local.canon "$engine.canon"; then
        echo "$engine: the same $(wc -l < "$engine.canon") findings as local"
    else
        echo "$engine: findings DIFFER from local"; exit 1
    fi
done
