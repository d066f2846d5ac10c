"""Transitions and jobnet CVs for caseworkers: a transition is saved through the same rules and
service as the API (acting as STAR). The transition's part of the citizen page and of the
dashboard: `asylovergivelse.admin.panels`."""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils import timezone

from accessrules import access
from accessrules.access.tables import Operation
from accessrules.admin.base import (
    DatoInterval,
    Fremtidsdatofilter,
    IngenSletning,
    LaesbarHistorik,
    SikkertDatohierarki,
)
from accessrules.admin.cpr import CPR_COLUMN, CprAdminMixin, can_view_full_cpr, tekst_for
from accessrules.admin.fejl import fejlbesked
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.core.regler import kontroller
from asylovergivelse import rules, services
from asylovergivelse.admin import panels  # noqa: F401 - registers the panels
from asylovergivelse.models import Asylovergivelse, JobnetCv


def _caseworker(request) -> Caller:
    return Caller(organisation=None, user=request.user, label="admin")


ADMIN = Caller(organisation=None, label="admin")  # a caseworker: no seed table applies


class AsylovergivelseForm(DatoInterval, forms.ModelForm):
    """The API's rules, for caseworkers: a form that passes them is what the API would store."""

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

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        data = rules.Overgivelsesdata(
            **{attribute: cleaned.get(attribute) for attribute in rules.FIELDS},
        )
        data = dataclasses.replace(data, kommentar=data.kommentar or "")
        borger = cleaned["borger"] if self.instance.pk is None else self.instance.borger
        creating = self.instance.pk is None
        operation = Operation.CREATE_ASYL if creating else Operation.UPDATE_ASYL
        adgang = access.require(ADMIN, operation, borger=borger)
        stored = Asylovergivelse.objects.filter(borger=borger).first()
        kontekst = rules.Kontekst(data, adgang, None, timezone.localdate(), eksisterende=stored)
        try:
            kontroller(rules.OPRET if creating else rules.RET, kontekst)
        except DomainError as refusal:
            for violation in refusal.violations:
                field = rules.SEED_TO_ATTRIBUTE.get(violation.field) if violation.field else None
                self.add_error(field if field in self.fields else None, fejlbesked(violation))
        self.overgivelsesdata = data
        return cleaned


@admin.register(Asylovergivelse)
class AsylovergivelseAdmin(CprAdminMixin, SikkertDatohierarki, LaesbarHistorik):
    form = AsylovergivelseForm
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
        "overgivelseskommunekode",
        "borger__kontaktgruppe",
    ]
    list_select_related = ["borger"]
    raw_id_fields = ["borger"]
    date_hierarchy = "overgivelsesdato"
    # The history page also lists each change as "field: old → new" (simple_history).
    history_list_display = ["klient", "for_organisation"]

    @admin.display(description="API-klient")
    def klient(self, record):
        return record.api_client.navn if record.api_client_id else "—"

    @admin.display(description="for organisation")
    def for_organisation(self, record):
        return record.organisation.reference if record.organisation_id else "—"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.get_fields(request, obj)  # a view-only page: kommentar masked
        return ["borger"] if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = list(AsylovergivelseForm.Meta.fields)
        if obj is not None and not self.has_change_permission(request, obj):
            masked = "kommentar" if can_view_full_cpr(request.user) else "kommentar_vist"
            return [masked if f == "kommentar" else f for f in fields]
        return fields

    @admin.display(description="kommentar")
    def kommentar_vist(self, obj):
        return tekst_for(None, obj.kommentar)

    def save_model(self, request, obj, form, change):
        """Through the same service as the API (rules, history, CV service)."""
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
class JobnetCvAdmin(CprAdminMixin, IngenSletning, admin.ModelAdmin):
    """The local CV register, read-only: the CV service writes it (CVEditEndDate)."""

    cpr_path = "borger__cpr"
    list_display = [CPR_COLUMN, "nummer", "status", "cv_edit_end_date"]
    fritekst = {"nummer": "nummer"}
    list_filter = ["status"]
    list_select_related = ["borger"]
    raw_id_fields = ["borger"]
    fields = ["borger", "nummer_vist", "status", "cv_edit_end_date"]
    readonly_fields = fields

    @admin.display(description="nummer")
    def nummer_vist(self, obj):
        return tekst_for(None, obj.nummer)  # masked on the page for everyone

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
