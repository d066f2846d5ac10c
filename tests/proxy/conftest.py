"""The recipe's nginx in front of two app servers (the live-server harness), and the report
hook that adds the servers' and nginx's last log lines to a failed test's report."""

from dataclasses import dataclass

import pytest

from tests.live.harness import LiveServer, live_servers  # noqa: F401
from tests.proxy.nginx import Nginx

_PROXIED = pytest.StashKey["Proxied"]()


@dataclass
class Proxied:
    servers: list[LiveServer]
    nginx: Nginx

    @property
    def https(self) -> tuple[str, int]:
        return "127.0.0.1", self.nginx.https_port


@pytest.fixture
def proxied(request, live_servers, tmp_path):  # noqa: F811
    """start(env=None, nginx_env=None) -> Proxied: two app servers with gunicorn.conf.py's
    defaults (2 workers x 12 threads each) and the recipe's nginx in front of both; nginx is
    stopped when the test ends (the servers by live_servers)."""
    started = []

    def start(env: dict | None = None, nginx_env: dict | None = None) -> Proxied:
        servers = live_servers(2, worker_class=None, threads=None, env=env)
        folder = tmp_path / "nginx"
        folder.mkdir()
        nginx = Nginx(folder, [f"127.0.0.1:{server.port}" for server in servers], nginx_env)
        started.append(nginx)
        proxied = request.node.stash[_PROXIED] = Proxied(servers, nginx)
        nginx.start()
        return proxied

    try:
        yield start
    finally:
        for nginx in started:
            nginx.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    proxied = item.stash.get(_PROXIED, None)
    if report.failed and proxied is not None:
        for server in proxied.servers:
            report.sections.append((f"{server.name} log (last lines)", server.log_tail()))
        report.sections.append(("nginx log (last lines)", proxied.nginx.log_tail()))
    return report
