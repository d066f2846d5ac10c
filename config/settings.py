"""Django settings. Every value that differs between machines comes from the environment,
read here and nowhere else (see docs/operations.md, "Configuration")."""

import math
from importlib.metadata import version as package_version
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    REPLICA_SESSION_ATTRS,
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# seed_demo resets the demo records: it runs only with DEBUG on or DEMO=1.
DEMO_ALLOWED = env_bool("DEMO", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "simple_history",
    "djangosaml2",
    "accessrules",
    "asylovergivelse",
    "borgerflytte",
    "config",  # above the apps: the demo, the OpenAPI extension (config/apps.py)
]

MIDDLEWARE = [
    "config.middleware.CallDeadlineMiddleware",  # first: the call's database work is bounded
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.metrics.MetricsMiddleware",
    "config.middleware.LogContextMiddleware",
    "config.middleware.ApiNoStoreMiddleware",
    "config.middleware.ApiProblemMiddleware",
    "config.middleware.BodySizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "djangosaml2.middleware.SamlSessionMiddleware",  # the SAML sign-in's own cookie
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.WriteDeadlineMiddleware",  # last: around the view's database work
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The embedded default is a SQLite file in the project; production sets DATABASE_URL, with one
# host, or with the cluster's nodes in libpq's multi-host form and target_session_attrs=read-write
# (config.env.database_from_url): libpq then finds the current primary itself after a failover.
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ON_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# seconds the app gives one host of DATABASE_URL to connect (config.postgresql.base)
DATABASE_CONNECT_TIMEOUT = env_float("DATABASE_CONNECT_TIMEOUT", 2)
# an outage seen (no usable host; a commit no synchronous standby confirmed in time) is
# remembered this long per process: meanwhile calls are 503 at once (accessrules.api.outage)
DATABASE_UNAVAILABLE_MEMO_MS = env_int("DATABASE_UNAVAILABLE_MEMO_MS", 0)
if ON_POSTGRESQL:  # Django's backend, with the connect bounded as above
    DATABASES["default"]["ENGINE"] = "config.postgresql"

# Server-side parameter binding, and with it prepared statements: psycopg prepares a statement
# the DATABASE_PREPARE_THRESHOLD-th time a connection runs it (Django turns that off unless
# asked), so the hot queries are planned once per connection, not on every request (the flow
# list's six joins took longer to plan than to run: bench/README.md). Set binding to 0 behind a
# transaction-pooling PgBouncer (which then prepares nothing); a threshold of 0 prepares nothing.
if ON_POSTGRESQL:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["server_side_binding"] = env_bool("DATABASE_SERVER_SIDE_BINDING", True)
    _prepare = env_int("DATABASE_PREPARE_THRESHOLD", 5)
    if _options["server_side_binding"] and _prepare > 0:
        _options.setdefault("prepare_threshold", _prepare)
        # A prepared statement without parameters keeps its one plan; one with parameters is
        # planned for its values each time (force_custom_plan), because the generic plan
        # PostgreSQL may turn to after five runs was far slower for the dashboard's counts of
        # the last week (`oprettet >= $1`: a generic plan assumes a third of the table;
        # bench/README.md, "A generic plan's price").
        _mode = env_str("DATABASE_PLAN_CACHE_MODE", "force_custom_plan")
        _options["options"] = f"{_options.get('options', '')} -c plan_cache_mode={_mode}".strip()
    # Never a hang on a database that is gone (README, "A replicated database"): the app gives
    # each host DATABASE_CONNECT_TIMEOUT seconds (a decimal), all together no more than the call
    # has left, and tries the next (config.postgresql.base); libpq's own connect_timeout (whole
    # seconds, 2 at the least; a URL's own wins) ends an attempt left behind. A statement
    # running longer than DATABASE_STATEMENT_TIMEOUT_MS is cancelled (0: no limit; set through
    # the startup options, so on direct connections only, not PgBouncer's).
    _options.setdefault("connect_timeout", max(2, math.ceil(DATABASE_CONNECT_TIMEOUT)))
    # ... and an API operation's database work, a COMMIT's wait for a synchronous standby
    # included, is cancelled after DATABASE_OPERATION_TIMEOUT_MS (0: no limit;
    # accessrules.api.commits).
    _statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 0)
    if _statement_timeout > 0:
        _startup = f"{_options.get('options', '')} -c statement_timeout={_statement_timeout}"
        _options["options"] = _startup.strip()
