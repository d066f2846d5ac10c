"""gunicorn's configuration: `gunicorn config.wsgi`, run from the project folder, reads it.

Every value can be set from the environment (names below, defaults after them;
docs/operations.md, "Configuration"). Why these values:

- Threads (`gthread`): a thread waiting for a slow client's body holds only itself, where
  sync workers stalled until gunicorn killed them. A worker whose threads are all held still
  accepts connections, which then wait behind them, and the kernel may hand every slow client
  to one worker: so a server survives threads - 1 slow clients, whatever the number of
  workers (measured: docs/operations.md, "The proxy"). 12 threads: 11, above SPEC 8's floor of
  8. The recipe's nginx in front (config/deploy/nginx/) buffers request bodies and so takes slow
  clients off the workers entirely; it is required in production.
- The request line, header count and header size are bounded well above what an integrator
  sends (a bearer token, the x-* headers of SPEC 1-2, a proxy's X-Forwarded-*); the body is
  bounded by the application (API_MAX_BODY_BYTES, 413).
- The access log goes to stdout without query strings (the API never puts a CPR in a URL; an
  admin search did), and every line passes the CPR-masking filter (config.gunicorn_logging).
- Metrics: each worker writes its counters to PROMETHEUS_MULTIPROC_DIR (a fresh temporary
  folder unless set), emptied when gunicorn starts, so /metrics adds up every worker.
"""

import glob
import os
import shutil
import tempfile


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


_port = os.environ.get("PORT") or "8000"
bind = [os.environ.get("BIND") or f"0.0.0.0:{_port}"]
workers = _env_int("GUNICORN_WORKERS", 2)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
threads = _env_int("GUNICORN_THREADS", 12)

# seconds: a worker silent this long is restarted; a stopping worker gets this long to finish
# its requests (and to write its queued access-log rows); an idle kept-alive connection is
# closed after this long
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

limit_request_line = _env_int("GUNICORN_LIMIT_REQUEST_LINE", 4094)
limit_request_fields = _env_int("GUNICORN_LIMIT_REQUEST_FIELDS", 50)
limit_request_field_size = _env_int("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190)

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s" %({x-requestid}i)s',
)
logger_class = "config.gunicorn_logging.ServiceLogger"

# gunicorn >= 25 opens a control socket at one path per user ($HOME/.gunicorn/gunicorn.ctl), which
# two servers on one host would share: only where GUNICORN_CONTROL_SOCKET names a path of its own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# Prometheus multiprocess mode: each worker writes its samples to PROMETHEUS_MULTIPROC_DIR, set
# here in the master before any worker imports prometheus_client (so not with preload_app).
_METRICS_DIR_PREFIX = "borgerindsats-metrics-"


def on_starting(server):
    """A folder for this run (a fresh temporary one unless set), emptied: counters of an
    earlier run would be added to this one's."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        folder = tempfile.mkdtemp(prefix=_METRICS_DIR_PREFIX)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    os.makedirs(folder, exist_ok=True)
    for path in glob.glob(os.path.join(folder, "*.db")):
        os.remove(path)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """The temporary folder goes; a folder the operator named stays."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if os.path.basename(folder).startswith(_METRICS_DIR_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)
