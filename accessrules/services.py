"""Writes on accessrules' own records outside the register import and the CPR events: a
caseworker's correction of a citizen."""

from django.db import transaction

from accessrules.core.caller import Caller
from accessrules.models import Borger


@transaction.atomic
def ret_kontaktgruppe(*, caller: Caller, borger_id: int, kontaktgruppe: str) -> None:
    """A caseworker's correction of a citizen's contact group (rule 9198 reads it); the other
    fields of a citizen come from the register and CPR events."""
    borger = Borger.objects.select_for_update().get(pk=borger_id)
    if borger.kontaktgruppe != kontaktgruppe:
        borger.kontaktgruppe = kontaktgruppe
        borger.save(update_fields=["kontaktgruppe"])
