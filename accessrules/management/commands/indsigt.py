"""indsigt --format csv|pdf [--output FILE]: a citizen's insight report (SPEC 7) for an
operator. The CPR is read from standard input (never an argument: it would stand in the
process list and the shell's history); the report goes to FILE or standard output. Making it
leaves an access-log row (`indsigt`, acting as STAR, the operator's organisation)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from accessrules.accesslog import indsigt
from accessrules.accesslog import log as accesslog
from accessrules.core.caller import Caller
from accessrules.core.cpr import is_valid_cpr
from accessrules.models import Borger, Organisation, OrganisationType


class Command(BaseCommand):
    help = (
        "Dan en borgers indsigtsrapport (alle opslag i adgangsloggens opbevaringsperiode) som "
        "CSV eller PDF; CPR-nummeret læses fra standard input. / A citizen's insight report; "
        "the CPR is read from standard input."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=["csv", "pdf"])
        parser.add_argument("--output", metavar="FILE", help="default: standard output")

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        cpr = (stdin.readline() or "").strip().replace("-", "")
        if not is_valid_cpr(cpr):
            raise CommandError("Skriv et gyldigt CPR-nummer (10 cifre) på standard input.")
        borger = Borger.objects.filter(cpr=cpr).first()
        star = Organisation.objects.filter(type=OrganisationType.STAR).order_by("kode").first()
        caller = Caller(organisation=star, label="indsigt")
        if borger is None:
            accesslog.write(
                handling=indsigt.INDSIGT, caller=caller, borger=None, outcome=404, error_code=1010
            )
            raise CommandError("Ingen borger med dette CPR-nummer.")
        rows = indsigt.raekker(borger)
        if options["format"] == "csv":
            content = indsigt.som_csv(rows)
        else:
            content = indsigt.som_pdf(rows, indsigt.overskrift(borger))
        accesslog.write(
            handling=indsigt.INDSIGT, caller=caller, borger=borger, outcome=200, error_code=None
        )
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(content)
            self.stderr.write(f"{len(rows)} rækker skrevet til {options['output']}.")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
