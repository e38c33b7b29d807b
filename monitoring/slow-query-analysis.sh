#!/usr/bin/env bash
# The slowest queries of an environment's database, from pg_stat_statements: by mean time,
# by total time, and those reading the most blocks from disk, with calls and rows. The
# extension must be loaded by the server (shared_preload_libraries = 'pg_stat_statements'
# in postgresql.conf, then a restart); the script creates it in the database when the
# server has it loaded, and otherwise says so and shows the queries running right now
# (pg_stat_activity) instead, exiting 1.
#
# Usage: monitoring/slow-query-analysis.sh [ENV] [LIMIT]     (default production, 10)
#   RESET=1 resets the statistics after printing them (start a fresh measurement).
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
load_env "${1:-production}"
limit=${2:-10}
[[ $limit =~ ^[0-9]+$ ]] || die "LIMIT must be a number"
db_is_postgres || die "$ENV_NAME uses $DATABASE_URL: slow-query analysis needs PostgreSQL"
q() { psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -P pager=off "$@"; }
loaded=$(q -Atqc "SELECT count(*) FROM pg_settings WHERE name = 'shared_preload_libraries' AND setting ~ 'pg_stat_statements'")
if [ "$loaded" != 1 ]; then
  warn "pg_stat_statements is not loaded by this server: add it to shared_preload_libraries and restart PostgreSQL"
  say "queries running now (pg_stat_activity):"
  q -c "
SELECT pid, now() - query_start AS running, state, wait_event_type, left(query, 120) AS query
FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()
ORDER BY query_start LIMIT $limit;"
  exit 1
fi
q -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
scope="dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
say "── slowest by mean time ($(db_name))"
q -c "
SELECT calls, round(mean_exec_time::numeric, 2) AS mean_ms, round(max_exec_time::numeric, 2) AS max_ms,
       round(total_exec_time::numeric) AS total_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
FROM pg_stat_statements WHERE $scope ORDER BY mean_exec_time DESC LIMIT $limit;"
say "── most total time"
q -c "
SELECT calls, round(total_exec_time::numeric) AS total_ms,
       round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1) AS pct,
       left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
FROM pg_stat_statements WHERE $scope ORDER BY total_exec_time DESC LIMIT $limit;"
say "── most blocks read from disk"
q -c "
SELECT calls, shared_blks_read AS disk_blocks, shared_blks_hit AS cached_blocks,
       left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
FROM pg_stat_statements WHERE $scope ORDER BY shared_blks_read DESC LIMIT $limit;"
if [ "${RESET:-0}" = 1 ]; then
  q -qc "SELECT pg_stat_statements_reset()" >/dev/null
  ok "statistics reset"
fi
