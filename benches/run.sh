#!/usr/bin/env bash
# The performance benchmark: regaudit vs hand-written DuckDB SQL vs merely
# reading the file, on synthetic registers of 1M and 5M rows (in /tmp).
#
#   bash benches/run.sh                 # ROWS="1000000 5000000" by default
#   ROWS=200000 bash benches/run.sh     # a quick run
#
# Prints, per size: wall time, rows/s, MB/s and peak RSS of each tool (for
# regaudit and DuckDB the median of REPEAT alternating runs), the ratios
# regaudit/DuckDB and regaudit/read, and per-rule finding counts of regaudit
# and DuckDB side by side (they must agree).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-1000000 5000000}"
# regaudit and DuckDB run this many times each, alternating, and the median
# is reported: a shared VM's speed drifts by ±20 % over minutes.
REPEAT="${REPEAT:-3}"
AS_OF=2026-11-22
WORK="${BENCH_DIR:-/tmp/regaudit-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/regaudit/target}"
mkdir -p "$WORK"

python3 -c 'import duckdb' 2>/dev/null || pip install --quiet duckdb
command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

echo "building release binary…"
cargo build --release --quiet
BIN="$CARGO_TARGET_DIR/release/regaudit"

# Runs a command under /usr/bin/time; prints "seconds peak_rss_kb".
measure() {
  local log
  log=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$log" "$@" > /dev/null
  cat "$log"
  rm -f "$log"
}

# The median wall time and the largest peak RSS of several "seconds kb" lines.
median() {
  python3 -c 'import sys, statistics as st
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
print(st.median(r[0] for r in rows), max(r[1] for r in rows))'
}

echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for n in $ROWS; do
  dir="$WORK/$n"
  if [ ! -f "$dir/register.csv" ]; then
    "$BIN" synth --out "$dir" --rows "$n" --seed 1 --as-of "$AS_OF"
  fi
  bytes=$(stat -c %s "$dir/register.csv")
  mb=$(python3 -c "print(f'{$bytes/1e6:.1f}')")
  sync
  cat "$dir"/*.csv > /dev/null   # warm the page cache for every tool alike

  read -r cat_s cat_kb < <(measure cat "$dir/register.csv")
  read -r rg_s rg_kb < <(measure rg -c '[0-9]{6}[-+A-FYXWVU][0-9]{3}[0-9A-Y]' "$dir/register.csv")
  ra_runs=""; dd_runs=""
  for _ in $(seq "$REPEAT"); do
    ra_runs+="$(measure "$BIN" scan "$dir" --as-of "$AS_OF" --format json --fail-on never -o "$dir/report.json")"$'\n'
    dd_runs+="$(measure python3 benches/duckdb_checks.py "$dir" "$AS_OF" "$(nproc)")"$'\n'
  done
  read -r ra_s ra_kb < <(echo "$ra_runs" | median)
  read -r dd_s dd_kb < <(echo "$dd_runs" | median)
  # Memory of the row-level rules alone, with findings spilled past 100k: it
  # should not grow with the row count (the marketing join is bounded by the logs).
  read -r rl_s rl_kb < <(measure "$BIN" scan "$dir" --as-of "$AS_OF" --format json --fail-on never \
    --ignore MKT --findings-in-memory 100000 -o "$dir/report-rows.json")
  python3 benches/duckdb_checks.py "$dir" "$AS_OF" "$(nproc)" > "$dir/duckdb.txt"

  python3 - "$n" "$mb" "$cat_s" "$cat_kb" "$rg_s" "$rg_kb" "$ra_s" "$ra_kb" "$dd_s" "$dd_kb" "$dir" "$rl_s" "$rl_kb" "$REPEAT" <<'PY'
import json, sys
n, mb = int(sys.argv[1]), float(sys.argv[2])
cat_s, cat_kb, rg_s, rg_kb, ra_s, ra_kb, dd_s, dd_kb = map(float, sys.argv[3:11])
d = sys.argv[11]
rl_s, rl_kb = map(float, sys.argv[12:14])
print(f"\n== {n:,} rows, register.csv {mb} MB")
print(f"{'tool':<28}{'wall s':>9}{'rows/s':>14}{'MB/s':>9}{'peak RSS MiB':>14}")
for name, s, kb in [("cat > /dev/null", cat_s, cat_kb), ("rg (one regex)", rg_s, rg_kb),
                    ("regaudit (all rules)", ra_s, ra_kb), ("DuckDB SQL (same checks)", dd_s, dd_kb),
                    ("regaudit rows, spill 100k", rl_s, rl_kb)]:
    print(f"{name:<28}{s:>9.2f}{n / max(s, 1e-9):>14,.0f}{mb / max(s, 1e-9):>9.1f}{kb / 1024:>14.0f}")
print(f"ratio regaudit/DuckDB {ra_s / dd_s:.2f} (median of {sys.argv[14]} runs each)   regaudit/cat {ra_s / max(cat_s, 0.01):.1f}   regaudit/rg {ra_s / max(rg_s, 0.01):.2f}")
ours = json.load(open(f"{d}/report.json"))["summary"]["by_rule"]
theirs = dict(l.split() for l in open(f"{d}/duckdb.txt") if not l.startswith("seconds"))
print("findings per rule (regaudit / DuckDB):", ", ".join(
    f"{r} {ours.get(r, 0)}/{theirs.get(r)}" + ("" if ours.get(r, 0) == int(theirs.get(r, -1)) else " DIFFERS")
    for r in sorted(theirs)))
PY
done
