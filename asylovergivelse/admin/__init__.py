"""Transitions and jobnet CVs for caseworkers: a transition is checked and saved through the
same rules and service as the API, with the caseworker's organisation where the API has the
client's active organisation (rule 9244: which kommune codes it may name). The transition's
part of the citizen page and of the dashboard: `asylovergivelse.admin.panels`."""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils import timezone

from accessrules import access
from accessrules.access import restrict, restrict_borgere
from accessrules.access.tables import Operation
from accessrules.admin import findgraense
from accessrules.admin.base import (
    DatoInterval,
    Fremtidsdatofilter,
    IngenSletning,
    LaesbarHistorik,
    SikkertDatohierarki,
)
from accessrules.admin.borger import FindCprForm, log_find
from accessrules.admin.cpr import CPR_COLUMN, CprAdminMixin, can_view_full_cpr, tekst_for
from accessrules.admin.fejl import fejlbesked
from accessrules.admin.kontaktgruppe import kontaktgruppe_filter
from accessrules.admin.skala import StorTabel, faste_valg
from accessrules.admin.synlighed import Synlighed, admin_caller
from accessrules.admin.visning import med_borgerfelt
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import THROTTLED, DomainError
from accessrules.core.regler import kontroller
from accessrules.models import Borger, Organisation, OrganisationType
from asylovergivelse import rules, services
from asylovergivelse.admin import panels  # noqa: F401 - registers the panels
from asylovergivelse.models import Asylovergivelse, JobnetCv

IKKE_TILLADT = (
    "Ingen borger med dette CPR-nummer, som din organisation må oprette en overgivelse for."
)


def _caseworker(request) -> Caller:
    """The caseworker as their organisation (the history names it, SPEC 10)."""
    return admin_caller(request) or Caller(organisation=None, user=request.user, label="admin")


def synlige_overgivelser(queryset, caller):
    return restrict(queryset, caller, Operation.GET_ASYL)


def maa_skrive(request, operation: Operation, borger) -> bool:
    """SPEC 7: Support of an organisation that may write the transition under the
    operation's table (UpdateAsylOvergivelse, CreateAsylOvergivelse)."""
    caller = admin_caller(request)
    if caller is None:
        return False
    return restrict(Borger.objects.filter(pk=borger.pk), caller, operation).exists()


