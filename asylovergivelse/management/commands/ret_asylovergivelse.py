import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accessrules.api.problems import ApiError
from accessrules.caller import Caller
from accessrules.cpr import is_valid_cpr, mask_cpr
from accessrules.errors import lookup
from accessrules.models import Borger
from asylovergivelse import rules, services
from asylovergivelse.models import Asylovergivelse

# Rules an operator may explicitly skip; the skip is recorded in the history.
FORCEABLE = (9196, 9197, 9198, 9200, 9202, 9243, 9295, 9296)

_OPTIONS = {
    "overgivelsesdato": "overgivelsesdato",
    "cv_edit_end_date": "cv_edit_end_date",
    "tidlig_cv": "tidlig_cv_overgivelsesdato",
    "tidlig_kontrakt": "tidlig_kontrakt_overgivelsesdato",
}


def _date(value: str) -> datetime.date | None:
    if value == "":
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date YYYY-MM-DD: {value!r}") from None


class Command(BaseCommand):
    help = (
        "Fix a citizen's asylovergivelse through the same rules and history as the API. "
        "Only the options given change; '' clears an early date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cpr", required=True)
        parser.add_argument("--overgivelsesdato")
        parser.add_argument("--cv-edit-end-date")
        parser.add_argument("--tidlig-cv", help="tidligCvOvergivelsesdato ('' clears it)")
        parser.add_argument("--tidlig-kontrakt", help="tidligKontraktOvergivelsesdato")
        parser.add_argument("--kommunekode", help="overgivelseskommunekode")
        parser.add_argument("--kommentar", default="", help="why (required when the date moves)")
        parser.add_argument(
            "--force",
            type=int,
            action="append",
            default=[],
            choices=FORCEABLE,
            help="skip this rule code (repeatable); recorded in the history",
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, cpr, kommunekode, kommentar, force, dry_run, **options):
        if not is_valid_cpr(cpr):
            raise CommandError("--cpr is not a valid CPR number")
        borger = Borger.objects.filter(cpr=cpr).first()
        stored = Asylovergivelse.objects.filter(borger=borger).first() if borger else None
        if stored is None:
            raise CommandError(f"{mask_cpr(cpr)} has no asylovergivelse to fix (9201)")
        values = {attribute: getattr(stored, attribute) for attribute in rules.FIELDS}
        for option, attribute in _OPTIONS.items():
            if options.get(option) is not None:
                values[attribute] = _date(options[option])
        if values["overgivelsesdato"] is None or values["cv_edit_end_date"] is None:
            raise CommandError("overgivelsesdato and CVEditEndDate cannot be cleared")
        if kommunekode is not None:
            values["overgivelseskommunekode"] = kommunekode
        values["kommentar"] = kommentar
        caller = Caller(organisation=None, label="ret_asylovergivelse")
        try:
            with transaction.atomic():
                services.ret_asylovergivelse(
                    borger=borger,
                    data=rules.Overgivelsesdata(**values),
                    caller=caller,
                    force=frozenset(force),
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ApiError as exc:
            texts = "; ".join(f"{v.code} {lookup(v.code).text}" for v in exc.violations)
            raise CommandError(f"nothing was changed: {texts}") from exc
        verb = "would be" if dry_run else "was"
        self.stdout.write(f"The asylovergivelse of {mask_cpr(cpr)} {verb} updated.")