# Server-side cursors (QuerySet.iterator() on PostgreSQL) live across statements in one
# transaction only if the pooler keeps the session: turn them off behind PgBouncer.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", False
)

DATABASE_OPERATION_TIMEOUT_MS = env_int("DATABASE_OPERATION_TIMEOUT_MS", 0)

# Reads on a standby (issue 24, item 4; accessrules.api.replica): DATABASE_REPLICA_URL (empty:
# off) adds the alias `replica`, a streaming standby (or several in libpq's multi-host form
# with target_session_attrs=standby, prefer-standby, read-only or any), with the primary's
# connection options. The GETs and the list read their data there when it has replayed the
# client's last write (kept in the shared cache: CACHE_URL is required) and lags at most
# DATABASE_REPLICA_MAX_LAG_SECONDS; access decisions, access-log rows and x-requestId claims
# stay on the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 5)
# how long a client's last write's WAL position is kept (a standby further behind is unused)
DATABASE_REPLICA_WRITTEN_SECONDS = max(60, 10 * DATABASE_REPLICA_MAX_LAG_SECONDS)
if DATABASE_REPLICA_URL:
    if not ON_POSTGRESQL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL in DATABASE_URL")
    if not env_str("CACHE_URL", ""):
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs CACHE_URL (Redis): a client's last write is shared there"
        )
    _replica = database_from_url(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
        session_attrs=REPLICA_SESSION_ATTRS,
    )
    _inherited = {  # the primary's options (binding, timeouts), not its choice of a primary
        name: value
        for name, value in DATABASES["default"].get("OPTIONS", {}).items()
        if name != "target_session_attrs"
    }
    _replica["OPTIONS"] = {**_inherited, **_replica.get("OPTIONS", {})}
    _replica["ENGINE"] = DATABASES["default"]["ENGINE"]
    _replica["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"]
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    DATABASE_ROUTERS = ["accessrules.api.replica.ReplicaRouter"]

# Retry-After (seconds) on a 503 while the database is unavailable (a failover, a restart).
UNAVAILABLE_RETRY_AFTER_SECONDS = env_int("UNAVAILABLE_RETRY_AFTER_SECONDS", 5)

# The access log (SPEC 7, issue 24): a row that is not a write's own (a read, a refused write)
# is one INSERT in autocommit on PostgreSQL that commits at this `synchronous_commit` level for
# its own transaction (accessrules.accesslog.log). `remote_write` (the default): answered only
# once a synchronous standby has the row, so it survives a failover (with no standby
# configured it means `local`: on the server's disk); `on`/`remote_apply` wait for more,
# `local` survives a crash but not a failover, `off` may lose the last ~0.6 s even without one.
# docs/operations.md, "The access log's durability".
SYNCHRONOUS_COMMIT_LEVELS = ("off", "local", "remote_write", "on", "remote_apply")
ACCESS_LOG_SYNCHRONOUS_COMMIT = env_str("ACCESS_LOG_SYNCHRONOUS_COMMIT", "remote_write")
if ACCESS_LOG_SYNCHRONOUS_COMMIT not in SYNCHRONOUS_COMMIT_LEVELS:
    raise ImproperlyConfigured(
        f"ACCESS_LOG_SYNCHRONOUS_COMMIT must be one of {', '.join(SYNCHRONOUS_COMMIT_LEVELS)}, "
        f"got {ACCESS_LOG_SYNCHRONOUS_COMMIT!r}"
    )

