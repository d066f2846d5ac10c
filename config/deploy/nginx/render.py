"""Render the recipe's nginx.conf from nginx.conf.template and the environment.

    NGINX_SERVER_NAME=borgerindsats.example.dk \\
    NGINX_UPSTREAMS=10.0.0.11:8000,10.0.0.12:8000 \\
    python3 config/deploy/nginx/render.py > /etc/nginx/nginx.conf && nginx -t

Python's standard library only, so it runs on a proxy host without the app's virtualenv. The
limits that must match the app's are read from the app's own variables, with the app's
defaults (API_MAX_BODY_BYTES: config/settings.py; GUNICORN_*: gunicorn.conf.py), so render it
with the app servers' environment; tests/proxy/ checks these defaults against the app's and
the problem+json bodies against the app's answers. docs/operations.md, "The proxy (nginx)",
lists every variable. A missing required variable or a bad value stops it with a message,
writing nothing.
"""

import argparse
import json
import os
import re
import sys
from http import HTTPStatus
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")

# name: (default, help); None: required
VARIABLES = {
    "NGINX_SERVER_NAME": (None, "the service's host name(s), as in the certificate"),
    "NGINX_UPSTREAMS": (None, "the app servers, HOST:PORT,HOST:PORT (the recipe runs two)"),
    "NGINX_TLS_CERTIFICATE": ("/etc/ssl/borgerindsats/fullchain.pem", "certificate chain"),
    "NGINX_TLS_CERTIFICATE_KEY": ("/etc/ssl/borgerindsats/privkey.pem", "its private key"),
    "NGINX_LISTEN_HTTPS": ("443", "HTTPS listen address ([HOST:]PORT)"),
    "NGINX_LISTEN_HTTP": ("80", "plain-HTTP listen address: /healthz and a redirect"),
    "NGINX_USER": ("www-data", "the worker processes' user"),
    "NGINX_PID": ("/run/nginx.pid", "the pid file"),
    "NGINX_LOG_DIR": ("/var/log/nginx", "access.log and error.log"),
    "NGINX_TEMP_DIR": ("/var/lib/nginx", "temporary files of large bodies and answers"),
    "NGINX_CLIENT_TIMEOUT": ("10", "seconds a client may stay silent (headers, body, answer)"),
    "NGINX_WORKER_CONNECTIONS": ("16384", "connections per worker process"),
    # the app's own variables, with the app's defaults
    "API_MAX_BODY_BYTES": ("1048576", "the app's body limit (config/settings.py)"),
    "GUNICORN_KEEPALIVE": ("5", "gunicorn's keepalive seconds (gunicorn.conf.py)"),
    "GUNICORN_LIMIT_REQUEST_LINE": ("4094", "gunicorn's limit_request_line"),
    "GUNICORN_LIMIT_REQUEST_FIELD_SIZE": ("8190", "gunicorn's limit_request_field_size"),
}

# The app's answers for what nginx answers itself: (status, registry code, registry text), as
# accessrules.core.errors has them and accessrules.api.problems.plain_problem writes them.
PROBLEMS = [
    (400, 1014, "Failed to validate message"),
    (404, 40400, "The requested resource does not exist"),
    (413, 41300, "The request body is too large"),
    (500, 50000, "An internal error occurred"),
    (503, 50300, "The service is temporarily unavailable"),
]
# Each code's `detail` (its registry row's raad in accessrules/core/errors.py; tests/proxy
# checks they are the app's)
HINTS = {
    1014: "The message is not valid: the field of this entry names what is at fault (a field, "
    "header or parameter). Send it as the OpenAPI document describes it.",
    40400: "No such path; GET /v1/ lists the operations.",
    41300: "The body is larger than the service accepts; send a smaller one.",
    50000: "The service failed; retry later (with the same x-requestId for a write).",
    50300: "The service is temporarily unavailable; retry later (with the same x-requestId for "
    "a write).",
}


class RenderError(ValueError):
    pass


def problem_body(status: int, code: int, text: str) -> str:
    return json.dumps(
        {
            "type": f"/fejl/{code}",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": text,
            "errors": [{"code": code, "text": text, "detail": HINTS[code]}],
        },
        separators=(",", ":"),
    )


def problem_locations() -> str:
    blocks = []
    for status, code, text in PROBLEMS:
        blocks.append(
            f"location = /_problem/{status} {{\n"
            "    internal;\n"
            "    default_type application/problem+json;\n"
            '    add_header Cache-Control "no-store" always;\n'
            f"    return {status} '{problem_body(status, code, text)}';\n"
            "}"
        )
    return "\n".join(blocks)


