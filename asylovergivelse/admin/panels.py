"""The transition on the citizen's page, and the dashboard's line on deadlines that are near
(see `accessrules.admin.panels`)."""

import datetime

from django.utils import timezone

from accessrules.access import restrict
from accessrules.access.tables import Operation
from accessrules.admin.cpr import tekst_for
from accessrules.admin.panels import borgerpanel, link, overblik
from accessrules.admin.synlighed import synlige
from asylovergivelse.models import Asylovergivelse

HISTORIK = 20


def _tabel(queryset, caller):
    return restrict(queryset, caller, Operation.GET_ASYL)


@borgerpanel("asylovergivelse", order=10, template="admin/asylovergivelse/borgerside.html")
def asylovergivelse_panel(borger, user) -> dict:
    asyl = synlige(Asylovergivelse.objects.filter(borger=borger), user, _tabel).first()
    historik = []
    if asyl is not None:
        rows = asyl.history.select_related("api_client", "organisation", "history_user")
        historik = [_asyl_historik(row, user) for row in rows.order_by("-history_date")[:HISTORIK]]
    return {"asylovergivelse": asyl, "asyl_historik": historik}


def _asyl_historik(row, user) -> dict:
    hvem = row.history_user or (row.api_client.navn if row.api_client_id else "")
    if row.organisation_id:
        hvem = f"{hvem} for {row.organisation.reference}"
    return {
        "tidspunkt": row.history_date,
        "hvem": hvem or "—",
        "overgivelsesdato": row.overgivelsesdato,
        "cv_edit_end_date": row.cv_edit_end_date,
        "kommentar": tekst_for(user, row.kommentar),
    }


@overblik("asylovergivelser", order=20)
def frister(user) -> list[dict]:
    if not user.has_perm("asylovergivelse.view_asylovergivelse"):
        return []
    today = timezone.localdate()
    span = {
        "cv_edit_end_date__gte": str(today),
        "cv_edit_end_date__lt": str(today + datetime.timedelta(days=15)),
    }
    return [
        {
            "titel": "Asylovergivelser hvis fristen for CV-rettelser falder inden for 14 dage",
            "antal": synlige(Asylovergivelse.objects.filter(**span), user, _tabel).count(),
            "url": link("admin:asylovergivelse_asylovergivelse_changelist", **span),
        }
    ]
