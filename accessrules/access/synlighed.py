"""The one visibility mechanism (SPEC 3 and 5): `restrict(queryset, caller, operation)`, the
rows of a queryset the caller may reach for an operation, beside `require` (one citizen).

- An operation with a seed access table (GetAsylOvergivelse, ...): the rows whose citizen the
  caller reaches under one of its levels, read in the same statement (EXISTS subqueries, the
  relations `require` reads). The model names its citizen: `Borger` itself, or a model's
  `borger_sti` (its path to the citizen, e.g. `"borger"`).
- An operation without one (ListBorgerflytninger): by the caller's type's `flytninger`
  (ORGANISATIONSTYPER): all, those where its kommune is on a side, or none. The model names its
  sides: `kommune_stier` (e.g. `("fraflytningskommune", "tilflytningskommune")`).

A caller without an API client (a caseworker, an operator) has no seed table: `require` lets
it reach every citizen, and so does this (the admin's own permissions decide).
"""

import datetime
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accessrules.access.adgang import grant_for, relationer
from accessrules.access.organisationstyper import Flytninger, kommune_id, ser_flytninger
from accessrules.access.tables import ALLE_LEVELS, TABLES, Level, Operation
from accessrules.core.caller import Caller
from accessrules.models import AndenAktoerTildeling, Borger


def restrict(
    queryset: QuerySet, caller: Caller, operation: Operation, *, today: datetime.date | None = None
) -> QuerySet:
    """`queryset` narrowed to the rows `caller` may reach for `operation`."""
    if caller.client is None:
        return queryset
    if operation in TABLES:
        return _by_citizen(queryset, caller, operation, today or timezone.localdate())
    return _by_side(queryset, caller)


def _by_side(queryset: QuerySet, caller: Caller) -> QuerySet:
    match ser_flytninger(caller.organisation):
        case Flytninger.ALLE:
            return queryset
        case Flytninger.KOMMUNENS:
            kommune = kommune_id(caller)
            if kommune is not None:
                sides = [Q(**{sti: kommune}) for sti in queryset.model.kommune_stier]
                return queryset.filter(reduce(or_, sides))
    return queryset.none()


def _borger_ref(model) -> str:
    """The outer query's reference to the row's citizen."""
    if model is Borger:
        return "pk"
    return model.borger_sti


def _by_citizen(queryset: QuerySet, caller: Caller, operation: Operation, today) -> QuerySet:
    organisation = caller.organisation
    levels = grant_for(operation, organisation, caller.client)
    if levels & ALLE_LEVELS:
        return queryset
    outer = _borger_ref(queryset.model)
    relations = list(relationer(levels, organisation, today, outer=outer).values())
    if Level.AA_EGNE in levels:
        assigned = AndenAktoerTildeling.objects.active_on(today)
        relations.append(Exists(assigned.filter(anden_aktoer=organisation, borger=OuterRef(outer))))
    if not relations:
        return queryset.none()
    return queryset.filter(reduce(or_, (Q(relation) for relation in relations)))
