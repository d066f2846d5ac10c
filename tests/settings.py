"""Test settings: the production settings, given the environment a test run needs.

Only environment defaults are supplied here; config.settings still reads every value. The
caches and the access-log path are the production ones (tests/conftest.py clears the cache
between tests).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-deployment")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Static files from the apps' folders: no collectstatic before a test run.
os.environ.setdefault("STATIC_MANIFEST", "0")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
