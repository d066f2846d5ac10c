"""Time every admin page, the API calls and the commands on bench/national.py's database
(issue 23 item 5), through Django's test Client with the bench settings (the production
settings), as the superuser `bench-admin` and the STAR client `bench-token`: the median of 3
after one warm-up call, and the slowest statement of the last call. Prints a Markdown table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bi_national_bench \\
        .venv/bin/python bench/national_times.py [--no-purge]

`purge` is last and really removes the rows past the retention (200 days of log, 183 kept:
about 17 daily partitions); `--no-purge` leaves it out, so the run can be repeated.
"""

import os
import statistics
import sys
import time
from io import StringIO

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.conf import settings  # noqa: E402

# Static files from the apps, not a collectstatic manifest (the run needs no collectstatic).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accessrules.models import Borger  # noqa: E402

AUTH = {
    "Authorization": "Bearer bench-token",
    "x-activeOrganisationTypeIdentifier": "1",
    "x-activeOrganisationCode": "STAR",
}
ADMIN_PAGES = [
    ("admin: dashboard", "/admin/"),
    ("admin: access log", "/admin/accessrules/accesslogentry/"),
    (
        "admin: access log, one operation",
        "/admin/accessrules/accesslogentry/?handling=GetAsylOvergivelse",
    ),
    ("admin: access log, this year", "/admin/accessrules/accesslogentry/?created_at__year=2026"),
    ("admin: citizens", "/admin/accessrules/borger/"),
    ("admin: citizens, flygtning", "/admin/accessrules/borger/?kontaktgruppe=flygtning"),
    ("admin: transitions", "/admin/asylovergivelse/asylovergivelse/"),
    ("admin: flows", "/admin/borgerflytte/borgerflytning/"),
    ("admin: flows, AFVENTER", "/admin/borgerflytte/borgerflytning/?tilstand__exact=AFVENTER"),
    ("admin: CPR events' receipts", "/admin/borgerflytte/haendelsekvittering/"),
    ("admin: request ids", "/admin/accessrules/requestid/"),
    ("admin: a citizen with 1,000 log rows", "/admin/accessrules/borger/1/change/"),
]


def measure(call) -> tuple[float, str]:
    """Median ms of 3 after a warm-up; the slowest statement of the last call."""
    call()
    times = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call()
            times.append((time.perf_counter() - started) * 1000)
        status = getattr(response, "status_code", 200)
        if status >= 400:
            raise SystemExit(f"answered {status}")
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    note = f"{float(slowest['time']) * 1000:.1f} ms: `{slowest['sql'][:70]}`" if slowest else ""
    return statistics.median(times), note


def once(call) -> tuple[float, str]:
    started = time.perf_counter()
    out = call()
    return (time.perf_counter() - started) * 1000, out


def main() -> None:
    rows = []
    admin = Client(HTTP_HOST="127.0.0.1")
    admin.force_login(User.objects.get(username="bench-admin"))
    for label, url in ADMIN_PAGES:
        rows.append((label, *measure(lambda url=url: admin.get(url))))
    api = Client(HTTP_HOST="127.0.0.1")
    cpr = Borger.objects.filter(kontaktgruppe="flygtning").values_list("cpr", flat=True)[0]
    for label, url, headers in [
        (
            "API: GET /v1/Asylovergivelse",
            "/v1/Asylovergivelse",
            {"x-civilRegistrationIdentifier": cpr},
        ),
        ("API: GET /v1/BorgerFlytte (first page)", "/v1/BorgerFlytte?limit=20", {}),
        ("API: GET /v1/BorgerFlytte AFVENTER", "/v1/BorgerFlytte?limit=20&tilstand=AFVENTER", {}),
    ]:
        rows.append((label, *measure(lambda u=url, h=headers: api.get(u, headers={**AUTH, **h}))))
    for command in ["opret_partitioner"] + ([] if "--no-purge" in sys.argv else ["purge"]):
        out = StringIO()
        took, _ = once(lambda c=command, o=out: call_command(c, stdout=o, stderr=StringIO()))
        rows.append((f"`{command}` (once)", took, out.getvalue().strip().replace("\n", "; ")))
    print("| what | median of 3 (ms) | slowest statement / output |")
    print("| --- | --- | --- |")
    for label, ms, note in rows:
        print(f"| {label} | {ms:.1f} | {note} |")


if __name__ == "__main__":
    main()
