"""One page per citizen, and finding a citizen by CPR without putting the CPR in a URL.

Opening the page, or finding a citizen by CPR, writes an access-log row with the caseworker
(SPEC 7). The page gathers what a caseworker asks about a citizen: residences and jobcentre
affiliations over time, guest accesses, assignments, each app's panel (the transition with its
history, the flows with their timeline: `accessrules.admin.panels`), and who looked the
citizen up lately.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from accessrules import services
from accessrules.access import restrict_borgere, restrict_opslag
from accessrules.accesslog import log as accesslog
from accessrules.accesslog.indsigt import handling_navn
from accessrules.admin import findgraense
from accessrules.admin.base import IngenSletning
from accessrules.admin.cpr import (
    CPR_COLUMN,
    CprAdminMixin,
    can_view_full_cpr,
    cpr_for,
    tekst_for,
)
from accessrules.admin.indsigt import IndsigtMixin
from accessrules.admin.kontaktgruppe import kontaktgruppe_filter, kontaktgruppe_kolonne
from accessrules.admin.opake import opake_urls
from accessrules.admin.panels import borgerpaneler
from accessrules.admin.skala import StorTabel
from accessrules.admin.synlighed import Synlighed, admin_caller, synlige
from accessrules.core.caller import Caller
from accessrules.core.cpr import is_valid_cpr
from accessrules.core.errors import THROTTLED
from accessrules.core.kontaktgrupper import INGEN, kontaktgruppe_navn
from accessrules.core.masking import mask_cpr
from accessrules.models import (
    AccessLogEntry,
    AndenAktoerTildeling,
    Borger,
    Gaesteadgang,
    OrganisationType,
    Tilknytning,
)

VIS_BORGER, FIND_CPR = "admin:vis_borger", "admin:find_cpr"
SENESTE_OPSLAG = 20


def _caller(request) -> Caller:
    return admin_caller(request) or Caller(organisation=None, user=request.user, label="admin")


def kontaktgruppe_valg(current: str = "") -> list[tuple[str, str]]:
    koder = list(settings.ASYLOVERGIVELSE_KONTAKTGRUPPER)
    if current and current not in koder:
        koder.append(current)
    return [("", INGEN)] + [(k, kontaktgruppe_navn(k)) for k in koder]


class BorgerForm(forms.ModelForm):
    kontaktgruppe = forms.ChoiceField(label="kontaktgruppe", required=False)

    class Meta:
        model = Borger
        fields = ["kontaktgruppe"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kontaktgruppe"].choices = kontaktgruppe_valg(self.instance.kontaktgruppe)


class FindCprForm(forms.Form):
    cpr = forms.CharField(
        label="CPR-nummer", max_length=11, help_text="10 cifre, med eller uden bindestreg."
    )

    def clean_cpr(self):
        cpr = self.cleaned_data["cpr"].strip().replace("-", "")
        if not is_valid_cpr(cpr):
            raise forms.ValidationError("Ikke et gyldigt CPR-nummer.")
        return cpr


def log_find(request, borger, outcome: int, error_code: int | None) -> None:
    """A look-up of a citizen by CPR in the admin (found or not), before the answer leaves."""
    accesslog.write(
        handling=FIND_CPR,
        caller=_caller(request),
        borger=borger,
        outcome=outcome,
        error_code=error_code,
    )


class _LaesInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TilknytningInline(_LaesInline):
    model = Tilknytning
    fields = ["organisation", "fra", "til"]


class GaesteadgangInline(_LaesInline):
    model = Gaesteadgang
    fields = ["organisation", "fra", "til"]


class AndenAktoerTildelingInline(_LaesInline):
    model = AndenAktoerTildeling
    fields = ["anden_aktoer", "jobcenter", "fra", "til"]


@admin.register(Borger)
class BorgerAdmin(
    StorTabel, Synlighed, IndsigtMixin, CprAdminMixin, IngenSletning, admin.ModelAdmin
):
    """Citizens: the CPR masked unless the user may see it, and read-only; the contact group
    is the one field a caseworker corrects (through `services.ret_kontaktgruppe`)."""

    form = BorgerForm
    list_display = [CPR_COLUMN, kontaktgruppe_kolonne, "doedsdato"]
    list_filter = [
        kontaktgruppe_filter("kontaktgruppe"),
        ("doedsdato", admin.EmptyFieldListFilter),
    ]
    change_list_template = "admin/accessrules/borger/change_list.html"
    find_form = FindCprForm
    synlighed = restrict_borgere

    def has_add_permission(self, request):
        return False  # citizens come from the register and from CPR events

    @admin.display(description="CPR")
    def cpr_maskeret(self, obj):
        return mask_cpr(obj.cpr)

    @admin.display(description="CPR")
    def cpr_fuldt(self, obj):
        return obj.cpr

    def _cpr_felt(self, request) -> str:
        return "cpr_fuldt" if can_view_full_cpr(request.user) else "cpr_maskeret"

    def get_fields(self, request, obj=None):
        return [self._cpr_felt(request), "doedsdato", "kontaktgruppe"]

    def get_readonly_fields(self, request, obj=None):
        return [self._cpr_felt(request), "doedsdato"]

    def save_model(self, request, obj, form, change):
        services.ret_kontaktgruppe(
            caller=_caller(request), borger_id=obj.pk, kontaktgruppe=obj.kontaktgruppe
        )

    def get_urls(self):
        find = path("find/", self.admin_site.admin_view(self.find_view), name="borger_find")
        return [find, *opake_urls(self.model, self.indsigt_urls()), *super().get_urls()]

    def find_view(self, request):
        """GET: the form; POST: the citizen's page by id (the CPR stays in the body). Every
        try counts against the user's limits (`findgraense`) and leaves an access-log row."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FindCprForm(request.POST if request.method == "POST" else None)
        status = 200
        if request.method == "POST":
            vindue = findgraense.tael_forsoeg(request.user)
            if vindue is not None:  # refused before the register is looked at
                log_find(request, None, 429, THROTTLED)
                form.add_error(None, findgraense.besked(vindue))
                status = 429
            elif not form.is_valid():
                log_find(request, None, 400, None)
            else:
                cpr = form.cleaned_data["cpr"]
                found = Borger.objects.filter(cpr=cpr).first()
                borger = self.get_queryset(request).filter(cpr=cpr).first()  # SPEC 7's tables
                code = None if borger else (6005 if found else 1010)
                log_find(request, found, 200 if borger else 404, code)
                if borger is not None:
                    url = reverse("admin:accessrules_borger_change", args=[borger.pk])
                    return HttpResponseRedirect(url)
                form.add_error("cpr", "Ingen borger med dette CPR-nummer.")
        context = {
            **self.admin_site.each_context(request),
            "title": "Find borger efter CPR",
            "form": form,
            "opts": self.opts,
        }
        return TemplateResponse(
            request, "admin/accessrules/borger/find.html", context, status=status
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        borger = self.get_object(request, object_id)
        if borger is not None and self.has_view_permission(request, borger):
            accesslog.write(
                handling=VIS_BORGER,
                caller=_caller(request),
                borger=borger,
                outcome=200,
                error_code=None,
            )
            extra_context = {**(extra_context or {}), **borgerside(borger, request.user)}
        return super().change_view(request, object_id, form_url, extra_context)


def borgerside(borger: Borger, user) -> dict:
    """The page's context: accessrules' own records, then each app's panels
    (`accessrules.admin.panels.borgerpanel`), then who looked the citizen up lately."""
    perioder = list(borger.tilknytninger.select_related("organisation").order_by("fra", "pk"))
    opslag = AccessLogEntry.objects.filter(borger=borger).select_related(
        "client", "organisation", "user"
    )
    opslag = synlige(opslag, user, restrict_opslag)
    paneler, panel_context = borgerpaneler(borger, user)
    return {
        "borger_cpr": cpr_for(user, borger.cpr),
        "borger_id": borger.pk,
        "boliger": [p for p in perioder if p.organisation.type == OrganisationType.KOMMUNE],
        "jobcentre": [p for p in perioder if p.organisation.type == OrganisationType.JOBCENTER],
        "gaesteadgange": borger.gaesteadgange.select_related("organisation").order_by("fra"),
        "tildelinger": borger.tildelinger.select_related("anden_aktoer", "jobcenter"),
        "borgerpaneler": paneler,
        **panel_context,
        "opslag": [
            (row, tekst_for(user, row.request_id), handling_navn(row.handling))
            for row in opslag[:SENESTE_OPSLAG]
        ],
    }
