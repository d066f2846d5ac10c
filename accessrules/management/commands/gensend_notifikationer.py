"""Send failed notification deliveries again: `manage.py gensend_notifikationer`."""

from django.core.management.base import BaseCommand, CommandError

from accessrules.models import Levering, LeveringStatus
from accessrules.notifikationer import haendelser, services


class Command(BaseCommand):
    help = (
        "Queue failed notification deliveries again (the same event id, a fresh set of tries): "
        "the ones named by --levering, or every failed one of --abonnement, or --alle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--levering", type=int, nargs="*", default=[])
        parser.add_argument("--abonnement", help="a subscription's id: all its failed ones")
        parser.add_argument("--alle", action="store_true", help="every failed delivery")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, levering, abonnement, alle, dry_run, **options):
        if not haendelser.enabled():
            raise CommandError("Notifications are off (SQLite, or NOTIFICATIONS_ENABLED=0).")
        if not (levering or abonnement or alle):
            raise CommandError("Name deliveries: --levering ID ..., --abonnement ID or --alle.")
        failed = Levering.objects.filter(status=LeveringStatus.FEJLET).select_related("abonnement")
        if levering:
            failed = failed.filter(pk__in=levering)
            missing = set(levering) - set(failed.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"Not failed deliveries: {sorted(missing)}")
        if abonnement:
            try:
                failed = failed.filter(abonnement_id=abonnement)
            except Exception as exc:  # a malformed UUID
                raise CommandError(f"Not a subscription id: {abonnement}") from exc
        found = list(failed)
        if dry_run:
            self.stdout.write(f"{len(found)} failed deliveries would be sent again")
            return
        count = services.gensend(found)
        self.stdout.write(f"{count} failed deliveries queued again")