# Caches go through Django's cache framework: local memory in each process by default (a token
# revoked on one server is then seen by the others within TOKEN_CACHE_SECONDS); CACHE_URL
# (redis://HOST:6379/0) shares one Redis among every server (a revocation is seen at once).
# CACHE_KEY_PREFIX keeps deployments sharing a Redis apart (default: the database's name).
CACHE_URL = env_str("CACHE_URL", "")
CACHE_KEY_PREFIX = (
    env_str("CACHE_KEY_PREFIX", "") or str(DATABASES["default"]["NAME"]).rsplit("/", 1)[-1]
)
# A shared cache that failed is skipped by the API for this long, per process, meanwhile its
# reads go to the database (accessrules.api.shared_cache)
CACHE_UNAVAILABLE_MEMO_MS = env_int("CACHE_UNAVAILABLE_MEMO_MS", 5000)
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, got {CACHE_URL!r}")
    # A Redis that stops answering fails a call within CACHE_SOCKET_TIMEOUT_MS, as one that is
    # down does at once, instead of holding it until gunicorn's timeout (0: no limit)
    _redis_timeout = env_int("CACHE_SOCKET_TIMEOUT_MS", 1000) / 1000 or None
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "borgerindsats",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
TIME_ZONE = env_str("TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]  # DD.MM.ÅÅÅÅ, times to the minute (the admin)

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# The app serves its static files itself (WhiteNoise). STATIC_MANIFEST on (the default unless
# DEBUG): `collectstatic` copies them into STATIC_ROOT, compressed and with a content hash in
# each name (cached by browsers for a year); pages need that to have run. Off (DEBUG, tests):
# served from the apps' own folders as they are, no collectstatic.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST

# --- Limits at the edge (SPEC 8) -------------------------------------------------------------
# A request body announcing more than this many bytes is answered 413 before it is read
# (config.middleware.BodySizeLimitMiddleware); Django's own limit is the same number. 1 MiB
# holds the largest message an operation takes (a CPR event batch of 1,000 events is ~0.3 MB).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES

# --- Metrics (config.metrics) ----------------------------------------------------------------
# /metrics answers only a request whose X-Metrics-Token header equals this; empty: no endpoint.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# --- Security (production values unless DEBUG) -------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accessrules.api.authentication.BearerTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["accessrules.api.parsers.LimitedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    "EXCEPTION_HANDLER": "accessrules.api.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Borgerindsats: BorgerFlytte og Asylovergivelse",
    "DESCRIPTION": (
        "STARs Borgerindsats-services: BorgerFlytte og Asylovergivelse. Hent et token med "
        "client credentials fra `POST /oauth/token/` og send det som `Authorization: Bearer "
        "TOKEN`; navngiv den aktive organisation med `x-activeOrganisationTypeIdentifier` og "
        "`x-activeOrganisationCode`. Hver fejl er `application/problem+json` med en liste "
        "`errors` af `{code, text, field}`. Vejledning: docs/integration.md."
    ),
    "VERSION": package_version("borgerindsats"),
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["accessrules.api.schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "accessrules.api.schema.strict_request_schemas",
        "accessrules.api.schema.date_range_patterns",
    ],
}

# --- OAuth2 (django-oauth-toolkit) ----------------------------------------------------------
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "accessrules.oauth.toolkit.ScopesBackend",
    "DEFAULT_SCOPES": [],
    "OAUTH2_VALIDATOR_CLASS": "accessrules.oauth.toolkit.ApiClientScopesValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env_int("OAUTH_ACCESS_TOKEN_SECONDS", 3600),
    "RESOURCE_SERVER_TOKEN_CACHING_SECONDS": 0,
    # RFC 9700 (OAuth 2.0 Security BCP): adopt every compliant behaviour now. Only the
    # client-credentials grant is used; tokens are stored as checksums only.
    "PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# How long a token and its client's organisations are reused from the cache (seconds): the
# bound within which a change of the client's organisations is seen; a token revoked through the
# toolkit is dropped at once. 0 reads them on every call.
TOKEN_CACHE_SECONDS = env_int("TOKEN_CACHE_SECONDS", 5)

