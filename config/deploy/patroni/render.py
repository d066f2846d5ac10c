"""Render the recipe's Patroni node configuration or an etcd member's from the environment.

    PGHA_NAME=pg1 PGHA_HOST=10.0.0.31 PGHA_NETWORK=10.0.0.0/24 \\
    PGHA_ETCD_HOSTS=10.0.0.21:2379,10.0.0.22:2379,10.0.0.23:2379 \\
    python3 config/deploy/patroni/render.py patroni > /etc/patroni/config.yml

    ETCD_NAME=etcd1 ETCD_HOST=10.0.0.21 \\
    ETCD_INITIAL_CLUSTER=etcd1=http://10.0.0.21:2380,etcd2=http://10.0.0.22:2380,... \\
    python3 config/deploy/patroni/render.py etcd > /etc/default/etcd.yml

Python's standard library only (it runs on a database host without the app's virtualenv).
`--variables` lists every variable with its default; README.md in this folder explains them.
A missing required variable or a bad value stops it with a message, writing nothing.
"""

import argparse
import ipaddress
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES = {"patroni": HERE / "patroni.yml.template", "etcd": HERE / "etcd.conf.yml.template"}
PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")

# name: (default, help); None: required
PATRONI_VARIABLES = {
    "PGHA_SCOPE": ("borgerindsats", "the cluster's name (its keys in etcd)"),
    "PGHA_NAME": (None, "this node's name, unique in the cluster (pg1, pg2, pg3)"),
    "PGHA_HOST": (None, "this node's address, as the other nodes and the app servers reach it"),
    "PGHA_NETWORK": (None, "the network of the nodes and app servers (CIDR) for pg_hba"),
    "PGHA_ETCD_HOSTS": (None, "the three etcd members' client addresses, HOST:PORT,..."),
    "PGHA_PG_PORT": ("5432", "PostgreSQL's port"),
    "PGHA_REST_PORT": ("8008", "Patroni's REST API port (health checks, patronictl)"),
    "PGHA_LISTEN": ("", "PostgreSQL's listen address (default: PGHA_HOST)"),
    "PGHA_DATA_DIR": ("/var/lib/postgresql/15/borgerindsats", "the data directory"),
    "PGHA_BIN_DIR": ("/usr/lib/postgresql/15/bin", "PostgreSQL's binaries"),
    "PGHA_SOCKET_DIR": ("/var/run/postgresql", "the Unix socket's folder"),
    "PGHA_PGPASS": ("/var/lib/postgresql/.pgpass.patroni", "the .pgpass Patroni writes"),
    "PGHA_TTL": ("30", "seconds the leader key lives without being renewed"),
    "PGHA_LOOP_WAIT": ("10", "seconds between Patroni's rounds"),
    "PGHA_RETRY_TIMEOUT": ("10", "seconds etcd and PostgreSQL operations are retried"),
    "PGHA_SYNCHRONOUS_STRICT": ("true", "true: no commit without a synchronous standby"),
    "PGHA_SYNCHRONOUS_NODE_COUNT": ("1", "synchronous standbys a commit waits for"),
    "PGHA_MAX_CONNECTIONS": ("300", "PostgreSQL's max_connections (the same on every node)"),
    "PGHA_SHARED_BUFFERS": ("128MB", "shared_buffers (production: ~25 % of the RAM)"),
    "PGHA_WAL_KEEP_SIZE": ("1GB", "WAL kept for a standby that falls behind"),
    "PGHA_PGBACKREST_STANZA": ("", "pgBackRest's stanza: archive WAL to it (empty: off)"),
    "PGHA_ARCHIVE_TIMEOUT": ("60", "seconds at most before a WAL segment is archived"),
}
ETCD_VARIABLES = {
    "PGHA_SCOPE": PATRONI_VARIABLES["PGHA_SCOPE"],
    "ETCD_NAME": (None, "this member's name (etcd1, etcd2, etcd3)"),
    "ETCD_HOST": (None, "this member's address"),
    "ETCD_INITIAL_CLUSTER": (None, "every member: NAME=http://HOST:PEER_PORT,... (three)"),
    "ETCD_CLIENT_PORT": ("2379", "the clients' (Patroni's) port"),
    "ETCD_PEER_PORT": ("2380", "the members' port among themselves"),
    "ETCD_DATA_DIR": ("/var/lib/etcd/borgerindsats", "the member's data"),
    "ETCD_INITIAL_CLUSTER_STATE": ("new", "new, or existing when replacing a member"),
}
VARIABLES = {"patroni": PATRONI_VARIABLES, "etcd": ETCD_VARIABLES}


class RenderError(ValueError):
    pass


def _read(environ: dict, variables: dict) -> dict[str, str]:
    env = {}
    for name, (default, help_text) in variables.items():
        raw = environ.get(name, "").strip()
        if not raw and default is None:
            raise RenderError(f"{name} is required: {help_text}")
        env[name] = raw or default
        if re.search(r"[\s'\"#{}]", env[name]):
            raise RenderError(f"{name}={env[name]!r}: no spaces, quotes, # or braces")
    return env


def _int(env: dict, name: str, low: int, high: int) -> int:
    try:
        value = int(env[name])
    except ValueError:
        raise RenderError(f"{name}={env[name]!r}: expected a whole number") from None
    if not low <= value <= high:
        raise RenderError(f"{name}={value}: expected {low}..{high}")
    return value


