"""Reads on a standby: the live-server harness's fixture and its report hook (the standby
tests start their own servers on a Patroni cluster: test_standby_reads.py)."""

from tests.live.harness import live_servers, pytest_runtest_makereport  # noqa: F401
