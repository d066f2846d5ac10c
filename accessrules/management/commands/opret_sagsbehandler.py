"""opret_sagsbehandler BRUGERNAVN --organisation TYPE:CODE --rolle Sagsbehandler|Support
[--break-glass | --no-break-glass] [--dry-run]: make or change a local caseworker account
(SPEC 7). The password is read from standard input (a terminal is asked without echo; a pipe
gives its first line); an existing account keeps its password when none is given."""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accessrules.models import Organisation, Rolle, RolleKilde
from accessrules.sagsbehandlere import SagsbehandlerFejl, saet_sagsbehandler, sagsbehandler_for


def _ja(value: bool) -> str:
    return "ja" if value else "nej"


class Command(BaseCommand):
    help = (
        "Opret eller ret en lokal sagsbehandlerkonto: organisation og rolle; adgangskoden "
        "læses fra standard input. / Make or change a local caseworker account; the password "
        "is read from standard input."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("brugernavn", metavar="BRUGERNAVN")
        parser.add_argument("--organisation", required=True, metavar="TYPE:CODE")
        parser.add_argument("--rolle", required=True, choices=[r.value for r in Rolle])
        parser.add_argument(
            "--break-glass",
            action="store_true",
            default=None,
            help="nødadgang: må logge ind med adgangskode uden DEBUG/DEMO",
        )
        parser.add_argument(
            "--no-break-glass", dest="break_glass", action="store_false", help="ikke nødadgang"
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, brugernavn, organisation, rolle, break_glass, dry_run, **options):
        User = get_user_model()
        brugernavn = brugernavn.strip()
        if not brugernavn or len(brugernavn) > User._meta.get_field("username").max_length:
            raise CommandError("Ugyldigt brugernavn. / Invalid user name (1-150 characters).")
        try:
            org = Organisation.objects.get_by_natural_key(organisation)
        except (Organisation.DoesNotExist, ValueError):
            raise CommandError(
                f"Ukendt organisation {organisation!r}. / Unknown organisation (TYPE:CODE, "
                "e.g. 7:101)."
            ) from None
        user = User.objects.filter(username=brugernavn).first()
        row = sagsbehandler_for(user) if user is not None else None
        if row is not None and row.kilde == RolleKilde.SAML:
            raise CommandError(
                f"{brugernavn!r} er en SAML-bruger: organisation og rolle kommer fra "
                "organisationens login. / A SAML user: its role comes from the identity provider."
            )
        adgangskode = self._adgangskode(options.get("stdin") or sys.stdin)
        if user is None and not adgangskode:
            raise CommandError(
                "En ny konto skal have en adgangskode på standard input. / A new account needs "
                "a password on standard input."
            )
        with transaction.atomic():
            new = user is None
            if new:
                user = User(username=brugernavn, is_staff=True)
            if adgangskode:
                try:
                    validate_password(adgangskode, user)
                except ValidationError as exc:
                    raise CommandError(
                        "Adgangskoden afvist / password refused: " + " ".join(exc.messages)
                    ) from None
                user.set_password(adgangskode)
            user.save()
            try:
                row, changed = saet_sagsbehandler(
                    user,
                    organisation=org,
                    rolle=Rolle(rolle),
                    kilde=RolleKilde.LOKAL,
                    break_glass=break_glass,
                    begrundelse="opret_sagsbehandler",
                )
            except SagsbehandlerFejl as exc:
                raise CommandError(f"{exc} / not an organisation of caseworkers.") from None
            if dry_run:
                transaction.set_rollback(True)
        what = "Oprettet / created" if new else "Rettet / changed"
        self.stdout.write(
            f"{'Dry run: ' if dry_run else ''}{what}: {brugernavn} — {row.rolle}, "
            f"{org.reference} ({org.navn}), break-glass: {_ja(row.break_glass)}, "
            f"adgangskode: {'ny' if adgangskode else 'uændret'}."
        )
        if dry_run:
            self.stdout.write("Dry run: intet er skrevet. / Nothing was written.")

    def _adgangskode(self, stdin) -> str:
        if stdin.isatty():
            first = getpass.getpass("Adgangskode (tom: uændret): ")
            if first and getpass.getpass("Igen: ") != first:
                raise CommandError("Adgangskoderne er forskellige. / The passwords differ.")
            return first
        return stdin.readline().rstrip("\r\n")
