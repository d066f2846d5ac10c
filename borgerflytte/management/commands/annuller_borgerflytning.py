import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from borgerflytte import services


class Command(BaseCommand):
    help = "Cancel a waiting relocation flow (recorded with the begrundelse; never deletes)."

    def add_arguments(self, parser):
        parser.add_argument("id", help="the borgerflytning's uuid")
        parser.add_argument("--begrundelse", required=True, help="why the flow is cancelled")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args, id, begrundelse, dry_run, **options):
        try:
            flow_id = uuid.UUID(id)
        except ValueError:
            raise CommandError(f"{id!r} is not a uuid") from None
        try:
            with transaction.atomic():
                flow = services.annuller(
                    flytning_id=flow_id, begrundelse=begrundelse, af="annuller_borgerflytning"
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ValueError as exc:
            raise CommandError(f"nothing was changed: {exc}") from exc
        verb = "would be" if dry_run else "is"
        self.stdout.write(f"Borgerflytning {flow.pk} {verb} ANNULLERET.")
