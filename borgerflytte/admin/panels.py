"""The flows on the citizen's page with their timeline, and the dashboard's lines on waiting
flows and rejected CPR events (see `accessrules.admin.panels`)."""

import datetime

from django.conf import settings
from django.utils import timezone

from accessrules.access import restrict, restrict_borgere
from accessrules.access.tables import Operation
from accessrules.admin.cpr import tekst_for
from accessrules.admin.panels import borgerpanel, link, overblik
from accessrules.admin.synlighed import synlige
from borgerflytte.models import Borgerflytning, HaendelseKvittering, Tilstand


def _liste(queryset, caller):
    return restrict(queryset, caller, Operation.LIST_FLYTNINGER)


@borgerpanel("borgerflytninger", order=20, template="admin/borgerflytte/borgerside.html")
def flytninger_panel(borger, user) -> dict:
    flows = synlige(Borgerflytning.objects.filter(borger=borger), user, _liste)
    flows = flows.select_related(
        "fraflytningskommune",
        "tilflytningskommune",
        "fraflytning_organisation",
        "fraflytning_klient",
        "tilflytning_organisation",
        "tilflytning_klient",
    )
    return {"flytninger": [(flow, tidslinje(flow, user)) for flow in flows.order_by("-flyttedato")]}


def tidslinje(flow, user) -> list[tuple]:
    """(when, what, who) of a flow's steps, in order."""
    steps = [(flow.oprettet, "Oprettet", "")]
    for side, navn in (("fraflytning", "Fraflytning bekræftet"), ("tilflytning", "Tilflytning")):
        when = getattr(flow, f"{side}_tidspunkt")
        if when:
            klient, org = getattr(flow, f"{side}_klient"), getattr(flow, f"{side}_organisation")
            label = navn if side == "fraflytning" else "Tilflytning bekræftet"
            steps.append((when, label, f"{klient or '—'} for {org or '—'}"))
    if flow.annulleret_tidspunkt:
        what = f"Annulleret: {tekst_for(user, flow.annulleret_begrundelse)}"
        steps.append((flow.annulleret_tidspunkt, what, tekst_for(user, flow.annulleret_af)))
    return sorted(steps, key=lambda step: step[0])


@overblik("borgerflytninger", order=10)
def afventende(user) -> list[dict]:
    if not user.has_perm("borgerflytte.view_borgerflytning"):
        return []
    now = timezone.now()
    items = []
    flows = synlige(Borgerflytning.objects.filter(tilstand=Tilstand.AFVENTER), user, _liste)
    url = "admin:borgerflytte_borgerflytning_changelist"
    for side, navn in (("fra", "fraflytning (A)"), ("til", "tilflytning (B)")):
        waiting = flows.filter(**{f"{side}flytning_tidspunkt__isnull": True})
        for low, high, label in (
            (0, 7, "under 7 dage"),
            (7, 30, "7-30 dage"),
            (30, None, "over 30 dage"),
        ):
            query = {"tilstand__exact": "AFVENTER", "mangler": side}
            span = {"oprettet__lt": str(now - datetime.timedelta(days=low))}
            if high is not None:
                span["oprettet__gte"] = str(now - datetime.timedelta(days=high))
            query.update(span)
            items.append(
                {
                    "titel": f"Afventer {navn}, {label} gamle",
                    "antal": waiting.filter(**span).count(),
                    "url": link(url, **query),
                }
            )
    days = settings.ADMIN_FLOW_ALERT_DAYS
    cutoff = str(now - datetime.timedelta(days=days))
    items.append(
        {
            "titel": f"Afventende borgerflytninger ældre end {days} dage",
            "antal": flows.filter(oprettet__lt=cutoff).count(),
            "url": link(url, tilstand__exact="AFVENTER", oprettet__lt=cutoff),
        }
    )
    return items


@overblik("cpr_haendelser", order=30)
def afviste_haendelser(user) -> list[dict]:
    if not user.has_perm("borgerflytte.view_haendelsekvittering"):
        return []
    return [
        {
            "titel": "Afviste CPR-hændelser",
            "antal": synlige(
                HaendelseKvittering.objects.filter(status="afvist"), user, restrict_borgere
            ).count(),
            "url": link(
                "admin:borgerflytte_haendelsekvittering_changelist", status__exact="afvist"
            ),
        }
    ]
