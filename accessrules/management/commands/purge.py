from django.core.management.base import BaseCommand

from accessrules.accesslog import retention


class Command(BaseCommand):
    help = "Delete recorded request ids and access-log rows older than their retention."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):
        for label, model, days in retention.targets():
            if dry_run:
                old = retention.expired(model, days)
                self.stdout.write(f"{label}: {old.count()} would be deleted (> {days} days)")
                continue
            deleted = retention.purge(
                model,
                days,
                progress=lambda n, label=label: self.stderr.write(f"{label}: {n} deleted so far"),
            )
            self.stdout.write(f"{label}: {deleted} deleted (> {days} days)")
