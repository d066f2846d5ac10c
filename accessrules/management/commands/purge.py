import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accessrules.models import AccessLogEntry, RequestId

BATCH = 5000


class Command(BaseCommand):
    help = "Delete recorded request ids and access-log rows older than their retention."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):
        now = timezone.now()
        targets = [
            ("access-log rows", AccessLogEntry, settings.ACCESS_LOG_RETENTION_DAYS),
            ("request ids", RequestId, settings.REQUEST_ID_RETENTION_DAYS),
        ]
        for label, model, days in targets:
            old = model.objects.filter(created_at__lt=now - datetime.timedelta(days=days))
            if dry_run:
                self.stdout.write(f"{label}: {old.count()} would be deleted (> {days} days)")
                continue
            deleted = 0
            while True:
                ids = list(old.values_list("pk", flat=True)[:BATCH])
                if not ids:
                    break
                deleted += model.objects.filter(pk__in=ids).delete()[0]
                self.stderr.write(f"{label}: {deleted} deleted so far")
            self.stdout.write(f"{label}: {deleted} deleted (> {days} days)")
