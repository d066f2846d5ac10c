from django.conf import settings
from django.core.management.base import BaseCommand

from accessrules.accesslog import partitions


class Command(BaseCommand):
    help = (
        "Create the access log's daily partitions from today to ACCESS_LOG_PARTITIONS_AHEAD days "
        "ahead (PostgreSQL; run on a schedule, e.g. daily). Rows the DEFAULT partition holds "
        "for such a day are moved into it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, default=settings.ACCESS_LOG_PARTITIONS_AHEAD)

    def handle(self, *args, ahead, **options):
        if not partitions.enabled():
            self.stdout.write("The access log is not partitioned on this database: nothing to do.")
            return
        created = partitions.ensure_ahead(ahead)
        self.stdout.write(
            f"{len(created)} partitions created; they exist {partitions.days_ahead()} days ahead."
        )
