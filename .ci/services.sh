#!/usr/bin/env bash
# Installs and starts what the end-to-end suite needs: PostgreSQL 15, MariaDB
# and Redis from Debian's packages, on 127.0.0.1 only. Idempotent: a second run
# finds the servers up and changes nothing. Prints the variables to export.
set -euo pipefail

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# scaffold review parses Python with tree-sitter through cgo: building needs a C compiler.
command -v gcc >/dev/null 2>&1 || need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

# PostgreSQL on 127.0.0.1:5432
pg_ctlcluster --skip-systemctl-redirect 15 main start >/dev/null 2>&1 || true
for i in $(seq 1 30); do su postgres -c "pg_isready -q -h 127.0.0.1" && break; sleep 1; done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='app'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE app LOGIN SUPERUSER PASSWORD 'app'\"" >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='app'\"" | grep -q 1 ||
  su postgres -c "createdb -O app app" >&2

# MariaDB on 127.0.0.1:3306
if ! mariadb-admin ping >/dev/null 2>&1; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --chuid mysql --exec /usr/sbin/mariadbd -- --bind-address=127.0.0.1 >&2
  for i in $(seq 1 30); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 1; done
fi
mariadb -uroot -e "CREATE DATABASE IF NOT EXISTS app; CREATE USER IF NOT EXISTS 'app'@'127.0.0.1' IDENTIFIED BY 'app'; GRANT ALL ON *.* TO 'app'@'127.0.0.1';"

# Redis on 127.0.0.1:6379, nothing kept on disk
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 ||
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >&2

echo "export SCAFFOLD_TEST_POSTGRES_URL=postgresql://app:app@127.0.0.1:5432/app"
echo "export SCAFFOLD_TEST_MYSQL_URL=mysql://app:app@127.0.0.1:3306/app"
echo "export SCAFFOLD_TEST_REDIS_URL=redis://127.0.0.1:6379/0"

# Local stand-ins for providers, built from the Go module proxy once and kept in a cache directory:
# stripe-mock (Stripe's API, stateless) and Mailpit (SMTP in, an HTTP API to read what arrived).
tools="${SCAFFOLD_TOOLS_DIR:-$HOME/.cache/scaffold-tools}"
mkdir -p "$tools"
[ -x "$tools/stripe-mock" ] || GOBIN="$tools" go install github.com/stripe/stripe-mock@v0.203.0 >&2
[ -x "$tools/mailpit" ] || GOBIN="$tools" go install github.com/axllent/mailpit@v1.33.1 >&2
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
start_tool() { # name, port, command...: start it detached unless the port answers; record its pid
  local name=$1 port=$2; shift 2
  up "$port" && return 0
  setsid "$@" >"$tools/$name.log" 2>&1 < /dev/null &
  echo $! > "$tools/$name.pid"
  for i in $(seq 1 50); do up "$port" && return 0; sleep 0.2; done
  echo "$name did not start; see $tools/$name.log" >&2; return 1
}
start_tool stripe-mock 12111 "$tools/stripe-mock" -http-addr 127.0.0.1:12111 -https-addr 127.0.0.1:12112
start_tool mailpit 1025 "$tools/mailpit" --smtp 127.0.0.1:1025 --listen 127.0.0.1:8025 \
  --smtp-auth-accept-any --smtp-auth-allow-insecure

echo "export SCAFFOLD_TEST_STRIPE_URL=http://127.0.0.1:12111"
echo "export SCAFFOLD_TEST_SMTP=127.0.0.1:1025"
echo "export SCAFFOLD_TEST_MAILPIT_URL=http://127.0.0.1:8025"