def _int(env: dict, name: str, low: int, high: int) -> int:
    raw = env[name]
    try:
        value = int(raw)
    except ValueError:
        raise RenderError(f"{name}={raw!r}: expected a whole number") from None
    if not low <= value <= high:
        raise RenderError(f"{name}={value}: expected {low}..{high}")
    return value


def _word(env: dict, name: str) -> str:
    value = env[name].strip()
    if not value or re.search(r"[\s;{}'\"$#]", value):
        raise RenderError(f"{name}={value!r}: expected one word without ; {{ }} quotes $ #")
    return value


def _upstreams(env: dict) -> list[str]:
    servers = [part.strip() for part in env["NGINX_UPSTREAMS"].split(",") if part.strip()]
    if not servers:
        raise RenderError("NGINX_UPSTREAMS: name at least one app server, HOST:PORT")
    for server in servers:
        if not re.fullmatch(r"[\w.\-]+:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5}|unix:/[\w./\-]+", server):
            raise RenderError(f"NGINX_UPSTREAMS: {server!r} is not HOST:PORT")
    return servers


def values(environ: dict) -> dict[str, str]:
    """The template's placeholders, from `environ` (missing names take their defaults)."""
    env = {}
    for name, (default, _help) in VARIABLES.items():
        raw = environ.get(name, "").strip()
        if not raw and default is None:
            raise RenderError(f"{name} is required: {VARIABLES[name][1]}")
        env[name] = raw or default
    server_names = env["NGINX_SERVER_NAME"].split()
    for name in server_names:
        if not re.fullmatch(r"[\w.\-*]+", name):
            raise RenderError(f"NGINX_SERVER_NAME: {name!r} is not a host name")
    connections = _int(env, "NGINX_WORKER_CONNECTIONS", 512, 1_000_000)
    keepalive = _int(env, "GUNICORN_KEEPALIVE", 2, 3600)
    line = _int(env, "GUNICORN_LIMIT_REQUEST_LINE", 1024, 8190)
    field = _int(env, "GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 1024, 8190)
    return {
        "user": _word(env, "NGINX_USER"),
        "pid": _word(env, "NGINX_PID"),
        "log_dir": _word(env, "NGINX_LOG_DIR"),
        "temp_dir": _word(env, "NGINX_TEMP_DIR"),
        "worker_connections": str(connections),
        # client + app server + a temporary file per connection, and some to spare
        "worker_rlimit_nofile": str(3 * connections + 1024),
        "client_timeout": str(_int(env, "NGINX_CLIENT_TIMEOUT", 1, 300)),
        "client_max_body_size": str(_int(env, "API_MAX_BODY_BYTES", 1, 1 << 30)),
        # nginx's buffer holds the line with its CRLF; gunicorn's limits leave it out
        "header_buffer_size": str(min(line, field) + 2),
        "upstream_keepalive_timeout": str(keepalive - 1),
        "upstream_servers": "\n".join(
            f"        server {server} max_fails=1 fail_timeout=5s;" for server in _upstreams(env)
        ),
        "listen_https": _word(env, "NGINX_LISTEN_HTTPS"),
        "listen_http": _word(env, "NGINX_LISTEN_HTTP"),
        "server_name": " ".join(server_names),
        "redirect_host": server_names[0],
        "tls_certificate": _word(env, "NGINX_TLS_CERTIFICATE"),
        "tls_certificate_key": _word(env, "NGINX_TLS_CERTIFICATE_KEY"),
        "problem_locations": problem_locations(),
    }


def render(environ: dict) -> str:
    mapping = values(environ)
    template = TEMPLATE.read_text()
    unknown = set(PLACEHOLDER.findall(template)) - set(mapping)
    if unknown:  # a template edited without its renderer
        raise RenderError(f"the template names unknown placeholders: {sorted(unknown)}")

    def fill(match: re.Match) -> str:
        value = mapping[match.group(1)]
        if "\n" not in value:
            return value
        # a block: every line at the placeholder's indentation
        line_start = template.rfind("\n", 0, match.start()) + 1
        indent = template[line_start : match.start()]
        return value.replace("\n", "\n" + indent)

    return PLACEHOLDER.sub(fill, template)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", help="write here instead of standard output")
    parser.add_argument("--variables", action="store_true", help="list the variables and exit")
    args = parser.parse_args(argv)
    if args.variables:
        for name, (default, help_text) in VARIABLES.items():
            print(f"{name}={default if default is not None else '(required)'}  # {help_text}")
        return 0
    try:
        text = render(dict(os.environ))
    except RenderError as error:
        print(f"render.py: {error}", file=sys.stderr)
        return 2
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
