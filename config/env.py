"""Typed readers for environment variables: the only place settings touch os.environ."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_number(name: str, default, parse, kind: str):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be {kind}, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


POSTGRESQL_ENGINE = "django.db.backends.postgresql"
# libpq's values that make it skip a standby among several hosts
READ_WRITE_SESSION_ATTRS = ("read-write", "primary")
# ... and those that let it choose a standby: for DATABASE_REPLICA_URL's several hosts
REPLICA_SESSION_ATTRS = ("standby", "prefer-standby", "read-only", "any")


def _host_and_port(item: str, url: str) -> tuple[str, str]:
    if item.startswith("["):  # [IPv6]:port
        host, _, port = item[1:].partition("]")
        port = port.removeprefix(":")
    else:
        host, _, port = item.partition(":")
    if not host or not (port == "" or port.isdigit()):
        raise ImproperlyConfigured(f"DATABASE_URL: {item!r} is not HOST[:PORT] in {_masked(url)}")
    return host, port or "5432"


def _masked(url: str) -> str:
    """The URL without its password (for error messages)."""
    scheme, _, rest = url.partition("://")
    userinfo, at, hosts = rest.rpartition("@")
    if at and ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    return f"{scheme}://{userinfo}{at}{hosts}"


def database_from_url(
    url: str, *, session_attrs: tuple[str, ...] = READ_WRITE_SESSION_ATTRS, **options
) -> dict:
    """A Django DATABASES entry from a DATABASE_URL: dj-database-url's `parse` (with
    `options`), plus libpq's multi-host form, which it does not read:

        postgres://USER:PASSWORD@pg1:5432,pg2:5432,pg3:5432/NAME?target_session_attrs=read-write

    libpq tries the hosts in order and keeps the first that accepts writes (the current
    primary), so the app follows a failover without being reconfigured. Several hosts need
    PostgreSQL and `target_session_attrs=read-write` (or `primary`): without it a standby
    could be chosen and every write would fail. A standby's URL (DATABASE_REPLICA_URL) passes
    `session_attrs=REPLICA_SESSION_ATTRS` instead.
    """
    scheme, sep, rest = url.partition("://")
    netloc = rest.split("/", 1)[0].split("?", 1)[0]
    userinfo, at, hostlist = netloc.rpartition("@")
    if not sep or "," not in hostlist:
        return dict(dj_database_url.parse(url, **options))
    hosts = [_host_and_port(item.strip(), url) for item in hostlist.split(",")]
    first_host = hosts[0][0]
    first = f"{userinfo}{at}{f'[{first_host}]' if ':' in first_host else first_host}"
    config = dict(dj_database_url.parse(f"{scheme}://{first}{rest[len(netloc) :]}", **options))
    if config["ENGINE"] != POSTGRESQL_ENGINE:
        raise ImproperlyConfigured(f"DATABASE_URL: several hosts need PostgreSQL: {_masked(url)}")
    attrs = config.get("OPTIONS", {}).get("target_session_attrs")
    if attrs not in session_attrs:
        raise ImproperlyConfigured(
            f"the URL names several hosts: add ?target_session_attrs={session_attrs[0]}, or "
            f"a wrong node may be chosen ({_masked(url)})"
        )
    config["HOST"] = ",".join(host for host, _ in hosts)
    config["PORT"] = ",".join(port for _, port in hosts)
    return config
