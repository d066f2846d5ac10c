"""Benchmark settings: the production settings as they are (caches, access log, database
options) plus the URLconf of the bare views (bench/views.py: never routed in production).
DATABASE_URL, SECRET_KEY etc. come from the environment as usual."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-deployment-xxxxxxxxxx")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
