"""The one visibility mechanism (SPEC 3 and 5): `restrict(queryset, caller, operation)`, the
rows of a queryset the caller may reach for an operation, beside `require` (one citizen).

- An operation with a seed access table (GetAsylOvergivelse, ...): the rows whose citizen the
  caller reaches under one of its levels, read in the same statement (EXISTS subqueries, the
  relations `require` reads). The model names its citizen: `Borger` itself, or a model's
  `borger_sti` (its path to the citizen, e.g. `"borger"`).
- An operation without one (ListBorgerflytninger): by the caller's type's `flytninger`
  (ORGANISATIONSTYPER): all, those where its kommune is on a side, or none. The model names its
  sides: `kommune_stier` (e.g. `("fraflytningskommune", "tilflytningskommune")`).

A caseworker in the admin (a user, no API client) is restricted by the tables as an API client
of the same organisation is (SPEC 7; no "System" level); a caller without a user or a client
(an operator's command) reaches every row. For the admin's other kinds: `restrict_borgere`
(citizens and the rows that name one: GetAsylOvergivelse's table plus the citizens of the
flows it sees) and `restrict_opslag` (access-log rows of its own organisation's look-ups);
`ser_alle` (STAR sees all).
"""

import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accessrules.access.adgang import egne_organisationer, grant_for, relationsraekker
from accessrules.access.organisationstyper import Flytninger, kommune_id, ser_flytninger
from accessrules.access.tables import ALLE_LEVELS, TABLES, Level, Operation
from accessrules.core.caller import Caller
from accessrules.models import AndenAktoerTildeling, Borger


def restrict(
    queryset: QuerySet, caller: Caller, operation: Operation, *, today: datetime.date | None = None
) -> QuerySet:
    """`queryset` narrowed to the rows `caller` may reach for `operation`."""
    if caller.client is None and caller.user is None:
        return queryset  # an operator
    if caller.organisation is None:
        return queryset.none()
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
    return getattr(model, "borger_sti", "borger")


def _by_citizen(queryset: QuerySet, caller: Caller, operation: Operation, today) -> QuerySet:
    organisation = caller.organisation
    levels = grant_for(operation, organisation, caller.client)
    if levels & ALLE_LEVELS:
        return queryset
    rows = _raekker(levels, organisation, today)
    return _med_en_af(queryset, rows) if rows else queryset.none()


def _med_en_af(queryset: QuerySet, relations: list[QuerySet]) -> QuerySet:
    """The rows of `queryset` whose citizen has a row in one of `relations` (each with its
    citizen `borger`): an EXISTS per relation, probed per row through its index."""
    outer = _borger_ref(queryset.model)
    probes = [Q(Exists(rows.filter(borger=OuterRef(outer)))) for rows in relations]
    return queryset.filter(reduce(or_, probes))


# --- the admin (SPEC 7): caseworkers see what their organisation may see -------------------


def ser_alle(caller: Caller) -> bool:
    """STAR sees all (SPEC 7): the organisation's GetAsylOvergivelse grant covers every
    citizen. An operator (no user, no client) too."""
    if caller.client is None and caller.user is None:
        return True
    if caller.organisation is None:
        return False
    return bool(grant_for(Operation.GET_ASYL, caller.organisation, caller.client) & ALLE_LEVELS)


def restrict_borgere(queryset: QuerySet, caller: Caller, *, today=None) -> QuerySet:
    """Citizens, or a model's rows by their citizen (`borger_sti`): GetAsylOvergivelse's
    table, plus the citizen of any flow where the caller's kommune is A or B (SPEC 7)."""
    if ser_alle(caller):
        return queryset
    if caller.organisation is None:
        return queryset.none()
    flows = Borger._meta.get_field("flytninger").related_model.objects.all()
    by_flow = restrict(flows, caller, Operation.LIST_FLYTNINGER)
    # The relations, each read through its own index, in one of two forms by their size.
    today = today or timezone.localdate()
    levels = grant_for(Operation.GET_ASYL, caller.organisation, caller.client)
    relations = [
        rows.order_by() for rows in [by_flow, *_raekker(levels, caller.organisation, today)]
    ]
    if _mange(relations):
        # Many (a kommune's residents): the list walks its own order (an index) and probes
        # each relation's index per row; a page of 100 stops after ~100 / density rows. The
        # set of ids (a UNION) would be built whole first: 700,000 ids for kommune 101.
        return _med_en_af(queryset, relations)
    # Few (an anden aktør, a small test): the ids as one set, each relation through its own
    # index (a walk would probe every row of the table to find them).
    ids = [rows.values("borger") for rows in relations]
    outer = _borger_ref(queryset.model)
    return queryset.filter(**{f"{outer}__in": ids[0].union(*ids[1:])})


def _mange(relations: list[QuerySet]) -> bool:
    """More than ADMIN_MANGE_BORGERE rows behind the relations (each counted up to the bound
    through its index: a few milliseconds whatever the kommune's size)."""
    graense, total = settings.ADMIN_MANGE_BORGERE, 0
    for rows in relations:
        total += rows[: graense + 1 - total].count()
        if total > graense:
            return True
    return False


def _raekker(levels, organisation, today) -> list[QuerySet]:
    """The rows behind each of the granted `levels` but "alle", one queryset per relation
    (each with its citizen `borger`): `restrict` ties them to a row's citizen (EXISTS), the
    admin's lists read their citizens as one set."""
    egne = egne_organisationer(organisation)
    rows = list(relationsraekker(levels, organisation, today, egne=egne).values())
    if Level.AA_EGNE in levels:
        assigned = AndenAktoerTildeling.objects.active_on(today)
        rows.append(assigned.filter(anden_aktoer=organisation))
    return rows


def restrict_opslag(queryset: QuerySet, caller: Caller) -> QuerySet:
    """Access-log rows: those of look-ups made by the caller's own organisation; STAR all."""
    if ser_alle(caller):
        return queryset
    if caller.organisation is None:
        return queryset.none()
    return queryset.filter(organisation=caller.organisation)
