"""Flows and CPR event receipts for caseworkers. A flow changes only through the services:
cancelling is a confirmation page with the begrundelse (`services.annuller`); a move is
registered by hand through the CPR event intake (`borgerflytte.admin.haendelser`). History
reads every change, never reverts; nothing is deleted. The flows' part of the citizen page
and of the dashboard: `borgerflytte.admin.panels`."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from accessrules.access import restrict, ser_alle
from accessrules.access.organisationstyper import kommune_id
from accessrules.access.tables import Operation
from accessrules.admin.base import (
    Fremtidsdatofilter,
    LaesbarHistorik,
    Periodefilter,
    SikkertDatohierarki,
)
from accessrules.admin.cpr import CPR_COLUMN, CprAdminMixin, cpr_for, tekst_for
from accessrules.admin.skala import StorTabel
from accessrules.admin.synlighed import Synlighed, admin_caller
from accessrules.admin.visning import med_borgerfelt
from accessrules.core.masking import mask_cpr
from borgerflytte import services
from borgerflytte.admin import panels  # noqa: F401 - registers the panels
from borgerflytte.admin.haendelser import HaendelseKvitteringAdmin
from borgerflytte.models import Borgerflytning, Tilstand

__all__ = ["BorgerflytningAdmin", "HaendelseKvitteringAdmin"]


class Mangler(admin.SimpleListFilter):
    title = "mangler bekræftelse"
    parameter_name = "mangler"

    def lookups(self, request, model_admin):
        return [("fra", "Fraflytning (A)"), ("til", "Tilflytning (B)")]

    def queryset(self, request, queryset):
        if self.value() in ("fra", "til"):
            return queryset.filter(
                tilstand=Tilstand.AFVENTER, **{f"{self.value()}flytning_tidspunkt__isnull": True}
            )
        return queryset


def synlige_flytninger(queryset, caller):
    """BorgerFlytte's list rule (SPEC 5 and 7)."""
    return restrict(queryset, caller, Operation.LIST_FLYTNINGER)


def kan_annullere(caller, flow) -> bool:
    """SPEC 7: Support of STAR or of the flow's A or B kommune (a jobcentre acts for its
    kommune, as in the list rule)."""
    if caller is None:
        return False
    return ser_alle(caller) or kommune_id(caller) in (
        flow.fraflytningskommune_id,
        flow.tilflytningskommune_id,
    )


