from django.conf import settings
from django.core.management.base import BaseCommand

from accessrules.accesslog import retention
from accessrules.notifikationer import services as notifikationer


class Command(BaseCommand):
    help = (
        "Delete recorded request ids, access-log rows and notifications (with their "
        "deliveries) older than their retention."
    )

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
        days = settings.NOTIFICATION_RETENTION_DAYS
        if dry_run:
            old = notifikationer.foraeldede(days).count()
            self.stdout.write(f"notifications: {old} would be deleted (> {days} days)")
            return
        deleted = notifikationer.slet_foraeldede(
            days, progress=lambda n: self.stderr.write(f"notifications: {n} deleted so far")
        )
        self.stdout.write(f"notifications: {deleted} deleted (> {days} days)")
