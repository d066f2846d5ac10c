"""Flows and CPR event receipts for caseworkers. A flow changes only through the services:
cancelling is a confirmation page with the begrundelse (`services.annuller`); a move is
registered by hand through the CPR event intake (`borgerflytte.admin.haendelser`). History
reads every change, never reverts; nothing is deleted. The flows' part of the citizen page
and of the dashboard: `borgerflytte.admin.panels`."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from accessrules.admin.base import (
    Fremtidsdatofilter,
    LaesbarHistorik,
    Periodefilter,
    SikkertDatohierarki,
)
from accessrules.admin.cpr import CPR_COLUMN, CprAdminMixin, cpr_for, tekst_for
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


@admin.register(Borgerflytning)
class BorgerflytningAdmin(CprAdminMixin, SikkertDatohierarki, LaesbarHistorik):
    cpr_path = "borger__cpr"
    list_display = [CPR_COLUMN, "fra", "til", "flyttedato", "tilstand", "fra_ok", "til_ok"]
    list_filter = [
        "tilstand",
        Mangler,
        ("flyttedato", Fremtidsdatofilter),
        "fraflytningskommune",
        "tilflytningskommune",
        ("oprettet", Periodefilter),  # also the dashboard's age links
    ]
    list_select_related = ["borger", "fraflytningskommune", "tilflytningskommune"]
    date_hierarchy = "flyttedato"
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
        url = reverse("admin:accessrules_borger_change", args=[obj.borger_id])
        return format_html('<a href="{}">{}</a>', url, obj.borger)

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
        if super().has_change_permission(request):
            return self.fields
        return [f for f in self.fields if f != "annuller_link"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.annuller_view)
        return [
            path("<uuid:pk>/annuller/", view, name="borgerflytte_borgerflytning_annuller"),
            *super().get_urls(),
        ]

    def annuller_view(self, request, pk):
        if not super().has_change_permission(request):
            raise PermissionDenied
        return self.annullering_side(request, Borgerflytning.objects.filter(pk=pk))

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
        done = 0
        for flow in queryset.select_related("borger"):
            if flow.tilstand != Tilstand.AFVENTER:
                text = f"Borgerflytningen {flow} er {flow.get_tilstand_display().lower()}"
                self.message_user(request, f"{text} og kan ikke annulleres.", messages.WARNING)
                continue
            try:
                services.annuller(
                    flytning_id=flow.pk, begrundelse=begrundelse, af=f"admin {request.user}"
                )
            except ValueError as exc:  # changed meanwhile
                self.message_user(request, f"Ikke annulleret: {exc}", messages.WARNING)
                continue
            done += 1
        self.message_user(request, f"{done} borgerflytning(er) annulleret.", messages.SUCCESS)
        return None