# --- Domain settings -------------------------------------------------------------------------
TIDLIGERE_EGNE_BORGERE_DAYS = env_int("TIDLIGERE_EGNE_BORGERE_DAYS", 120)
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 183)
# Days past today that `opret_partitioner` creates the access log's daily partitions for
# (PostgreSQL; accessrules.accesslog.partitions); /healthz says how many exist.
ACCESS_LOG_PARTITIONS_AHEAD = env_int("ACCESS_LOG_PARTITIONS_AHEAD", 14)
REQUEST_ID_RETENTION_DAYS = env_int("REQUEST_ID_RETENTION_DAYS", 183)
ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS = env_int("ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS", 92)
ASYLOVERGIVELSE_KONTAKTGRUPPER = env_list(
    "ASYLOVERGIVELSE_KONTAKTGRUPPER", ["flygtning", "familiesammenfoert"]
)
CV_SERVICE_BACKEND = env_str("CV_SERVICE_BACKEND", "asylovergivelse.cvservice.LocalCvRegister")
CV_SERVICE_TIMEOUT_SECONDS = env_int("CV_SERVICE_TIMEOUT_SECONDS", 5)
# SPEC 5a: a CPR `flytning` dated more than this many days after its receipt is rejected
# (CPR registers moves up to four weeks ahead).
CPR_FLYTNING_MAX_DAYS_AHEAD = env_int("CPR_FLYTNING_MAX_DAYS_AHEAD", 28)

# --- The caseworkers' admin --------------------------------------------------------------
# A banner on every admin page naming the environment (e.g. "TEST"); empty: no banner.
ADMIN_ENVIRONMENT = env_str("ADMIN_ENVIRONMENT", "")
# The dashboard lists waiting flows created more than this many days ago.
ADMIN_FLOW_ALERT_DAYS = env_int("ADMIN_FLOW_ALERT_DAYS", 30)
# SPEC 7: "Find borger efter CPR" tries per caseworker, counted in Django's cache (CACHE_URL
# shares the count among servers).
ADMIN_FIND_CPR_PER_MINUTE = env_int("ADMIN_FIND_CPR_PER_MINUTE", 20)
ADMIN_FIND_CPR_PER_DAY = env_int("ADMIN_FIND_CPR_PER_DAY", 300)
# A caseworker's citizens (accessrules.access.restrict_borgere): beyond this many rows behind
# their organisation's relations, a list walks its own order probing each relation's index
# (EXISTS); up to it, it reads the few citizen ids as one set (a UNION).
ADMIN_MANGE_BORGERE = env_int("ADMIN_MANGE_BORGERE", 10_000)
# A changelist's bounded count beyond 10,000 rows ("mere end 10.000") is remembered this many
# seconds per user and list URL in Django's cache (0: never).
ADMIN_STOR_ANTAL_SECONDS = env_int("ADMIN_STOR_ANTAL_SECONDS", 60)

