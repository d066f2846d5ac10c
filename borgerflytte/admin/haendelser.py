"""CPR event receipts (read-only, filterable by status) and a move registered by hand.

A Support caseworker registers a move with the CPR, the two kommuner and the date; it enters
through the same intake as the register's events (`modtag_haendelse`), with a generated
`haendelseId` ("admin-<uuid>"), so that when CPR later reports the same move it is rejected as
not newer than the residence it opened, and no second flow opens. The CPR travels in the POST
body only; the answer redirects to the receipt by its id."""

import json
import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import AdminForm
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from accessrules.access import restrict_borgere, ser_alle
from accessrules.admin.base import DatoInterval, IngenSletning, SikkertDatohierarki
from accessrules.admin.cpr import CPR_COLUMN, CprAdminMixin, tekst_for
from accessrules.admin.fejl import fejlbesked
from accessrules.admin.skala import StorTabel, faste_valg
from accessrules.admin.synlighed import Synlighed, admin_caller
from accessrules.admin.visning import med_borgerfelt
from accessrules.core.cpr import is_valid_cpr
from accessrules.core.errors import DomainError, Violation
from accessrules.core.masking import mask_cpr
from accessrules.models import Organisation, OrganisationType
from borgerflytte.haendelser import TYPES, modtag_haendelse
from borgerflytte.haendelser.haendelsesregler import forklaring
from borgerflytte.models import HaendelseKvittering, HaendelseStatus

REGISTRER = "borgerflytte.registrer_flytning"
FORKLARING = (
    "Flytningen går gennem samme indgang som CPR-registrets hændelser, med et hændelses-id "
    "«admin-…». Melder CPR senere samme flytning, afvises den som ikke nyere, og der åbnes ingen "
    "ny borgerflytning."
)


