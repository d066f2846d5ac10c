"""The notification worker: `python manage.py lever_notifikationer` (docs/operations.md)."""

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from procrastinate import PsycopgConnector
from procrastinate.contrib.django import app, connector_params

from accessrules.notifikationer.tasks import QUEUE, genoptag_stalled, genoptag_ventende

SWITCH_INTERVAL_SECONDS = 0.0005


class Command(BaseCommand):
    help = (
        "Deliver notifications to the subscribers' callbacks (Procrastinate's worker on the "
        "notifikationer queue). Connects straight to PostgreSQL: "
        "NOTIFICATION_WORKER_DATABASE_URL, default DATABASE_URL (never a transaction-pooling "
        "PgBouncer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency", type=int, default=settings.NOTIFICATION_WORKER_CONCURRENCY
        )
        parser.add_argument(
            "--until-empty", action="store_true", help="stop when no job is ready (tests, cron)"
        )

    def handle(self, *args, concurrency, until_empty, **options):
        if not settings.NOTIFICATIONS_ENABLED:
            raise CommandError("Notifications are off (SQLite, or NOTIFICATIONS_ENABLED=0).")
        url = settings.NOTIFICATION_WORKER_DATABASE_URL
        params = {"conninfo": url} if url else {"kwargs": connector_params("default")}
        connector = PsycopgConnector(min_size=1, max_size=max(2, concurrency // 2), **params)
        stalled = settings.NOTIFICATION_WORKER_STALLED_SECONDS
        options = {
            "queues": [QUEUE],
            "concurrency": concurrency,
            "wait": not until_empty,
            "update_heartbeat_interval": max(0.5, stalled / 3),
            "stalled_worker_timeout": stalled,
            "delete_jobs": "successful",
        }

        async def recover():
            """A dead worker's jobs run again, and a backlog without a job gets one, checked
            every `stalled` seconds."""
            while True:
                recovered = await genoptag_stalled()
                if recovered:
                    self.stderr.write(f"{recovered} jobs of a stopped worker queued again")
                await sync_to_async(genoptag_ventende, thread_sensitive=False)()
                await asyncio.sleep(stalled)

        # the queue's fetch loop (asyncio) waits for the GIL behind the sending and job
        # threads at every step; a shorter switch interval than Python's 5 ms lets it fetch
        # the next job sooner
        sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)

        async def run():
            # Procrastinate runs a sync task in the loop's default executor, whose size is
            # min(32, CPUs + 4) (6 on 2 cores), not `concurrency`: give it one thread a job
            loop = asyncio.get_running_loop()
            loop.set_default_executor(
                ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="levering")
            )
            async with worker_app.open_async():
                recovery = asyncio.create_task(recover())
                try:
                    await worker_app.run_worker_async(**options)
                finally:
                    recovery.cancel()

        with app.replace_connector(connector) as worker_app:
            asyncio.run(run())
