#!/usr/bin/env bash
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
DATA=${NEWSLEDGER_PGDATA:-/tmp/newsledger-pg}
[ -n "$PGBIN" ] && [ -s "$DATA/PG_VERSION" ] || exit 0
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
else "$PGBIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true; fi
