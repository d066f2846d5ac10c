"""The live-server fixture for the generated-client test (tests/live/harness.py)."""

from tests.live.harness import live_servers, pytest_runtest_makereport  # noqa: F401
