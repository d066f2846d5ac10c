"""Template tags of the caseworkers' admin: the environment banner, the dashboard on the index
page, and free text with CPR-like numbers masked for the user."""

import datetime

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accessrules.admin.cpr import tekst_for

register = template.Library()


@register.simple_tag
def admin_miljoe() -> str:
    return settings.ADMIN_ENVIRONMENT


@register.simple_tag(takes_context=True)
def cpr_tekst(context, text) -> str:
    return tekst_for(context["request"].user, str(text) if text is not None else "")


def _link(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


@register.simple_tag(takes_context=True)
def dashboard(context) -> list[dict]:
    """Each item: a title, a count and a link to the filtered list; only lists the user may
    read."""
    from asylovergivelse.models import Asylovergivelse
    from borgerflytte.models import Borgerflytning, HaendelseKvittering, Tilstand

    user = context["request"].user
    now, today = timezone.now(), timezone.localdate()
    items = []
    if user.has_perm("borgerflytte.view_borgerflytning"):
        flows = Borgerflytning.objects.filter(tilstand=Tilstand.AFVENTER)
        url = "admin:borgerflytte_borgerflytning_changelist"
        for side, navn in (("fra", "fraflytning (A)"), ("til", "tilflytning (B)")):
            waiting = flows.filter(**{f"{side}flytning_tidspunkt__isnull": True})
            for low, high, label in (
                (0, 7, "under 7 dage"),
                (7, 30, "7-30 dage"),
                (30, None, "over 30 dage"),
            ):
                query = {"tilstand__exact": "AFVENTER", "mangler": side}
                span = {"oprettet__lte": str(now - datetime.timedelta(days=low))}
                if high is not None:
                    span["oprettet__gt"] = str(now - datetime.timedelta(days=high))
                query.update(span)
                items.append(
                    {
                        "titel": f"Afventer {navn}, {label} gamle",
                        "antal": waiting.filter(**span).count(),
                        "url": _link(url, **query),
                    }
                )
        days = settings.ADMIN_FLOW_ALERT_DAYS
        cutoff = str(now - datetime.timedelta(days=days))
        items.append(
            {
                "titel": f"Afventende borgerflytninger ældre end {days} dage",
                "antal": flows.filter(oprettet__lte=cutoff).count(),
                "url": _link(url, tilstand__exact="AFVENTER", oprettet__lte=cutoff),
            }
        )
    if user.has_perm("asylovergivelse.view_asylovergivelse"):
        span = {
            "cv_edit_end_date__gte": str(today),
            "cv_edit_end_date__lt": str(today + datetime.timedelta(days=15)),
        }
        items.append(
            {
                "titel": "Asylovergivelser hvis CVEditEndDate falder inden for 14 dage",
                "antal": Asylovergivelse.objects.filter(**span).count(),
                "url": _link("admin:asylovergivelse_asylovergivelse_changelist", **span),
            }
        )
    if user.has_perm("borgerflytte.view_haendelsekvittering"):
        items.append(
            {
                "titel": "Afviste CPR-hændelser",
                "antal": HaendelseKvittering.objects.filter(status="afvist").count(),
                "url": _link(
                    "admin:borgerflytte_haendelsekvittering_changelist", status__exact="afvist"
                ),
            }
        )
    return items
