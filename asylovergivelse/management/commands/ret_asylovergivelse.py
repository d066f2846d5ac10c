"""Operators' data fix of one asylovergivelse, through the API's message validation (1014),
rules, service and history. Only the options given change; `--force CODE` skips one named
rule and is recorded in the history."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accessrules.core.caller import Caller
from accessrules.core.cpr import is_valid_cpr
from accessrules.core.errors import VALIDATION_FAILED, DomainError, lookup
from accessrules.core.masking import mask_cpr
from accessrules.models import Borger
from asylovergivelse import rules, services
from asylovergivelse.models import Asylovergivelse
from asylovergivelse.validators import parse_message

# option (dest) -> the seed's field name
_OPTIONS = {
    "overgivelsesdato": "overgivelsesdato",
    "cv_edit_end_date": "CVEditEndDate",
    "tidlig_cv": "tidligCvOvergivelsesdato",
    "tidlig_kontrakt": "tidligKontraktOvergivelsesdato",
    "kommunekode": "overgivelseskommunekode",
    "kommentar": "kommentar",
}
_CLEARABLE = {"tidligCvOvergivelsesdato", "tidligKontraktOvergivelsesdato"}


def _texts(violations) -> str:
    return "; ".join(str(v) for v in violations)


class Command(BaseCommand):
    help = (
        "Fix a citizen's asylovergivelse through the same rules and history as the API. "
        "Only the options given change; '' clears an early date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cpr", required=True)
        parser.add_argument("--overgivelsesdato", help="YYYY-MM-DD")
        parser.add_argument("--cv-edit-end-date", help="CVEditEndDate, YYYY-MM-DD")
        parser.add_argument("--tidlig-cv", help="tidligCvOvergivelsesdato ('' clears it)")
        parser.add_argument("--tidlig-kontrakt", help="tidligKontraktOvergivelsesdato ('' clears)")
        parser.add_argument("--kommunekode", help="overgivelseskommunekode ('-1' or 1-8 digits)")
        parser.add_argument(
            "--kommentar", default="", help="why (required when overgivelsesdato moves)"
        )
        parser.add_argument(
            "--force",
            type=int,
            action="append",
            default=[],
            choices=rules.FORCEABLE,
            help="skip this rule code (repeatable); recorded in the history",
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, cpr, force, dry_run, **options):
        if not is_valid_cpr(cpr):
            raise CommandError("--cpr is not a valid CPR number")
        borger = Borger.objects.filter(cpr=cpr).first()
        stored = Asylovergivelse.objects.filter(borger=borger).first() if borger else None
        if stored is None:
            raise CommandError(f"{mask_cpr(cpr)} has no asylovergivelse to fix (9201)")
        data = self._message(stored, options)
        caller = Caller(organisation=None, label="ret_asylovergivelse")
        try:
            with transaction.atomic():
                services.ret_asylovergivelse(
                    caller=caller, cpr=cpr, data=data, force=frozenset(force)
                )
                if dry_run:
                    transaction.set_rollback(True)
        except DomainError as refusal:
            raise CommandError(f"nothing was changed: {_texts(refusal.violations)}") from refusal
        verb = "would be" if dry_run else "was"
        forced = f" (forced: {', '.join(map(str, sorted(set(force))))})" if force else ""
        self.stdout.write(f"The asylovergivelse of {mask_cpr(cpr)} {verb} updated{forced}.")

    def _message(self, stored: Asylovergivelse, options: dict) -> rules.Overgivelsesdata:
        """The PUT message the fix amounts to, validated as the API validates it (1014)."""
        message = {
            seed: value.isoformat() if hasattr(value, "isoformat") else value
            for attribute, seed in rules.FIELDS.items()
            if (value := getattr(stored, attribute)) is not None and seed != "kommentar"
        }
        for option, seed in _OPTIONS.items():
            value = options.get(option)
            if value is None:
                continue
            if value == "" and seed in _CLEARABLE:
                message.pop(seed, None)
            else:
                message[seed] = value
        values, failures = parse_message(message)
        if failures:
            text = "; ".join(
                f"{VALIDATION_FAILED} {lookup(VALIDATION_FAILED).text} ({field}): {reason}"
                for field, reason in failures
            )
            raise CommandError(f"nothing was changed: {text}")
        return rules.Overgivelsesdata.from_seed(values)
