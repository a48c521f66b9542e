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