class AsylovergivelseForm(DatoInterval, forms.ModelForm):
    """The API's rules, for caseworkers: a form that passes them is what the API would store.
    `caller` is the caseworker's (`AsylovergivelseAdmin.get_form`): the rules see their
    organisation as the service does, so that 9244 is a form error on the kommune code."""

    caller = Caller(organisation=None, label="admin")  # replaced per request
    request = None  # replaced per request: whose look-up by CPR is counted and logged

    # A new transition names its citizen by CPR, in the form's body (never by the citizen's
    # sequential id: a raw-id field and its pop-up would show ids in CPR order, issue 20).
    cpr = forms.CharField(
        label="CPR-nummer",
        required=False,  # required on a new transition only (clean_cpr)
        max_length=11,
        help_text=(
            "Borgerens CPR-nummer: 10 cifre, med eller uden bindestreg. "
            "Header: x-civilRegistrationIdentifier."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    borger = None  # the citizen the CPR names, once clean_cpr has found it

    class Meta:
        model = Asylovergivelse
        fields = [
            "borger",
            "overgivelsesdato",
            "cv_edit_end_date",
            "tidlig_cv_overgivelsesdato",
            "tidlig_kontrakt_overgivelsesdato",
            "overgivelseskommunekode",
            "kommentar",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # kommentar is the comment on *this* change (as on PUT); the last one is in the
            # history. Starting empty keeps 9202 meaningful in the admin too.
            self.initial["kommentar"] = ""

    def clean_cpr(self):
        """On a new transition: the citizen by CPR, counted against the user's find limits and
        logged as a look-up (found or not), as the find-by-CPR page does. One message for an
        unknown citizen and one the organisation may not register for: the form is no oracle."""
        if self.instance.pk is not None:
            return ""
        vindue = findgraense.tael_forsoeg(self.request.user)
        if vindue is not None:
            self._afvis(None, 429, THROTTLED, findgraense.besked(vindue))
        form = FindCprForm({"cpr": self.cleaned_data["cpr"]})
        if not form.is_valid():
            self._afvis(None, 400, None, form.errors["cpr"])
        cpr = form.cleaned_data["cpr"]
        found = Borger.objects.filter(cpr=cpr).first()
        if found is None or not maa_skrive(self.request, Operation.CREATE_ASYL, found):
            code = errors.CITIZEN_NOT_ACCESSIBLE if found else errors.UNKNOWN_CPR
            self._afvis(found, 404, code, IKKE_TILLADT)
        log_find(self.request, found, 200, None)
        self.borger = self.instance.borger = found
        return cpr

    def _afvis(self, found, outcome: int, code: int | None, message) -> None:
        """A refused CPR: logged, and not shown again in the form (no CPR in an error page)."""
        log_find(self.request, found, outcome, code)
        self.data = self.data.copy()
        self.data["cpr"] = ""
        raise forms.ValidationError(message)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = rules.Overgivelsesdata(
            **{attribute: cleaned.get(attribute) for attribute in rules.FIELDS},
        )
        data = dataclasses.replace(data, kommentar=data.kommentar or "")
        borger = self.instance.borger
        creating = self.instance.pk is None
        operation = Operation.CREATE_ASYL if creating else Operation.UPDATE_ASYL
        try:
            adgang = access.require(self.caller, operation, borger=borger)
            stored = Asylovergivelse.objects.filter(borger=borger).first()
            organisation = self.caller.organisation  # as the service's Kontekst has it
            today = timezone.localdate()
            kontekst = rules.Kontekst(data, adgang, organisation, today, eksisterende=stored)
            kontroller(rules.OPRET if creating else rules.RET, kontekst)
        except DomainError as refusal:
            for violation in refusal.violations:
                field = rules.SEED_TO_ATTRIBUTE.get(violation.field) if violation.field else None
                self.add_error(field if field in self.fields else None, fejlbesked(violation))
        self.overgivelsesdata = data
        return cleaned


def _kommunekoder():
    """The kommuner's codes from the organisations (98 rows), not DISTINCT over transitions."""
    koder = Organisation.objects.filter(type=OrganisationType.KOMMUNE).order_by("kode")
    return [(k, k) for k in koder.values_list("kode", flat=True)]


@admin.register(Asylovergivelse)
class AsylovergivelseAdmin(
    StorTabel, Synlighed, CprAdminMixin, SikkertDatohierarki, LaesbarHistorik
):
    form = AsylovergivelseForm
    synlighed = synlige_overgivelser
    cpr_path = "borger__cpr"
    list_display = [
        CPR_COLUMN,
        "overgivelsesdato",
        "cv_edit_end_date",
        "overgivelseskommunekode",
        "aendret",
    ]
    list_filter = [
        ("overgivelsesdato", Fremtidsdatofilter),
        ("cv_edit_end_date", Fremtidsdatofilter),
        faste_valg("overgivelseskommunekode", "overgivelseskommunekode", _kommunekoder),
        kontaktgruppe_filter("borger__kontaktgruppe"),
    ]
    datofelt = "overgivelsesdato"  # no date hierarchy at national scale (skala)
    list_select_related = ["borger"]
    # The history page also lists each change as "field: old → new" (simple_history).
    history_list_display = ["klient", "for_organisation"]

    @admin.display(description="API-klient")
    def klient(self, record):
        return record.api_client.navn if record.api_client_id else "—"

    @admin.display(description="for organisation")
    def for_organisation(self, record):
        return record.organisation.reference if record.organisation_id else "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form with the caseworker as its caller (their organisation, for 9244)."""
        form = super().get_form(request, obj, change, **kwargs)
        attributes = {"caller": _caseworker(request), "request": request}
        return type(form.__name__, (form,), attributes)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.get_fields(request, obj)  # a view-only page: kommentar masked
        return med_borgerfelt(["borger"], request.user, "borger") if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = list(AsylovergivelseForm.Meta.fields)
        if obj is None:
            return ["cpr" if f == "borger" else f for f in fields]
        if not self.has_change_permission(request, obj):
            masked = "kommentar" if can_view_full_cpr(request.user) else "kommentar_vist"
            fields = [masked if f == "kommentar" else f for f in fields]
        return med_borgerfelt(fields, request.user, "borger")

    @admin.display(description="kommentar")
    def kommentar_vist(self, obj):
        return tekst_for(None, obj.kommentar)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or maa_skrive(request, Operation.UPDATE_ASYL, obj.borger)

    def save_model(self, request, obj, form, change):
        """Through the same service as the API (rules, history, CV service)."""
        operation = Operation.UPDATE_ASYL if change else Operation.CREATE_ASYL
        if not maa_skrive(request, operation, obj.borger):
            raise DomainError.of(errors.CITIZEN_NOT_ACCESSIBLE)
        service = services.ret_asylovergivelse if change else services.opret_asylovergivelse
        _, saved = service(
            caller=_caseworker(request), cpr=obj.borger.cpr, data=form.overgivelsesdata
        )
        obj.pk, obj.oprettet = saved.pk, saved.oprettet

    def changeform_view(self, request, *args, **kwargs):
        """A refusal at save time (e.g. the CV service failed after the form was valid): the
        admin's transaction rolls back, and the caseworker sees why."""
        try:
            return super().changeform_view(request, *args, **kwargs)
        except DomainError as refusal:
            text = "; ".join(fejlbesked(v) for v in refusal.violations)
            self.message_user(request, f"Intet blev gemt. {text}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(JobnetCv)
class JobnetCvAdmin(Synlighed, CprAdminMixin, IngenSletning, admin.ModelAdmin):
    """The local CV register, read-only: the CV service writes it (CVEditEndDate)."""

    synlighed = restrict_borgere  # by the CV's citizen
    cpr_path = "borger__cpr"
    list_display = [CPR_COLUMN, "nummer", "status", "cv_edit_end_date"]
    fritekst = {"nummer": "nummer"}
    list_filter = ["status"]
    list_select_related = ["borger"]
    fields = ["borger", "nummer_vist", "status", "cv_edit_end_date"]
    readonly_fields = fields

    @admin.display(description="nummer")
    def nummer_vist(self, obj):
        return tekst_for(None, obj.nummer)  # masked on the page for everyone

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return med_borgerfelt(self.fields, request.user, "borger")

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)
