import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accessrules.models import ApiClient, Organisation
from accessrules.oauth import scopes
from accessrules.oauth.clients import opret_api_klient


class Command(BaseCommand):
    help = (
        "Create an API client bound to organisations, with the scopes it may ask for. Prints "
        '{"client_id": ..., "client_secret": ...} once; only a hash of the secret is stored.'
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--organisation",
            action="append",
            required=True,
            metavar="TYPE:CODE",
            help="an organisation the client may act for (repeatable), e.g. 8:10100",
        )
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=sorted(scopes.ALL),
            help="a scope the client may ask for (repeatable)",
        )
        parser.add_argument("--system", action="store_true", help='"System - alle borgere"')
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, name, organisation, scope, system, dry_run, **options):
        organisationer = []
        for reference in organisation:
            try:
                organisationer.append(Organisation.objects.get_by_natural_key(reference))
            except (Organisation.DoesNotExist, ValueError):
                raise CommandError(f"unknown organisation {reference!r} (TYPE:CODE)") from None
        if ApiClient.objects.filter(navn=name).exists():
            raise CommandError(f"an API client named {name!r} exists already")
        with transaction.atomic():
            client, secret = opret_api_klient(
                navn=name, organisationer=organisationer, scopes=scope, system=system
            )
            if dry_run:
                transaction.set_rollback(True)
        if dry_run:
            self.stderr.write(f"Dry run: client {name!r} would be created; nothing was written.")
            return
        self.stdout.write(
            json.dumps({"client_id": client.application.client_id, "client_secret": secret})
        )
