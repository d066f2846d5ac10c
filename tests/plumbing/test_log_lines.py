"""Log lines: JSON with LOG_FORMAT=json, the request's x-requestId on them, CPRs masked."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accessrules.logging import MaskCprFilter
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
