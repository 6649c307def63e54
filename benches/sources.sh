#!/usr/bin/env bash
# Throughput of each register source on one synthetic register (1M rows by
# default): the CSV as generated, and the same rows as Parquet, XLSX, SQLite,
# PostgreSQL and MariaDB. Prints wall time, rows/s and peak RSS per source;
# every source must give the CSV's finding count.
#
#   bash benches/sources.sh            # ROWS=1000000
#   ROWS=100000 bash benches/sources.sh
#
# Needs python3 with duckdb (writes the Parquet file), sqlite3, and the
# database servers of .ci/databases.sh (started and stopped here unless
# REGAUDIT_TEST_POSTGRES_URL and REGAUDIT_TEST_MYSQL_URL name running ones).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-1000000}"
AS_OF=2026-11-22
WORK="${BENCH_DIR:-/tmp/regaudit-sources-bench}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/regaudit/target}"
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
python3 -c 'import duckdb' 2>/dev/null || pip install --quiet duckdb

source .ci/databases.sh
if [ -z "${REGAUDIT_TEST_POSTGRES_URL:-}" ] || [ -z "${REGAUDIT_TEST_MYSQL_URL:-}" ]; then
  trap databases_stop EXIT
  databases_start
fi

# REGAUDIT_BIN: an already built binary (e.g. a quick look with a debug build).
BIN="${REGAUDIT_BIN:-}"
if [ -z "$BIN" ]; then
  echo "building the release binary…"
  cargo build --release --quiet
  BIN="$CARGO_TARGET_DIR/release/regaudit"
fi
"$BIN" synth --out "$WORK" --rows "$ROWS" --as-of "$AS_OF" >/dev/null
CSV="$WORK/register.csv"
HEADER="$(head -1 "$CSV")"
COLUMNS_SQL="$(echo "$HEADER" | tr ',' '\n' | sed 's/.*/"&" TEXT/' | paste -sd, -)"

echo "writing the sources…"
rm -f "$WORK/register.parquet" "$WORK/register.db" "$WORK/register.xlsx"
python3 - "$CSV" "$WORK/register.parquet" <<'EOF'
import sys, duckdb
duckdb.sql(f"COPY (SELECT * FROM read_csv('{sys.argv[1]}', all_varchar=true, header=true)) "
           f"TO '{sys.argv[2]}' (FORMAT parquet, ROW_GROUP_SIZE 100000)")
EOF
sqlite3 "$WORK/register.db" ".import --csv $CSV register"
psql "$REGAUDIT_TEST_POSTGRES_URL" -q -v ON_ERROR_STOP=1 \
  -c "DROP TABLE IF EXISTS register" -c "CREATE TABLE register ($COLUMNS_SQL)" \
  -c "\\copy register FROM '$CSV' CSV HEADER"
MYSQL_COLUMNS="$(echo "$HEADER" | tr ',' '\n' | sed 's/.*/`&` TEXT/' | paste -sd, -)"
MYSQL_PWD="$DB_PASSWORD" mariadb --no-defaults --local-infile=1 -h 127.0.0.1 -P "$DB_MY_PORT" \
  -u regaudit regaudit -e "DROP TABLE IF EXISTS register;
    CREATE TABLE register ($MYSQL_COLUMNS) DEFAULT CHARSET = utf8mb4;
    LOAD DATA LOCAL INFILE '$CSV' INTO TABLE register CHARACTER SET utf8mb4
      FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' IGNORE 1 LINES;"
REGAUDIT_BENCH_CSV="$CSV" REGAUDIT_BENCH_XLSX="$WORK/register.xlsx" \
  cargo test --quiet --test sources -- --ignored --exact write_bench_workbook >/dev/null

config() { # NAME DATA-LINES
  printf '[registers.synth]\nnotice = "notice.toml"\nkey = "asiakasnumero"\n%s\n' "$2" > "$WORK/$1.toml"
  echo "$WORK/$1.toml"
}

printf '\n%-10s %8s %10s %10s %10s\n' source "wall s" "rows/s" "peak RSS" findings
for source in csv parquet xlsx sqlite postgres mariadb; do
  case $source in
    csv) data='data = "register.csv"' ;;
    parquet) data='data = "register.parquet"' ;;
    xlsx) data='data = "register.xlsx"' ;;
    sqlite) data='data = "sqlite://register.db"
table = "register"' ;;
    postgres) data="data = \"$REGAUDIT_TEST_POSTGRES_URL\"
table = \"register\"" ;;
    mariadb) data="data = \"$REGAUDIT_TEST_MYSQL_URL\"
table = \"register\"" ;;
  esac
  cfg="$(config "bench-$source" "$data")"
  log="$(mktemp)"
  set +e
  /usr/bin/time -f "%e %M" -o "$log" "$BIN" scan "$cfg" --as-of "$AS_OF" --format json \
    > "$WORK/report-$source.json"
  set -e
  read -r secs rss < <(tail -1 "$log")
  findings="$(grep -c '"rule":' "$WORK/report-$source.json" || true)"
  printf '%-10s %8s %10s %9s %10s\n' "$source" "$secs" \
    "$(python3 -c "print(f'{$ROWS/$secs/1000:.0f}k')")" "$((rss / 1024))M" "$findings"
done
