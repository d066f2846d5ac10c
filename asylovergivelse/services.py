"""Writes of asylovergivelser: create and update, each in one transaction with its request id,
its history row (who, when, old/new values, kommentar) and the CV service call."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accessrules.access.tables import Operation
from accessrules.api.problems import ApiError, Violation
from accessrules.caller import Caller
from accessrules.models import Borger
from accessrules.queries import one_or_none
from accessrules.services import claim_request_id
from asylovergivelse import rules
from asylovergivelse.models import Asylovergivelse


def _raise_if(violations: list[Violation]) -> None:
    if violations:
        raise ApiError(*violations)


def _stamp(instance: Asylovergivelse, caller: Caller, reason: str) -> None:
    """What the history row records about who made the change (see signals.py)."""
    instance._history_caller = caller
    instance._change_reason = reason[:100]
    if caller.user is not None:
        instance._history_user = caller.user


def _reason(caller: Caller, data: rules.Overgivelsesdata, force: frozenset[int]) -> str:
    parts = [caller.label] if caller.label else []
    if force:
        parts.append("force " + ",".join(str(code) for code in sorted(force)))
    if data.kommentar:
        parts.append(data.kommentar)
    return ": ".join(parts)


@transaction.atomic
def opret_asylovergivelse(
    *,
    borger: Borger,
    data: rules.Overgivelsesdata,
    caller: Caller,
    today: datetime.date | None = None,
    force: frozenset[int] = frozenset(),
) -> Asylovergivelse:
    today = today or timezone.localdate()
    claim_request_id(caller=caller, operation=Operation.CREATE_ASYL)
    findes = Asylovergivelse.objects.filter(borger=borger).exists()
    _raise_if(
        rules.kontroller_opret(
            data,
            borger=borger,
            organisation=caller.organisation,
            today=today,
            findes=findes,
            force=force,
        )
    )
    instance = Asylovergivelse(borger=borger, **_values(data))
    _stamp(instance, caller, _reason(caller, data, force))
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # a concurrent create for the same citizen committed first
        raise ApiError.of(9302) from exc
    _raise_if(rules.fortael_cv_service(borger, data.cv_edit_end_date))
    return instance


@transaction.atomic
def ret_asylovergivelse(
    *,
    borger: Borger,
    data: rules.Overgivelsesdata,
    caller: Caller,
    today: datetime.date | None = None,
    force: frozenset[int] = frozenset(),
) -> Asylovergivelse:
    today = today or timezone.localdate()
    claim_request_id(caller=caller, operation=Operation.UPDATE_ASYL)
    instance = one_or_none(Asylovergivelse.objects.select_for_update().filter(borger=borger))
    _raise_if(
        rules.kontroller_ret(
            data,
            borger=borger,
            organisation=caller.organisation,
            today=today,
            eksisterende=instance,
            force=force,
        )
    )
    for attribute, value in _values(data).items():
        setattr(instance, attribute, value)
    _stamp(instance, caller, _reason(caller, data, force))
    instance.save()
    _raise_if(rules.fortael_cv_service(borger, data.cv_edit_end_date))
    return instance


def _values(data: rules.Overgivelsesdata) -> dict:
    return {attribute: getattr(data, attribute) for attribute in rules.FIELDS}