class FlytningForm(DatoInterval, forms.Form):
    cpr = forms.CharField(label="CPR-nummer", max_length=11)
    fra = forms.ModelChoiceField(Organisation.objects.none(), label="Fraflytningskommune (A)")
    til = forms.ModelChoiceField(Organisation.objects.none(), label="Tilflytningskommune (B)")
    flyttedato = forms.DateField(
        label="Flyttedato", widget=AdminDateWidget, help_text="DD.MM.ÅÅÅÅ; gerne fremtidig."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kommuner = Organisation.objects.filter(type=OrganisationType.KOMMUNE).order_by("navn")
        self.fields["fra"].queryset = self.fields["til"].queryset = kommuner

    def clean_cpr(self):
        cpr = self.cleaned_data["cpr"].strip().replace("-", "")
        if not is_valid_cpr(cpr):
            raise forms.ValidationError("Ikke et gyldigt CPR-nummer.")
        return cpr

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fra") and cleaned.get("fra") == cleaned.get("til"):
            self.add_error("til", "En flytning er mellem to forskellige kommuner.")
        return cleaned

    def haendelse(self) -> dict:
        data = self.cleaned_data
        return {
            "haendelseId": f"admin-{uuid.uuid4()}",
            "type": "flytning",
            "cpr": data["cpr"],
            "fraKommunekode": data["fra"].kode,
            "tilKommunekode": data["til"].kode,
            "flyttedato": data["flyttedato"].isoformat(),
        }


@admin.register(HaendelseKvittering)
class HaendelseKvitteringAdmin(
    StorTabel, Synlighed, CprAdminMixin, IngenSletning, SikkertDatohierarki, admin.ModelAdmin
):
    cpr_path = "borger__cpr"
    synlighed = restrict_borgere  # by the receipt's citizen
    list_display = ["modtaget", "type", "status", CPR_COLUMN, "fejlkoder", "haendelse_id", "kilde"]
    list_filter = [
        "status",
        faste_valg("type", "type", [(t, t) for t in TYPES]),
        ("modtaget", admin.DateFieldListFilter),
    ]
    datofelt = "modtaget"  # no date hierarchy at national scale (skala)
    fritekst = {"haendelse_id": "hændelses-id", "kilde": "kilde"}
    list_select_related = ["borger"]
    search_fields = ["=haendelse_id"]  # exact: a prefix would uncover a CPR in an id
    fields = [
        "haendelse_id_vist",
        "type",
        "status",
        "fejl_vist",
        "indhold_vist",
        "borger_link",
        "borgerflytning_link",
        "modtaget",
        "resultat_tidspunkt",
        "kilde_vist",
    ]
    readonly_fields = fields
    change_list_template = "admin/borgerflytte/haendelsekvittering/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return med_borgerfelt(self.fields, request.user, "borger_link")

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="fejl")
    def fejlkoder(self, obj):
        return ", ".join(str(f.get("code")) for f in obj.fejl) or "—"

    @admin.display(description="fejl")
    def fejl_vist(self, obj):
        found = [Violation(f["code"], f.get("field"), regel=f.get("regel")) for f in obj.fejl]
        return "; ".join(fejlbesked(v, forklaring(v)) for v in found) or "—"

    @admin.display(description="hændelses-id")
    def haendelse_id_vist(self, obj):
        return tekst_for(None, obj.haendelse_id)  # masked on the page for everyone

    @admin.display(description="kilde")
    def kilde_vist(self, obj):
        return tekst_for(None, obj.kilde)  # a file's name may carry a CPR

    @admin.display(description="indhold")
    def indhold_vist(self, obj):
        return tekst_for(None, json.dumps(obj.indhold, ensure_ascii=False))  # always masked

    @admin.display(description="borger")
    def borger_link(self, obj):
        """Replaced per request by the user's display (`med_borgerfelt`)."""
        return mask_cpr(obj.borger.cpr) if obj.borger_id else "—"

    @admin.display(description="borgerflytning")
    def borgerflytning_link(self, obj):
        if not obj.borgerflytning_id:
            return "—"
        url = reverse("admin:borgerflytte_borgerflytning_change", args=[obj.borgerflytning_id])
        return format_html('<a href="{}">{}</a>', url, obj.borgerflytning)

    def changelist_view(self, request, extra_context=None):
        extra = {"kan_registrere": request.user.has_perm(REGISTRER), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def get_urls(self):
        view = self.admin_site.admin_view(self.registrer_view)
        return [
            path("registrer/", view, name="borgerflytte_registrer_flytning"),
            *super().get_urls(),
        ]

    def registrer_view(self, request):
        caller = admin_caller(request)
        if not (request.user.has_perm(REGISTRER) and caller is not None and ser_alle(caller)):
            raise PermissionDenied  # SPEC 7: STAR's Support only (it stands in for CPR)
        form = FlytningForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                resultat = modtag_haendelse(
                    haendelse=form.haendelse(), kilde=f"admin {request.user}"
                )
                errors = resultat.errors
            except DomainError as refusal:
                resultat, errors = None, refusal.violations
            for violation in errors:
                form.add_error(None, fejlbesked(violation, forklaring(violation)))
            if resultat is not None and resultat.status == HaendelseStatus.BEHANDLET:
                kvittering = HaendelseKvittering.objects.get(haendelse_id=resultat.haendelse_id)
                text = "Flytningen er registreret" + (
                    "; en borgerflytning afventer bekræftelser."
                    if resultat.borgerflytning_id
                    else "; ingen borgerflytning var nødvendig."
                )
                self.message_user(request, text, messages.SUCCESS)
                url = reverse("admin:borgerflytte_haendelsekvittering_change", args=[kvittering.pk])
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": "Registrér en flytning",
            "adminform": AdminForm(form, [(None, {"fields": list(form.fields)})], {}),
            "form_url": reverse("admin:borgerflytte_registrer_flytning"),
            "form_id": "registrer-flytning",
            "knap": "Registrér flytningen",
            "forklaring": FORKLARING,
            "opts": self.opts,
            "changelist_url": reverse("admin:borgerflytte_haendelsekvittering_changelist"),
        }
        return TemplateResponse(request, "admin/borgerindsats_formular.html", context)
