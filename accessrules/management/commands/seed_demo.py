from django.core.management.base import BaseCommand

from accessrules.register import import_register

DEMO_DOCUMENT = {
    "organisationer": [
        {"type": 1, "kode": "STAR", "navn": "Styrelsen for Arbejdsmarked og Rekruttering"},
        {"type": 7, "kode": "101", "navn": "Københavns Kommune"},
        {"type": 8, "kode": "10100", "navn": "Jobcenter København"},
    ]
}


class Command(BaseCommand):
    help = "Load a small demo data set (stub: organisations only; see the proof issue)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):
        stats = import_register(DEMO_DOCUMENT, dry_run=dry_run)
        self.stdout.write(f"Demo data loaded: {dict(stats)}")
