#!/usr/bin/env bash
# The performance benchmark: regaudit vs hand-written DuckDB SQL vs merely
# reading the file, on synthetic registers of 1M and 5M rows (in /tmp).
#
#   bash benches/run.sh                 # ROWS="1000000 5000000" by default
#   ROWS=200000 bash benches/run.sh     # a quick run
#
# Prints, per size and register (findings-light: the synthetic register as
# generated; findings-heavy: the same files under a notice that excludes
# identity codes, about one finding per row): wall time, rows/s, MB/s,
# findings/s and peak RSS of regaudit (full JSON report) and of DuckDB SQL
# writing the same findings (benches/duckdb_checks.py), each the median of
# REPEAT alternating runs; `cat`, one `rg` regex and regaudit with every rule
# off for scale; the ratio regaudit/DuckDB against its target; and per-rule
# finding counts of both side by side (they must agree).
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

# DuckDB's own elapsed time (after Python has started and imported duckdb:
# the peer at its best, as from the DuckDB CLI) and its peak RSS.
measure_duckdb() {
  local log out
  log=$(mktemp); out=$(mktemp)
  /usr/bin/time -f "%M" -o "$log" python3 benches/duckdb_checks.py "$1" "$AS_OF" "$(nproc)" > "$out"
  echo "$(awk '/^seconds/{print $2}' "$out") $(cat "$log")"
  rm -f "$log" "$out"
}

# The median wall time and the largest peak RSS of several "seconds kb" lines.
median() {
  python3 -c 'import sys, statistics as st
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
print(st.median(r[0] for r in rows), max(r[1] for r in rows))'
}

echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)'), load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $ROWS; do
  light="$WORK/$n"
  if [ ! -f "$light/register.csv" ]; then
    "$BIN" synth --out "$light" --rows "$n" --seed 1 --as-of "$AS_OF"
  fi
  # The findings-heavy register: the same files, but the notice excludes
  # identity codes, so every valid code in the identity column (and in notes)
  # is an ID001 finding, about one per row. A real situation: the column
  # should not exist.
  heavy="$WORK/$n-heavy"
  mkdir -p "$heavy"
  for f in register.csv events.csv bans.csv regaudit.toml; do ln -sf "$light/$f" "$heavy/$f"; done
  sed -e 's/"user.government_id",/"user.government_id.business_id",/' \
      -e 's/^\[retention\]/excluded = ["user.government_id.national_identification_number"]\n\n[retention]/' \
      "$light/notice.toml" > "$heavy/notice.toml"

  bytes=$(stat -c %s "$light/register.csv")
  mb=$(python3 -c "print(f'{$bytes/1e6:.1f}')")
  sync
  cat "$light"/*.csv > /dev/null   # warm the page cache for every tool alike

  read -r cat_s cat_kb < <(measure cat "$light/register.csv")
  read -r rg_s rg_kb < <(measure rg -c '[0-9]{6}[-+A-FYXWVU][0-9]{3}[0-9A-Y]' "$light/register.csv")
  read -r read_s read_kb < <(measure "$BIN" scan "$light" --as-of "$AS_OF" --ignore ALL --fail-on never --format json -o "$light/read.json")
  for dir in "$light" "$heavy"; do
    ra_runs=""; dd_runs=""
    for _ in $(seq "$REPEAT"); do
      # Each run writes a new file, as a first scan does: replacing a large
      # file costs either tool an extra flush on ext4 (auto_da_alloc), about
      # 0.5 s for regaudit's 372 MB report, which is the file system's, not
      # the tool's.
      rm -f "$dir/report.json" "$dir/duckdb-findings.parquet"
      ra_runs+="$(measure "$BIN" scan "$dir" --as-of "$AS_OF" --format json --fail-on never -o "$dir/report.json")"$'\n'
      dd_runs+="$(measure_duckdb "$dir")"$'\n'
    done
    read -r ra_s ra_kb < <(echo "$ra_runs" | median)
    read -r dd_s dd_kb < <(echo "$dd_runs" | median)
    python3 benches/duckdb_checks.py "$dir" "$AS_OF" "$(nproc)" > "$dir/duckdb.txt"
    python3 benches/summary.py "$n" "$mb" "$dir" "$REPEAT" "$ra_s" "$ra_kb" "$dd_s" "$dd_kb" \
      "$cat_s" "$cat_kb" "$rg_s" "$rg_kb" "$read_s" "$read_kb"
  done
done
