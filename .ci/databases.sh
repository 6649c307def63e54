# PostgreSQL and MariaDB for the source tests (tests/sources.rs), started on
# local, non-default ports in temporary data directories and stopped again.
# Source it, then `databases_start` (exports REGAUDIT_TEST_POSTGRES_URL and
# REGAUDIT_TEST_MYSQL_URL) and `trap databases_stop EXIT`. Installs Debian's
# packages when missing. The servers run as an unprivileged user (PostgreSQL
# refuses root): `nobody` when this script runs as root, else the caller.
#
# By hand: `source .ci/databases.sh && databases_start`, then `cargo test
# --test sources`, then `databases_stop`.

DB_PG_PORT="${DB_PG_PORT:-54329}"
DB_MY_PORT="${DB_MY_PORT:-33069}"
# A test-only password; the credential tests check it never appears in output.
DB_PASSWORD="regaudit-ci-Pw-3k9x"

db_as_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

db_install() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1 \
    || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]}"
    apt-get update -qq
    # The packages' own services are not wanted: ours run in temporary folders.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

db_start_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  DB_PG_DIR="$(mktemp -d /tmp/regaudit-pg.XXXXXX)"
  chmod 0777 "$DB_PG_DIR"
  echo "$DB_PASSWORD" > "$DB_PG_DIR/pw"
  chmod 0644 "$DB_PG_DIR/pw"
  db_as_user "$bin/initdb" -D "$DB_PG_DIR/data" -U postgres --pwfile="$DB_PG_DIR/pw" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  db_as_user "$bin/pg_ctl" -D "$DB_PG_DIR/data" -l "$DB_PG_DIR/log" -w start \
    -o "-p $DB_PG_PORT -k $DB_PG_DIR -c listen_addresses=127.0.0.1" >/dev/null
  db_as_user "$bin/psql" -h "$DB_PG_DIR" -p "$DB_PG_PORT" -U postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE regaudit LOGIN PASSWORD '$DB_PASSWORD'" \
    -c "CREATE DATABASE regaudit OWNER regaudit ENCODING 'UTF8'" >/dev/null
  DB_PG_BIN="$bin"
  export REGAUDIT_TEST_POSTGRES_URL="postgres://regaudit:$DB_PASSWORD@127.0.0.1:$DB_PG_PORT/regaudit"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$DB_PG_PORT"
}

db_start_mariadb() {
  local server install client
  server="$(command -v mariadbd || command -v mysqld || echo /usr/sbin/mariadbd)"
  install="$(command -v mariadb-install-db || command -v mysql_install_db)"
  client="$(command -v mariadb || command -v mysql)"
  DB_MY_DIR="$(mktemp -d /tmp/regaudit-my.XXXXXX)"
  chmod 0777 "$DB_MY_DIR"
  local user=()
  [ "$(id -u)" -eq 0 ] && user=(--user=nobody)
  db_as_user "$install" --no-defaults --datadir="$DB_MY_DIR/data" "${user[@]}" \
    --auth-root-authentication-method=normal >/dev/null
  db_as_user "$server" --no-defaults --datadir="$DB_MY_DIR/data" "${user[@]}" \
    --port="$DB_MY_PORT" --bind-address=127.0.0.1 --socket="$DB_MY_DIR/sock" \
    --pid-file="$DB_MY_DIR/pid" --log-error="$DB_MY_DIR/log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    >>"$DB_MY_DIR/out" 2>&1 &
  local tries=0
  until "$client" --no-defaults -S "$DB_MY_DIR/sock" -u root -e "SELECT 1" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then
      echo "MariaDB did not start:" >&2
      cat "$DB_MY_DIR/log" >&2
      return 1
    fi
    sleep 0.5
  done
  "$client" --no-defaults -S "$DB_MY_DIR/sock" -u root -e "
    CREATE DATABASE regaudit CHARACTER SET utf8mb4;
    CREATE USER 'regaudit'@'%' IDENTIFIED BY '$DB_PASSWORD';
    CREATE USER 'regaudit'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
    GRANT ALL ON regaudit.* TO 'regaudit'@'%';
    GRANT ALL ON regaudit.* TO 'regaudit'@'localhost';"
  DB_MY_CLIENT="$client"
  export REGAUDIT_TEST_MYSQL_URL="mysql://regaudit:$DB_PASSWORD@127.0.0.1:$DB_MY_PORT/regaudit"
  echo "MariaDB $("$server" --version | awk '{print $3}') on 127.0.0.1:$DB_MY_PORT"
}

databases_start() {
  db_install
  db_start_postgres
  db_start_mariadb
  # The source tests fail, not skip, when a server is missing.
  export REGAUDIT_REQUIRE_DATABASES=1
}

databases_stop() {
  if [ -n "${DB_PG_DIR:-}" ]; then
    db_as_user "$DB_PG_BIN/pg_ctl" -D "$DB_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$DB_PG_DIR"
    DB_PG_DIR=""
  fi
  if [ -n "${DB_MY_DIR:-}" ]; then
    "$DB_MY_CLIENT" --no-defaults -S "$DB_MY_DIR/sock" -u root -e "SHUTDOWN" >/dev/null 2>&1 || true
    local tries=0
    while [ -e "$DB_MY_DIR/pid" ] && [ "$tries" -lt 40 ]; do
      sleep 0.25
      tries=$((tries + 1))
    done
    rm -rf "$DB_MY_DIR"
    DB_MY_DIR=""
  fi
}
