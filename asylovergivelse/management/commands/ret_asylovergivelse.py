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
from asylovergivelse.validators import DATO, RET_FELTER, TEKST, Felt, laes_besked

_FELTER = RET_FELTER  # the PUT message, as the API defines and checks it


def _hjaelp(felt: Felt) -> str:
    if felt.art == TEKST:
        return f"{felt.navn}: why (required when overgivelsesdato moves)"
    text = f"{felt.navn}, YYYY-MM-DD" if felt.art == DATO else f"{felt.navn} ('-1' or 1-8 digits)"
    return text + (" ('' clears it)" if felt.art == DATO and felt.nullable else "")


def _default(felt: Felt) -> dict:
    return {"default": ""} if felt.art == TEKST else {}


def _texts(violations) -> str:
    return "; ".join(str(v) for v in violations)


class Command(BaseCommand):
    help = (
        "Fix a citizen's asylovergivelse through the same rules and history as the API. "
        "Only the options given change; '' clears an early date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cpr", required=True)
        for felt in _FELTER:
            parser.add_argument(
                f"--{felt.kommandolinje}", dest=felt.attribut, help=_hjaelp(felt), **_default(felt)
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
        for felt in _FELTER:
            value = options.get(felt.attribut)
            if value is None:
                continue
            if value == "" and felt.art == DATO and felt.nullable:
                message.pop(felt.navn, None)
            else:
                message[felt.navn] = value
        values, failures = laes_besked(message, _FELTER)
        if failures:
            text = "; ".join(
                f"{VALIDATION_FAILED} {lookup(VALIDATION_FAILED).text} ({field}): {reason}"
                for field, reason in failures
            )
            raise CommandError(f"nothing was changed: {text}")
        return rules.Overgivelsesdata.from_seed(values)
