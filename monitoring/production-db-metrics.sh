#!/usr/bin/env bash
# Database health of an environment from PostgreSQL's statistics views:
#   pg_stat_database     size, connections, cache hit ratio, commits/rollbacks, deadlocks,
#                        temporary files
#   pg_stat_activity     sessions by state, the longest-running query, idle in transaction
#   pg_stat_user_tables  the largest tables: rows, sequential vs index scans, dead rows,
#                        last (auto)vacuum/analyze
#   pg_stat_user_indexes indexes never used since the statistics were reset
# Exits 1 when the cache hit ratio is below 99 %, a deadlock was recorded, or a query has
# run (or a transaction sat idle) for more than LONG_QUERY_SECONDS (300).
#
# Usage: monitoring/production-db-metrics.sh [ENV]          (default production)
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"
load_env "${1:-production}"
db_is_postgres || die "$ENV_NAME uses $DATABASE_URL: these metrics come from PostgreSQL"
command -v psql >/dev/null || die "psql is missing (apt-get install -y postgresql-client)"
long=${LONG_QUERY_SECONDS:-300}
q() { psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -P pager=off "$@"; }
name=$(db_name)
say "── $name ($ENV_NAME)"
q -c "
SELECT pg_size_pretty(pg_database_size(datname)) AS size, numbackends AS connections,
       round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 2) AS cache_hit_pct,
       xact_commit AS commits, xact_rollback AS rollbacks, deadlocks, temp_files,
       pg_size_pretty(temp_bytes) AS temp_size, stats_reset
FROM pg_stat_database WHERE datname = current_database();"
q -c "
SELECT coalesce(state, 'background') AS state, count(*) AS sessions,
       max(now() - query_start) FILTER (WHERE state <> 'idle') AS longest
FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1 ORDER BY 2 DESC;"
q -c "
SELECT relname AS table, n_live_tup AS rows, n_dead_tup AS dead_rows,
       seq_scan, idx_scan, pg_size_pretty(pg_total_relation_size(relid)) AS total_size,
       greatest(last_vacuum, last_autovacuum) AS vacuumed, greatest(last_analyze, last_autoanalyze) AS analyzed
FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 12;"
q -c "
SELECT s.relname AS table, s.indexrelname AS unused_index, pg_size_pretty(pg_relation_size(s.indexrelid)) AS size
FROM pg_stat_user_indexes s JOIN pg_index i USING (indexrelid)
WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
ORDER BY pg_relation_size(s.indexrelid) DESC LIMIT 10;"
read -r hit deadlocks slow < <(q -Atq -F ' ' -c "
SELECT coalesce(round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 2), 100), deadlocks,
       (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
          AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()
          AND now() - coalesce(xact_start, query_start) > make_interval(secs => $long))
FROM pg_stat_database WHERE datname = current_database();")
failed=0
if awk -v h="$hit" 'BEGIN { exit !(h >= 99) }'; then
  ok "cache hit ratio $hit % (≥ 99 %)"
else
  warn "cache hit ratio $hit % is below 99 %: shared_buffers too small or a scan-heavy query"
  failed=1
fi
if [ "$deadlocks" = 0 ]; then ok "no deadlocks"; else
  warn "$deadlocks deadlock(s) since the statistics were reset"
  failed=1
fi
if [ "$slow" = 0 ]; then ok "no query or transaction older than ${long}s"; else
  warn "$slow session(s) running or idle in a transaction for more than ${long}s"
  failed=1
fi
[ "$failed" = 0 ] || exit 1
