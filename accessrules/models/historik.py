"""The one way a change records who made it, for every model with a history
(django-simple-history): `stempl(instance, caller, grund)` before the save.

The history row then holds the Django user (simple-history's own `history_user`: a caseworker
in the admin), the reason (`history_change_reason`: the caller's label, a force, a comment),
and, on models whose history has `HistoryCaller`'s columns, the API client, the organisation
it acted for (a caseworker's own organisation) and the kind of source (`HistorikKilde`).
Bulk writes (the CPR intake, the register import) fill the same columns themselves. Rows
written before `kilde` was recorded have it empty (`kilde_af` tells what the row itself shows).
"""

from django.db import models

from accessrules.core.caller import Caller
from accessrules.models.client import ApiClient
from accessrules.models.organisation import Organisation


class HistorikKilde(models.TextChoices):
    """Who made a change, by kind (SPEC 10's history): shown as `kilde` over the API."""

    API = "api", "API-klient"
    SAGSBEHANDLER = "sagsbehandler", "sagsbehandler i administrationen"
    KOMMANDO = "kommando", "driftskommando"
    CPR = "cpr", "CPR-registret"
    REGISTER = "register", "registerindlæsning (import_register)"


def kilde_for(caller: Caller) -> HistorikKilde:
    """A caller's kind: an API client, a caseworker (a Django user), else an operator's
    command (its label names it)."""
    if caller.client is not None:
        return HistorikKilde.API
    if caller.user is not None:
        return HistorikKilde.SAGSBEHANDLER
    return HistorikKilde.KOMMANDO


def kilde_af(row) -> str | None:
    """The recorded kind of a history row; for a row from before it was recorded, what the
    row itself shows (an API client, a Django user), else None: not known."""
    if row.kilde:
        return row.kilde
    if row.api_client_id is not None:
        return HistorikKilde.API.value
    if row.history_user_id is not None:
        return HistorikKilde.SAGSBEHANDLER.value
    return None


class HistoryCaller(models.Model):
    """Who made a change, on every historical row: the API client and its organisation, or
    (admin) the Django user in simple_history's own history_user column."""

    api_client = models.ForeignKey(
        ApiClient,
        verbose_name="API-klient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="for organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kilde = models.CharField(
        "kilde",
        max_length=13,
        choices=HistorikKilde.choices,
        blank=True,  # "": rows from before it was recorded
        default="",
    )

    class Meta:
        abstract = True


def _grundlaengde(instance: models.Model) -> int | None:
    """The history's change-reason length: None for a text column (flows and transitions
    keep a cancellation's whole begrundelse), simple-history's 100 otherwise."""
    history = getattr(type(instance), "history", None)
    if history is None:
        return 100
    return history.model._meta.get_field("history_change_reason").max_length


def stempl(instance: models.Model, caller: Caller | None, grund: str) -> None:
    """Record on `instance`'s next history row who changes it (`caller`; None: nobody the
    service knows, e.g. an operator's cancellation named only in `grund`) and why."""
    instance._change_reason = grund[: _grundlaengde(instance)]  # whole where it is a text
    instance.history_caller = caller
    if caller is not None and caller.user is not None:
        instance._history_user = caller.user


def kalder_paa_historik(sender, instance, history_instance, **kwargs) -> None:
    """simple-history's pre_create_historical_record: the stamped caller's API client,
    organisation and kind onto a history row that has HistoryCaller's columns."""
    caller = getattr(instance, "history_caller", None)
    if caller is not None and isinstance(history_instance, HistoryCaller):
        history_instance.api_client = caller.client
        history_instance.organisation = caller.organisation
        history_instance.kilde = kilde_for(caller).value
