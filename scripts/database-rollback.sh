#!/usr/bin/env bash
# Restore ENV's database from the backup blue-green-deploy.sh took before migrating.
#
# Usage: scripts/database-rollback.sh ENV TIMESTAMP     (TIMESTAMP like 20240115_103000)
#   Restores backups/TIMESTAMP.sql if it exists, else the newest backup taken at
#   or before TIMESTAMP. The current database is dumped first (pre-restore-*.sql),
#   and the restore runs in one transaction: it applies completely or not at all.
#   Roll the code back first (ci/scripts/emergency-rollback.sh ENV): the restored
#   schema is the one the previous release expects.
# shellcheck source=ci/scripts/lib.sh
. "$(dirname "$0")/../ci/scripts/lib.sh"

[ $# -ge 2 ] || die "usage: $0 ENV TIMESTAMP (e.g. \$(date -d '1 hour ago' +%Y%m%d_%H%M%S))"
load_env "$1"
stamp=$2
[[ $stamp =~ ^[0-9]{8}_[0-9]{6}$ ]] || die "TIMESTAMP must look like 20240115_103000, not '$stamp'"
with_lock

ext=sql
db_is_postgres || ext=sqlite3
backup=""
if [ -f "$STATE/backups/$stamp.$ext" ]; then
  backup=$STATE/backups/$stamp.$ext
else
  for file in "$STATE"/backups/[0-9]*_[0-9]*."$ext"; do
    [ -e "$file" ] || continue
    name=$(basename "$file" ".$ext")
    [[ $name < "$stamp" || $name == "$stamp" ]] && backup=$file
  done
fi
[ -n "$backup" ] || die "no backup of $ENV_NAME taken at or before $stamp (see ls ${STATE#"$REPO_ROOT"/}/backups)"
say "── restoring $ENV_NAME from ${backup#"$REPO_ROOT"/}"

safety=$(db_backup "pre-restore-$(date -u +%Y%m%d_%H%M%S)")
ok "current state saved to ${safety#"$REPO_ROOT"/}"

if db_is_postgres; then
  { printf 'DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n'; cat "$backup"; } |
    PGOPTIONS='-c client_min_messages=warning' psql "$DATABASE_URL" --single-transaction -v ON_ERROR_STOP=1 -q >/dev/null ||
    die "the restore failed and was rolled back; the database is unchanged"
else
  path=${DATABASE_URL#sqlite:///}
  "$PY" - "$backup" "$path" <<'PY' || die "the restore failed"
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
src.backup(dst)
dst.close()
PY
fi
ok "database of $ENV_NAME restored to $(basename "$backup")"
say "next: scripts/verify-data-integrity.sh $ENV_NAME"
