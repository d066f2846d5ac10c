"""The recipe's nginx configuration (config/deploy/nginx/): rendered from its template, checked
by nginx itself, and with limits that cannot drift from the app's: the renderer's defaults are
the app's defaults (config/settings.py, gunicorn.conf.py), the rendered values follow the app's
variables, and nginx's own problem bodies are the app's. No database, no server."""

import json
import os
import re
import runpy
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from accessrules.api.problems import plain_problem
from accessrules.core import errors
from config.deploy.nginx import render
from tests.proxy.nginx import Nginx

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"NGINX_SERVER_NAME": "borgerindsats.example.dk", "NGINX_UPSTREAMS": "10.0.0.11:8000"}


def nginx_installed() -> bool:
    if shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK):
        return True
    if os.environ.get("CI"):
        pytest.fail("nginx is not installed (CI installs Debian's nginx: .ci/run)")
    pytest.skip("nginx is not installed (apt-get install nginx)")


@pytest.fixture
def gunicorn_defaults(monkeypatch):
    """gunicorn.conf.py's values with no GUNICORN_* variable set."""
    for name in list(os.environ):
        if name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def directive(config: str, name: str) -> list[str]:
    """The arguments of every `name ...;` line of a rendered configuration."""
    return [m.group(1).split() for m in re.finditer(rf"^\s*{name}\s+([^;]*);", config, re.M)]


def test_the_renderers_defaults_are_the_apps(gunicorn_defaults):
    defaults = {name: default for name, (default, _) in render.VARIABLES.items()}
    assert int(defaults["API_MAX_BODY_BYTES"]) == settings.API_MAX_BODY_BYTES
    assert settings.API_MAX_BODY_BYTES == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert int(defaults["GUNICORN_KEEPALIVE"]) == gunicorn_defaults["keepalive"]
    assert int(defaults["GUNICORN_LIMIT_REQUEST_LINE"]) == gunicorn_defaults["limit_request_line"]
    assert (
        int(defaults["GUNICORN_LIMIT_REQUEST_FIELD_SIZE"])
        == gunicorn_defaults["limit_request_field_size"]
    )


@pytest.mark.parametrize(
    "app_env",
    [
        {},
        {
            "API_MAX_BODY_BYTES": "5000",
            "GUNICORN_KEEPALIVE": "3",
            "GUNICORN_LIMIT_REQUEST_LINE": "2046",
        },
    ],
)
def test_the_rendered_limits_follow_the_apps(app_env):
    config = render.render({**REQUIRED, **app_env})
    values = {name: default for name, (default, _) in render.VARIABLES.items()} | app_env
    [[body_size]] = directive(config, "client_max_body_size")
    assert int(body_size) == int(values["API_MAX_BODY_BYTES"])
    # idle upstream connections closed by nginx before gunicorn closes them
    [[upstream_keepalive]] = [d for d in directive(config, "keepalive_timeout") if d[0] != "15s"]
    assert int(upstream_keepalive.rstrip("s")) < int(values["GUNICORN_KEEPALIVE"])
    # no request line or header line that nginx passes is one gunicorn refuses
    [[count, size]] = directive(config, "large_client_header_buffers")
    assert int(size) <= int(values["GUNICORN_LIMIT_REQUEST_LINE"]) + 2
    assert int(size) <= int(values["GUNICORN_LIMIT_REQUEST_FIELD_SIZE"]) + 2


def test_the_rendered_configuration_buffers_times_out_and_forwards_the_scheme():
    config = render.render({**REQUIRED, "NGINX_UPSTREAMS": "10.0.0.11:8000,10.0.0.12:8000"})
    assert directive(config, "proxy_request_buffering") == [["on"]]
    assert directive(config, "client_header_timeout") == [["10s"]]
    assert directive(config, "client_body_timeout") == [["10s"]]
    assert directive(config, "reset_timedout_connection") == [["on"]]
    assert ["X-Forwarded-Proto", "$scheme"] in directive(config, "proxy_set_header")
    assert [s[0] for s in directive(config, "server") if ":" in s[0]] == [
        "10.0.0.11:8000",
        "10.0.0.12:8000",
    ]
    assert directive(config, "keepalive")  # to the upstreams
    [[connections]] = directive(config, "worker_connections")
    [[nofile]] = directive(config, "worker_rlimit_nofile")
    assert int(connections) >= 10_000 and int(nofile) >= 2 * int(connections)
    assert directive(config, "ssl_certificate") == [["/etc/ssl/borgerindsats/fullchain.pem"]]
    assert directive(config, "ssl_certificate_key") == [["/etc/ssl/borgerindsats/privkey.pem"]]
    assert "{{" not in config


def test_the_access_log_has_no_query_string_header_or_referrer():
    config = render.render(REQUIRED)
    log_format = config[config.index("log_format borgerindsats") :]
    log_format = log_format[: log_format.index(";")]
    for variable in ("$request ", "$request_uri", "$args", "$query_string", "$http_", "$uri"):
        assert variable not in log_format + " ", variable
    assert "$path_only" in log_format


@pytest.mark.parametrize(("status", "code", "text"), render.PROBLEMS)
def test_nginx_answers_the_apps_problem_bodies(status, code, text):
    assert errors.lookup(code).text == text
    assert json.loads(render.problem_body(status, code, text)) == json.loads(
        plain_problem(status, code).content
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"NGINX_UPSTREAMS": "10.0.0.11:8000"}, "NGINX_SERVER_NAME is required"),
        ({"NGINX_SERVER_NAME": "a.example"}, "NGINX_UPSTREAMS is required"),
        ({**REQUIRED, "NGINX_UPSTREAMS": "10.0.0.11"}, "is not HOST:PORT"),
        ({**REQUIRED, "NGINX_UPSTREAMS": "a:1; include /x"}, "is not HOST:PORT"),
        ({**REQUIRED, "NGINX_SERVER_NAME": "a.example; b"}, "is not a host name"),
        ({**REQUIRED, "NGINX_TLS_CERTIFICATE": "/a b.pem"}, "expected one word"),
        ({**REQUIRED, "API_MAX_BODY_BYTES": "1m"}, "expected a whole number"),
        ({**REQUIRED, "NGINX_CLIENT_TIMEOUT": "0"}, "expected 1..300"),
    ],
)
def test_a_bad_or_missing_value_stops_the_renderer(environ, message, monkeypatch, tmp_path, capsys):
    with pytest.raises(render.RenderError, match=re.escape(message)):
        render.render(environ)
    for name in render.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    output = tmp_path / "nginx.conf"
    assert render.main(["--output", str(output)]) == 2
    assert message in capsys.readouterr().err
    assert not output.exists()


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    nginx_installed()
    nginx = Nginx(tmp_path, ["127.0.0.1:8001", "127.0.0.1:8002"])
    nginx.https_port, nginx.http_port = 8443, 8080  # checked, never bound
    nginx.write_config()
    checked = nginx.check()
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_every_variable_of_the_renderer_is_in_the_operations_docs():
    readme = (ROOT / "docs" / "operations.md").read_text()
    section = readme[readme.index("## The proxy (nginx)") :]
    missing = [name for name in render.VARIABLES if f"`{name}`" not in section]
    assert not missing
