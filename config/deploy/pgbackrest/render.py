"""Fill pgbackrest.conf.template: `render(values) -> str` (the restore drill's), or

    python3 config/deploy/pgbackrest/render.py stanza=borgerindsats pg_port=5432 > pgbackrest.conf

Placeholders not given take the defaults below; the standard library only."""

import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("pgbackrest.conf.template")
DEFAULTS = {
    "stanza": "borgerindsats",
    "repo_path": "/var/lib/pgbackrest",
    "retention_full": "2",
    "cipher_type": "aes-256-cbc",
    "spool_path": "/var/spool/pgbackrest",
    "log_path": "/var/log/pgbackrest",
    "lock_path": "/tmp/pgbackrest",  # noqa: S108 - pgBackRest's own default
    "pg_path": "/var/lib/postgresql/15/borgerindsats",
    "pg_port": "5432",
    "socket_path": "/var/run/postgresql",
}


def render(values: dict) -> str:
    mapping = {**DEFAULTS, **values}
    template = TEMPLATE.read_text()
    unknown = set(re.findall(r"\{\{ (\w+) \}\}", template)) - set(mapping)
    if unknown:
        raise ValueError(f"no value for {sorted(unknown)}")
    return re.sub(r"\{\{ (\w+) \}\}", lambda m: str(mapping[m.group(1)]), template)


if __name__ == "__main__":
    sys.stdout.write(render(dict(arg.split("=", 1) for arg in sys.argv[1:])))
