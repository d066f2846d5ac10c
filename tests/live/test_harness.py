"""The live-server harness itself: servers are independent, and none outlives its group."""

import pytest

from tests.live.harness import fetch, group_pids, live_server_group

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_servers_one_killed_and_nothing_left_behind(tmp_path):
    # The fixture's own cleanup, used directly so the test can look after it has run; the
    # block ends with an exception, as a failing test would.
    with (
        pytest.raises(RuntimeError, match="the test fails"),
        live_server_group(tmp_path) as start,
    ):
        first, second = start(2, workers=2)
        for server in (first, second):
            assert fetch("GET", server.url("/healthz")).status == 200
            assert len(server.worker_pids()) == 2
            assert set(group_pids(server.pid)) == {server.pid, *server.worker_pids()}
        first.kill()
        assert group_pids(first.pid) == []
        with pytest.raises(OSError):
            fetch("GET", first.url("/healthz"), timeout=2)
        assert fetch("GET", second.url("/healthz")).status == 200
        raise RuntimeError("the test fails while a server runs")
    assert group_pids(first.pid) == group_pids(second.pid) == []


def test_stop_is_a_normal_shutdown(live_servers):
    [server] = live_servers(workers=1)
    assert server.stop() == 0
    assert not server.alive
