"""The live-server fixture (tests/live/harness.py) for the SAML tests."""

from tests.live.harness import live_servers, pytest_runtest_makereport  # noqa: F401
