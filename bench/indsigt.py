"""How long a citizen's insight report takes (issue 21, item 3): page, CSV and PDF for one
citizen with ROWS access-log rows among OTHERS rows of other citizens. Run by hand on a
scratch database (it creates and then deletes its rows):

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB .venv/bin/python \
        bench/indsigt.py [--rows 1000] [--others 100000]

The national-scale issue's benchmark (30 million rows) is to measure the same three."""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accessrules.models import AccessLogEntry, Borger, Organisation, OrganisationType  # noqa: E402
from accessrules.sagsbehandlere.grupper import opret_grupper  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--others", type=int, default=100_000)
    args = parser.parse_args()
    star, _ = Organisation.objects.get_or_create(
        type=OrganisationType.STAR, kode="STAR", defaults={"navn": "STAR"}
    )
    borger, _ = Borger.objects.get_or_create(cpr="0101700007")
    anden, _ = Borger.objects.get_or_create(cpr="0101700015")
    now = timezone.now()
    rows = [
        AccessLogEntry(
            created_at=now - timezone.timedelta(minutes=i),
            handling="GetAsylOvergivelse",
            organisation=star,
            borger=borger if i < args.rows else anden,
            outcome=200,
        )
        for i in range(args.rows + args.others)
    ]
    AccessLogEntry.objects.bulk_create(rows, batch_size=5000)
    opret_grupper()
    user = User.objects.create_superuser("bench-indsigt", password="x")
    client = Client()
    client.force_login(user)
    try:
        for suffix in ("", "csv/", "pdf/"):
            url = f"/admin/accessrules/borger/{borger.pk}/indsigt/{suffix}"
            client.get(url)  # warm
            start = time.perf_counter()
            response = client.get(url)
            took = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            print(f"{suffix or 'page'}: {took * 1000:.0f} ms, {len(response.content)} bytes")
    finally:
        AccessLogEntry.objects.filter(borger__in=[borger, anden]).delete()
        user.delete()


if __name__ == "__main__":
    main()
