"""Log lines: JSON with LOG_FORMAT=json, the request's x-requestId on them, CPRs masked; and
gunicorn's configuration file and access log."""

import datetime
import io
import json
import logging
import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from accessrules.core.masking import MaskCprFilter
from config.gunicorn_logging import ServiceLogger
from config.logformat import JsonFormatter, RequestIdFilter
from tests.factories import StarFactory

ROOT = Path(__file__).resolve().parents[2]


def test_log_format_json_gives_one_masked_json_object_per_line():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('borgerindsats.test').warning('borger %s flyttet', '0101901234')"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    (line,) = done.stderr.splitlines()
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "borgerindsats.test"
    assert entry["message"] == "borger 010190-xxxx flyttet"
    assert entry["time"].endswith("+00:00")
    assert "request_id" not in entry


def test_an_unknown_log_format_stops_the_start():
    env = {**os.environ, "LOG_FORMAT": "xml", "DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "LOG_FORMAT must be text or json" in done.stderr


@pytest.mark.django_db
def test_a_request_s_log_lines_carry_its_request_id_masked(integrator_for):
    star = integrator_for(StarFactory())
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskCprFilter())
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("accessrules.api.parsers")
    logger.addHandler(handler)
    old_level, logger.level = logger.level, logging.INFO
    try:
        response = star.http.generic(
            "POST",
            "/v1/Asylovergivelse",
            b"[" * 101 + b"]" * 101,
            content_type="application/json",
            headers=star.headers({"x-requestId": "r-0101901234"}),
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    assert response.status_code == 400
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["request_id"] == "r-010190-xxxx"
    assert entry["message"] == "JSON body refused: nested deeper than 100 levels"
    assert "exception" not in entry


def test_json_lines_carry_a_masked_exception():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskCprFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("borgerindsats.test.exc")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("cpr 0101901234")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert "ValueError: cpr 010190-xxxx" in entry["exception"]
    assert "0101901234" not in stream.getvalue()


# --- gunicorn ---------------------------------------------------------------------------------
def gunicorn_config(**env) -> dict:
    """The settings gunicorn reads from gunicorn.conf.py under this environment."""
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in done.stdout.splitlines())
    }


def test_gunicorn_conf_defaults_and_environment():
    defaults = gunicorn_config()
    assert defaults["worker_class"] == "gthread"
    assert (defaults["workers"], defaults["threads"]) == ("2", "12")
    assert defaults["bind"] == "['0.0.0.0:8000']"
    assert defaults["limit_request_fields"] == "50"
    assert "%(q)s" not in defaults["access_log_format"]
    assert "%(r)s" not in defaults["access_log_format"]
    assert defaults["logger_class"] == "config.gunicorn_logging.ServiceLogger"

    told = gunicorn_config(GUNICORN_WORKERS="3", GUNICORN_THREADS="4", PORT="9000")
    assert (told["workers"], told["threads"], told["bind"]) == ("3", "4", "['0.0.0.0:9000']")
    assert gunicorn_config(BIND="127.0.0.1:8123")["bind"] == "['127.0.0.1:8123']"


def access_line(capsys, monkeypatch, log_format: str) -> str:
    """The access-log line ServiceLogger writes for an admin search by CPR."""
    monkeypatch.setenv("LOG_FORMAT", log_format)
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", runpy.run_path(ROOT / "gunicorn.conf.py")["access_log_format"])
    log = ServiceLogger(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/admin/accessrules/borger/?q=0101901234",
        "PATH_INFO": "/admin/accessrules/borger/",
        "QUERY_STRING": "q=0101901234",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "curl 010190-1234",
    }
    response = SimpleNamespace(status="200 OK", sent=12, headers=[])
    request = SimpleNamespace(headers=[("X-REQUESTID", "r-1")])
    log.access(response, request, environ, datetime.timedelta(milliseconds=5))
    return capsys.readouterr().out


def test_the_access_log_has_no_query_string_and_no_cpr(capsys, monkeypatch):
    line = access_line(capsys, monkeypatch, "text")
    assert '"GET /admin/accessrules/borger/ HTTP/1.1" 200 12 5ms' in line
    assert "q=" not in line
    assert "1234" not in line
    assert "010190-xxxx" in line
    assert line.rstrip().endswith(" r-1")


def test_the_access_log_is_json_with_log_format_json(capsys, monkeypatch):
    entry = json.loads(access_line(capsys, monkeypatch, "json"))
    assert entry["logger"] == "gunicorn.access"
    assert '"GET /admin/accessrules/borger/ HTTP/1.1" 200' in entry["message"]
    assert "1234" not in entry["message"]