@admin.register(Borgerflytning)
class BorgerflytningAdmin(
    StorTabel, Synlighed, CprAdminMixin, SikkertDatohierarki, LaesbarHistorik
):
    cpr_path = "borger__cpr"
    synlighed = synlige_flytninger
    list_display = [CPR_COLUMN, "fra", "til", "flyttedato", "tilstand", "fra_ok", "til_ok"]
    list_filter = [
        "tilstand",
        Mangler,
        ("flyttedato", Fremtidsdatofilter),
        "fraflytningskommune",
        "tilflytningskommune",
        ("oprettet", Periodefilter),  # also the dashboard's age links
    ]
    datofelt = "flyttedato"  # no date hierarchy at national scale (skala)
    list_select_related = ["borger", "fraflytningskommune", "tilflytningskommune"]
    actions = ["annuller"]
    history_list_display = ["hvem"]
    fields = [
        "borger_vist",
        "fraflytningskommune",
        "tilflytningskommune",
        "flyttedato",
        "tilstand",
        "fraflytning_tidspunkt",
        "fraflytning_organisation",
        "fraflytning_klient",
        "tilflytning_tidspunkt",
        "tilflytning_organisation",
        "tilflytning_klient",
        "annulleret_tidspunkt",
        "annulleret_af_vist",
        "begrundelse_vist",
        "oprettet",
        "annuller_link",
    ]
    readonly_fields = fields

    @admin.display(description="fra (A)", ordering="fraflytningskommune__kode")
    def fra(self, obj):
        return obj.fraflytningskommune.navn

    @admin.display(description="til (B)", ordering="tilflytningskommune__kode")
    def til(self, obj):
        return obj.tilflytningskommune.navn

    @admin.display(description="A bekræftet", ordering="fraflytning_tidspunkt")
    def fra_ok(self, obj):
        return obj.fraflytning_tidspunkt.date() if obj.fraflytning_tidspunkt else "—"

    @admin.display(description="B bekræftet", ordering="tilflytning_tidspunkt")
    def til_ok(self, obj):
        return obj.tilflytning_tidspunkt.date() if obj.tilflytning_tidspunkt else "—"

    @admin.display(description="borger")
    def borger_vist(self, obj):
        """Replaced per request by the user's display (`med_borgerfelt`)."""
        return mask_cpr(obj.borger.cpr)

    @admin.display(description="annulleret af")
    def annulleret_af_vist(self, obj):
        return tekst_for(None, obj.annulleret_af)  # "CPR-hændelse <id>": masked for everyone

    @admin.display(description="begrundelse")
    def begrundelse_vist(self, obj):
        return tekst_for(None, obj.annulleret_begrundelse)  # masked on the page for everyone

    @admin.display(description="annullering")
    def annuller_link(self, obj):
        if obj.tilstand != Tilstand.AFVENTER:
            return "—"
        url = reverse("admin:borgerflytte_borgerflytning_annuller", args=[obj.pk])
        return format_html('<a class="button" href="{}">Annuller …</a>', url)

    def hvem(self, record):
        """Who made this change: a caseworker, or the API client and organisation stamped."""
        if record.history_user_id:
            return f"bruger {record.history_user}"
        return tekst_for(None, record.history_change_reason) or "—"

    hvem.short_description = "hvem"

    def has_add_permission(self, request):
        return False  # a move enters through the CPR event intake (HaendelseKvitteringAdmin)

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False  # nothing on a flow is edited in a form: the page is read-only
        return super().has_change_permission(request)

    def get_fields(self, request, obj=None):
        fields = self.fields
        kan = obj is None or kan_annullere(admin_caller(request), obj)
        if not (super().has_change_permission(request) and kan):
            fields = [f for f in fields if f != "annuller_link"]
        return med_borgerfelt(fields, request.user, "borger_vist")

    def get_readonly_fields(self, request, obj=None):
        return med_borgerfelt(self.readonly_fields, request.user, "borger_vist")

    def get_urls(self):
        view = self.admin_site.admin_view(self.annuller_view)
        return [
            path("<uuid:pk>/annuller/", view, name="borgerflytte_borgerflytning_annuller"),
            *super().get_urls(),
        ]

    def annuller_view(self, request, pk):
        """The confirmation page, only for a flow that can be cancelled (AFVENTER)."""
        if not super().has_change_permission(request):
            raise PermissionDenied
        flow = self.get_object(request, str(pk))
        if flow is None:
            raise Http404("Borgerflytningen findes ikke.")
        if not kan_annullere(admin_caller(request), flow):
            raise PermissionDenied
        if flow.tilstand != Tilstand.AFVENTER:
            tilstand = flow.get_tilstand_display().lower()
            text = f"Borgerflytningen er {tilstand} og kan ikke annulleres."
            self.message_user(request, text, messages.WARNING)
            url = reverse("admin:borgerflytte_borgerflytning_change", args=[flow.pk])
            return HttpResponseRedirect(url)
        return self.annullering_side(request, Borgerflytning.objects.filter(pk=flow.pk))

    def changelist_view(self, request, extra_context=None):
        """Flows are never changed in a form: the list is titled by what it is."""
        extra_context = {"title": "Borgerflytninger", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def annullering_side(self, request, queryset, fejl: str = ""):
        flows = list(queryset.select_related(*self.list_select_related))
        context = {
            **self.admin_site.each_context(request),
            "title": "Annuller borgerflytninger",
            "opts": self.opts,
            "flows": [(flow, cpr_for(request.user, flow.borger.cpr)) for flow in flows],
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "changelist_url": reverse("admin:borgerflytte_borgerflytning_changelist"),
            "begrundelse": request.POST.get("begrundelse", ""),
            "fejl": fejl,
        }
        return TemplateResponse(request, "admin/borgerflytte/annuller.html", context)

    @admin.action(description="Annuller valgte borgerflytninger …", permissions=["change"])
    def annuller(self, request, queryset):
        """First the confirmation page; its POST (bekraeft=ja) cancels through the service."""
        if request.POST.get("bekraeft") != "ja":
            return self.annullering_side(request, queryset)
        begrundelse = request.POST.get("begrundelse", "").strip()
        if not begrundelse:
            return self.annullering_side(request, queryset, "Skriv en begrundelse.")
        done, caller = 0, admin_caller(request)
        for flow in queryset.select_related("borger"):
            if not kan_annullere(caller, flow):
                self.message_user(request, f"{flow} må ikke annulleres af dig.", messages.WARNING)
                continue
            if flow.tilstand != Tilstand.AFVENTER:
                text = f"Borgerflytningen {flow} er {flow.get_tilstand_display().lower()}"
                self.message_user(request, f"{text} og kan ikke annulleres.", messages.WARNING)
                continue
            try:
                services.annuller(
                    flytning_id=flow.pk,
                    begrundelse=begrundelse,
                    af=f"admin {request.user}",
                    caller=caller,
                )
            except ValueError as exc:  # changed meanwhile
                self.message_user(request, f"Ikke annulleret: {exc}", messages.WARNING)
                continue
            done += 1
        self.message_user(request, f"{done} borgerflytning(er) annulleret.", messages.SUCCESS)
        return None