def _bool(env: dict, name: str) -> str:
    value = env[name].lower()
    if value not in ("true", "false"):
        raise RenderError(f"{name}={env[name]!r}: expected true or false")
    return value


def patroni_values(environ: dict) -> dict[str, str]:
    env = _read(environ, PATRONI_VARIABLES)
    ttl = _int(env, "PGHA_TTL", 5, 600)
    loop_wait = _int(env, "PGHA_LOOP_WAIT", 1, 300)
    retry_timeout = _int(env, "PGHA_RETRY_TIMEOUT", 1, 300)
    if loop_wait + 2 * retry_timeout > ttl:  # Patroni's own rule
        raise RenderError("PGHA_LOOP_WAIT + 2 * PGHA_RETRY_TIMEOUT must not exceed PGHA_TTL")
    try:
        network = str(ipaddress.ip_network(env["PGHA_NETWORK"], strict=False))
    except ValueError:
        raise RenderError(f"PGHA_NETWORK={env['PGHA_NETWORK']!r}: expected a CIDR") from None
    hosts = [h for h in env["PGHA_ETCD_HOSTS"].split(",") if h]
    if not all(re.fullmatch(r"[\w.\-]+:\d{1,5}", h) for h in hosts):
        raise RenderError("PGHA_ETCD_HOSTS: expected HOST:PORT,HOST:PORT,...")
    stanza = env["PGHA_PGBACKREST_STANZA"]
    pg_port, rest_port = _int(env, "PGHA_PG_PORT", 1, 65535), _int(env, "PGHA_REST_PORT", 1, 65535)
    return {
        "scope": env["PGHA_SCOPE"],
        "name": env["PGHA_NAME"],
        "host": env["PGHA_HOST"],
        "pg_port": str(pg_port),
        "rest_port": str(rest_port),
        "pg_listen": f"{env['PGHA_LISTEN'] or env['PGHA_HOST']}:{pg_port}",
        "rest_listen": f"{env['PGHA_LISTEN'] or env['PGHA_HOST']}:{rest_port}",
        "etcd_hosts": ",".join(hosts),
        "network": network,
        "data_dir": env["PGHA_DATA_DIR"],
        "bin_dir": env["PGHA_BIN_DIR"],
        "socket_dir": env["PGHA_SOCKET_DIR"],
        "pgpass": env["PGHA_PGPASS"],
        "ttl": str(ttl),
        "loop_wait": str(loop_wait),
        "retry_timeout": str(retry_timeout),
        "strict": _bool(env, "PGHA_SYNCHRONOUS_STRICT"),
        "synchronous_node_count": str(_int(env, "PGHA_SYNCHRONOUS_NODE_COUNT", 1, 10)),
        "max_connections": str(_int(env, "PGHA_MAX_CONNECTIONS", 20, 10000)),
        "shared_buffers": env["PGHA_SHARED_BUFFERS"],
        "wal_keep_size": env["PGHA_WAL_KEEP_SIZE"],
        "archive_mode": "on" if stanza else "off",
        "archive_command": f"pgbackrest --stanza={stanza} archive-push %p" if stanza else "",
        "archive_timeout": str(_int(env, "PGHA_ARCHIVE_TIMEOUT", 1, 3600)),
    }


def etcd_values(environ: dict) -> dict[str, str]:
    env = _read(environ, ETCD_VARIABLES)
    members = [m for m in env["ETCD_INITIAL_CLUSTER"].split(",") if m]
    if not all(re.fullmatch(r"[\w\-]+=https?://[\w.\-]+:\d{1,5}", m) for m in members):
        raise RenderError("ETCD_INITIAL_CLUSTER: expected NAME=http://HOST:PORT,...")
    if env["ETCD_INITIAL_CLUSTER_STATE"] not in ("new", "existing"):
        raise RenderError("ETCD_INITIAL_CLUSTER_STATE: new or existing")
    return {
        "scope": env["PGHA_SCOPE"],
        "etcd_name": env["ETCD_NAME"],
        "etcd_host": env["ETCD_HOST"],
        "etcd_client_port": str(_int(env, "ETCD_CLIENT_PORT", 1, 65535)),
        "etcd_peer_port": str(_int(env, "ETCD_PEER_PORT", 1, 65535)),
        "etcd_data_dir": env["ETCD_DATA_DIR"],
        "etcd_initial_cluster": ",".join(members),
        "etcd_initial_cluster_state": env["ETCD_INITIAL_CLUSTER_STATE"],
    }


def render(kind: str, environ: dict) -> str:
    mapping = patroni_values(environ) if kind == "patroni" else etcd_values(environ)
    template = TEMPLATES[kind].read_text()
    unknown = set(PLACEHOLDER.findall(template)) - set(mapping)
    if unknown:  # a template edited without its renderer
        raise RenderError(f"the template names unknown placeholders: {sorted(unknown)}")
    return PLACEHOLDER.sub(lambda match: mapping[match.group(1)], template)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=sorted(TEMPLATES))
    parser.add_argument("--variables", action="store_true", help="list the variables and exit")
    args = parser.parse_args(argv)
    if args.variables:
        for name, (default, help_text) in VARIABLES[args.kind].items():
            print(f"{name}={default if default is not None else '(required)'}  # {help_text}")
        return 0
    try:
        sys.stdout.write(render(args.kind, dict(os.environ)))
    except RenderError as error:
        print(f"render.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
