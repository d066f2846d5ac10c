"""Time every admin page, the API calls and the commands on bench/national.py's database
(issue 23 item 5), through Django's test Client with the bench settings (the production
settings), as the superuser `bench-admin` and the STAR client `bench-token`: the median of 3
after one warm-up call, and the slowest statement of the last call. Prints a Markdown table.
Also the caseworker of the largest kommune's restricted lists, the other roles' first lists
(`ROLES`), the insight report as STAR's
Support, kommune 101's API list and both confirmations (the actors: bench/national_actors.py,
made on the first run).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bi_national_bench \\
        .venv/bin/python bench/national_times.py [--no-purge]

WARMUP=N makes N warm-up calls instead of one (6 or more: each statement timed as PostgreSQL
runs it once prepared, and if it then prefers a generic plan, with that plan).

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
from django.urls import reverse  # noqa: E402

from accessrules.models import Borger  # noqa: E402
from bench.national_actors import (  # noqa: E402
    CASEWORKER,
    KOMMUNE_AUTH,
    ROLES,
    SUPPORT,
    deep_cursor,
    ensure_actors,
    unconfirmed_flows,
)

# warm-up calls before the 3 timed: 1; 6 or more to time each statement as PostgreSQL runs it
# once prepared (psycopg prepares on the 5th run; the plan may turn generic from the 6th)
WARMUP = int(os.environ.get("WARMUP", 1))
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
    ("admin: a citizen with 1,000 log rows", ("admin:accessrules_borger_change", 1)),
]
# The caseworker of the largest kommune (101, ~650,000 citizens): the lists restricted to
# what that kommune may see (issue 21 item 1), through the same restrict() as the API.
CASEWORKER_PAGES = [
    ("caseworker 101: dashboard", "/admin/"),
    ("caseworker 101: citizens", "/admin/accessrules/borger/"),
    ("caseworker 101: flows", "/admin/borgerflytte/borgerflytning/"),
    (
        "caseworker 101: flows, AFVENTER",
        "/admin/borgerflytte/borgerflytning/?tilstand__exact=AFVENTER",
    ),
    ("caseworker 101: transitions", "/admin/asylovergivelse/asylovergivelse/"),
    ("caseworker 101: access log (its own look-ups)", "/admin/accessrules/accesslogentry/"),
]
# Each other role (bench/national_actors.ROLES): the lists a caseworker opens first.
ROLE_PAGES = [
    ("dashboard", "/admin/"),
    ("citizens", "/admin/accessrules/borger/"),
    ("flows", "/admin/borgerflytte/borgerflytning/"),
    ("transitions", "/admin/asylovergivelse/asylovergivelse/"),
]
# The insight report (issue 21 item 3) for citizen 1, who has 1,000 log rows, as STAR's Support.
INSIGHT_PAGES = [
    ("insight: page (1,000 rows)", ("admin:borger_indsigt", 1)),
    ("insight: CSV", ("admin:borger_indsigt_csv", 1)),
    ("insight: PDF", ("admin:borger_indsigt_pdf", 1)),
]


def measure(call) -> tuple[float, str]:
    """Median ms of 3 after WARMUP calls; the slowest statement of the last call."""
    for _ in range(WARMUP):
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


def url_of(page) -> str:
    """A path, or (URL name, citizen id): admin URLs name a citizen by its opaque token."""
    if isinstance(page, str):
        return page
    name, pk = page
    return reverse(name, args=[pk])


def pages(username: str, pages: list) -> list:
    browser = Client(HTTP_HOST="127.0.0.1")
    browser.force_login(User.objects.get(username=username))
    urls = [(label, url_of(page)) for label, page in pages]
    return [(label, *measure(lambda u=url: browser.get(u))) for label, url in urls]


def confirmations(api: Client) -> list:
    """Both first confirmations, each call on a flow nobody has confirmed yet, as STAR."""
    rows = []
    for which in ("bekraeftfraflytning", "bekraefttilflytning"):
        calls = WARMUP + 3
        flows = iter(unconfirmed_flows(calls, skip=0 if which.endswith("fraflytning") else calls))

        def confirm(which=which, flows=flows):
            flow_id, cpr = next(flows)
            return api.post(
                f"/v1/BorgerFlytte/action/{which}",
                data={"borgerflytningId": str(flow_id)},
                content_type="application/json",
                headers={**AUTH, "x-civilRegistrationIdentifier": cpr, "x-requestId": str(flow_id)},
            )

        rows.append((f"API: POST {which} (first)", *measure(confirm)))
    return rows


def main() -> None:
    ensure_actors()
    rows = pages("bench-admin", ADMIN_PAGES)
    rows += pages(CASEWORKER, CASEWORKER_PAGES)
    for username in ROLES:
        if username not in (CASEWORKER, SUPPORT):
            role = username.removeprefix("bench-")
            rows += pages(username, [(f"{role}: {label}", url) for label, url in ROLE_PAGES])
    rows += pages(SUPPORT, INSIGHT_PAGES)
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
        (
            "API: GET /v1/BorgerFlytte deep cursor page",
            f"/v1/BorgerFlytte?limit=20&cursor={deep_cursor()}",
            {},
        ),
    ]:
        rows.append((label, *measure(lambda u=url, h=headers: api.get(u, headers={**AUTH, **h}))))
    for label, url in [
        ("API: kommune 101 (60,000 flows): first page", "/v1/BorgerFlytte?limit=20"),
        ("API: kommune 101: deep cursor page", f"/v1/BorgerFlytte?limit=20&cursor={deep_cursor()}"),
    ]:
        rows.append((label, *measure(lambda u=url: api.get(u, headers=KOMMUNE_AUTH))))
    rows += confirmations(api)
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
