#!/usr/bin/env bash
# The benchmark (run by hand, not in CI): PostgreSQL, ~100k citizens, gunicorn on loopback.
#   bash bench/run.sh [CITIZENS=100000] [SECONDS=10] [CONCURRENCY=8]   (ROUNDS=3 interleaved rounds,
#   FLOWS=20000 flows: each confirmation scenario needs a fresh one per request)
set -euo pipefail
cd "$(dirname "$0")/.."
CITIZENS=${1:-100000}; SECONDS_PER=${2:-10}; CONCURRENCY=${3:-8}
PY=${PY:-.venv/bin/python}; GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
DB=${BENCH_DB:-borgerindsats_bench} PORT=${BENCH_PORT:-8001} WORKERS=${WORKERS:-2}
# APP=config.asgi GUNICORN_WORKER_CLASS=asgi: gunicorn's ASGI worker (bench/README.md, slow clients)
APP=${APP:-config.wsgi}
export DJANGO_SETTINGS_MODULE=bench.settings
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
work=$(mktemp -d)

echo "== fresh database $DB"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
$PY manage.py migrate -v0

echo "== import_register vs COPY ($CITIZENS citizens)"
$PY bench/populate.py "$CITIZENS"

echo "== a STAR client and token"
$PY - "$work" <<'PYEOF'
import datetime, os, sys, django
django.setup()
from accessrules.oauth.scopes import ALL as SCOPES
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from accessrules.models import ApiClient, Borger, Organisation
from borgerflytte.models import Borgerflytning
app = Application.objects.create(name="bench", client_type="confidential",
                                 authorization_grant_type="client-credentials")
client = ApiClient.objects.create(application=app, navn="bench",
                                  scopes=" ".join(SCOPES))
client.organisationer.set([Organisation.objects.get(type=1, kode="STAR")])
AccessToken.objects.create(application=app, token="bench-token", scope=" ".join(SCOPES),
                           expires=timezone.now() + datetime.timedelta(hours=2))
flows = list(Borgerflytning.objects.order_by("id").values_list("id", "borger__cpr"))
work = sys.argv[1]
open(f"{work}/flows", "w").write("\n".join(str(f) for f, _ in flows))
open(f"{work}/cprs", "w").write("\n".join(c for _, c in flows))
PYEOF

echo "== gunicorn ($WORKERS workers) on 127.0.0.1:$PORT"
GUNICORN_ACCESS_LOG="" $GUNICORN "$APP" --workers "$WORKERS" --bind "127.0.0.1:$PORT" --log-level warning \
  --env DJANGO_SETTINGS_MODULE=bench.settings &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -s "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

echo "== queries per request"
$PY bench/queries.py "$work/cprs"

echo "== load: $SECONDS_PER s per scenario, $CONCURRENCY connections"
$PY bench/load.py --url "http://127.0.0.1:$PORT" --seconds "$SECONDS_PER" \
  --concurrency "$CONCURRENCY" --rounds "${ROUNDS:-3}" --token bench-token --cprs "$work/cprs" --flows "$work/flows"