# --- Notifications to case systems (SPEC 9; accessrules.notifikationer, docs/operations.md) --
# Procrastinate's queue lives in PostgreSQL (its migrations are PostgreSQL-only): on SQLite
# (the README's demo) its app is not installed, notifications are off, and the subscription
# endpoints answer 503. NOTIFICATIONS_ENABLED=0 turns them off on PostgreSQL too.
NOTIFICATIONS_ENABLED = ON_POSTGRESQL and env_bool("NOTIFICATIONS_ENABLED", True)
if NOTIFICATIONS_ENABLED:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("accessrules"), "procrastinate.contrib.django")
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
PROCRASTINATE_IMPORT_PATHS = ["accessrules.notifikationer.tasks"]
# The worker (`manage.py lever_notifikationer`) holds LISTEN and row locks across statements:
# it connects straight to PostgreSQL, never through a transaction-pooling PgBouncer. Its URL
# (default DATABASE_URL) for the worker's queue connection.
NOTIFICATION_WORKER_DATABASE_URL = env_str("NOTIFICATION_WORKER_DATABASE_URL", "")
NOTIFICATION_WORKER_CONCURRENCY = env_int("NOTIFICATION_WORKER_CONCURRENCY", 20)
# A worker whose heartbeat is older than this is dead: its jobs in progress are run again.
NOTIFICATION_WORKER_STALLED_SECONDS = env_int("NOTIFICATION_WORKER_STALLED_SECONDS", 30)
# CloudEvents `source`: the service's URN.
NOTIFICATION_SOURCE = env_str("NOTIFICATION_SOURCE", "urn:dk:star:borgerindsats")
# A delivery is a 2xx answer within this many seconds (connect to last byte).
NOTIFICATION_TIMEOUT_SECONDS = env_int("NOTIFICATION_TIMEOUT_SECONDS", 10)
# Retries: the first after NOTIFICATION_RETRY_FIRST_SECONDS, each next FACTOR times longer (at
# most MAX_WAIT), until the waits add up to NOTIFICATION_RETRY_WINDOW_SECONDS (24 h); then
# the delivery has failed. Defaults: 10 s, 20 s, 40 s, ... 1 h, 1 h, ...: 31 tries in 24 h.
NOTIFICATION_RETRY_FIRST_SECONDS = env_int("NOTIFICATION_RETRY_FIRST_SECONDS", 10)
NOTIFICATION_RETRY_FACTOR = env_int("NOTIFICATION_RETRY_FACTOR", 2)
NOTIFICATION_RETRY_MAX_WAIT_SECONDS = env_int("NOTIFICATION_RETRY_MAX_WAIT_SECONDS", 3600)
NOTIFICATION_RETRY_WINDOW_SECONDS = env_int("NOTIFICATION_RETRY_WINDOW_SECONDS", 24 * 3600)
# After a failed try, a subscription's other deliveries wait this long before they connect
# (a hanging receiver holds one worker slot per try, not all of them).
NOTIFICATION_PAUSE_SECONDS = env_int("NOTIFICATION_PAUSE_SECONDS", 30)
# After a secret rotation the old secret signs alongside the new one for this long.
NOTIFICATION_SECRET_OVERLAP_SECONDS = env_int("NOTIFICATION_SECRET_OVERLAP_SECONDS", 24 * 3600)
# Subscription secrets are stored encrypted (Fernet) under this key (Fernet.generate_key();
# empty: derived from SECRET_KEY). Keys listed in NOTIFICATION_SECRET_OLD_KEYS (comma-separated)
# still decrypt: to rotate, move the current key there, set a new one, run
# `manage.py rekrypter_hemmeligheder`, then drop the old one (docs/operations.md).
NOTIFICATION_SECRET_KEY = env_str("NOTIFICATION_SECRET_KEY", "")
NOTIFICATION_SECRET_OLD_KEYS = env_list("NOTIFICATION_SECRET_OLD_KEYS", [])
# Callbacks are https. Their certificates are verified against this CA bundle (a PEM file;
# empty: the system's). Private, loopback, link-local and other non-global addresses are
# refused unless a network listed here (CIDR, comma-separated) holds the address connected to.
NOTIFICATION_CA_BUNDLE = env_str("NOTIFICATION_CA_BUNDLE", "")
NOTIFICATION_ALLOWED_NETWORKS = env_list("NOTIFICATION_ALLOWED_NETWORKS", [])
# Events and deliveries older than this are deleted by `purge`.
NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 30)

# --- Caseworkers' sign-in (accessrules.saml, accessrules.sagsbehandlere) -------------------
# SAML 2.0 through djangosaml2 / pysaml2 (docs/admin.md, "Signing in"). The identity
# provider's metadata, a file or an https URL; empty: no SAML sign-in (password form only).
SAML_IDP_METADATA = env_str("SAML_IDP_METADATA", "")
SAML_ENABLED = bool(SAML_IDP_METADATA)
# The service's public address (https://borgerindsats.example.dk): the metadata and the
# assertion consumer service are published under it (/saml2/metadata/, /saml2/acs/).
SAML_SP_BASE_URL = env_str("SAML_SP_BASE_URL", "").rstrip("/")
SAML_SP_ENTITY_ID = env_str("SAML_SP_ENTITY_ID", "") or (
    f"{SAML_SP_BASE_URL}/saml2/metadata/" if SAML_SP_BASE_URL else ""
)
# The service provider's key and certificate (PEM): it signs its requests with them, and the
# identity provider may encrypt its assertions to the certificate.
SAML_SP_KEY_FILE = env_str("SAML_SP_KEY_FILE", "")
SAML_SP_CERT_FILE = env_str("SAML_SP_CERT_FILE", "")
if SAML_IDP_METADATA.startswith("http://"):
    # the metadata carries the certificate that assertions are verified with
    raise ImproperlyConfigured("SAML_IDP_METADATA: a file, or an https:// URL (not http://).")
