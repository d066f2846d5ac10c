"""Test settings: the production settings, given the environment a test run needs.

Only environment defaults are supplied here; config.settings still reads every value.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Static files from the apps' folders: no collectstatic before a test run.
os.environ.setdefault("STATIC_MANIFEST", "0")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Token strings repeat across tests (rolled-back ids): the cache has its own tests.
TOKEN_CACHE_SECONDS = 0
ORGANISATION_CACHE_SECONDS = 0  # likewise
# The access log on the default connection: inside each test's transaction (its own
# connection, settings.ACCESS_LOG_DATABASE = "accesslog", is tested on PostgreSQL).
ACCESS_LOG_DATABASE = "default"
# Rows written in their request, so a test sees them at once (the batched writer has its own
# tests).
ACCESS_LOG_BATCH_MS = 0