if SAML_ENABLED:
    _missing = [
        name
        for name, value in [
            ("SAML_SP_BASE_URL", SAML_SP_BASE_URL),
            ("SAML_SP_KEY_FILE", SAML_SP_KEY_FILE),
            ("SAML_SP_CERT_FILE", SAML_SP_CERT_FILE),
        ]
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(f"SAML_IDP_METADATA is set: set {', '.join(_missing)} too.")
# The attribute carrying the privileges (OIOSAML: a base64-encoded basic privilege profile, a
# list of job-function roles each scoped by a CVR number), and which role URI gives which role.
SAML_PRIVILEGE_ATTRIBUTE = env_str(
    "SAML_PRIVILEGE_ATTRIBUTE", "https://data.gov.dk/model/core/eid/privilegesIntermediate"
)
SAML_ROLLER: dict[str, str] = {}
for _item in env_list(
    "SAML_ROLLER",
    [
        "urn:dk:star:borgerindsats:rolle:sagsbehandler=Sagsbehandler",
        "urn:dk:star:borgerindsats:rolle:support=Support",
    ],
):
    _uri, _, _rolle = _item.rpartition("=")
    if not _uri or _rolle not in ("Sagsbehandler", "Support"):
        raise ImproperlyConfigured(
            f"SAML_ROLLER: expected ROLE-URI=Sagsbehandler or ROLE-URI=Support, got {_item!r}"
        )
    SAML_ROLLER[_uri] = _rolle
# The user name: the assertion's NameID (empty), or the first value of this attribute.
SAML_USERNAME_ATTRIBUTE = env_str("SAML_USERNAME_ATTRIBUTE", "")
# Clock skew accepted between the identity provider and this service, seconds.
SAML_ACCEPTED_TIME_DIFF_SECONDS = env_int("SAML_ACCEPTED_TIME_DIFF_SECONDS", 60)
# djangosaml2's own settings, derived from the above.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # local accounts (accessrules.sagsbehandlere)
    "accessrules.saml.backend.SagsbehandlerBackend",
]
SAML_CONFIG_LOADER = "accessrules.saml.config.sp_config"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_USE_NAME_ID_AS_USERNAME = not SAML_USERNAME_ATTRIBUTE
SAML_DJANGO_USER_MAIN_ATTRIBUTE = "username"
SAML_ATTRIBUTE_MAPPING = {SAML_USERNAME_ATTRIBUTE: ("username",)} if SAML_USERNAME_ATTRIBUTE else {}
SAML_CREATE_UNKNOWN_USER = True
SAML_CSP_HANDLER = ""  # no django-csp
LOGIN_REDIRECT_URL = "/admin/"

# --- Logging: never a CPR in clear text (see accessrules.core.masking) -------------------------
# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request_id).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_cpr": {"()": "accessrules.core.masking.MaskCprFilter"},
        "request_id": {"()": "config.logformat.RequestIdFilter"},
    },
    "formatters": {"json": {"()": "config.logformat.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_cpr", "request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # runserver's request log: through the masking filter too (a URL may carry a CPR)
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # pysaml2 logs attributes (names, e-mail) at INFO and whole messages at DEBUG: its
        # warnings and errors only; the sign-in's own line is accessrules.saml's
        "saml2": {"level": "WARNING"},
        "djangosaml2": {"level": "ERROR"},  # its warnings can carry the whole assertion
        "xmlschema": {"level": "WARNING"},
        # a line per job at INFO (hundreds a second); a failed delivery is logged as an error
        # by accessrules.notifikationer.levering
        "procrastinate": {"level": "WARNING"},
    },
}
