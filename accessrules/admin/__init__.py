"""The caseworkers' admin for accessrules: organisations, API clients, the access log and
request ids (read-only, never deleted). Citizens: `accessrules.admin.borger`."""

from django.contrib import admin

from accessrules.access import restrict_opslag, ser_alle
from accessrules.accesslog.indsigt import HANDLINGER, handling_navn
from accessrules.admin import login, sagsbehandler  # noqa: F401 (they register)
from accessrules.admin.base import IngenSletning, SikkertDatohierarki
from accessrules.admin.borger import BorgerAdmin
from accessrules.admin.cpr import CPR_COLUMN, CprAdminMixin, tekst_for
from accessrules.admin.skala import NyestePeriode, StorTabel, faste_valg
from accessrules.admin.synlighed import Synlighed
from accessrules.models import AccessLogEntry, ApiClient, Organisation, RequestId

__all__ = ["BorgerAdmin"]

admin.site.site_title = admin.site.site_header = "Borgerindsats"
admin.site.index_title = "Overblik"
admin.site.site_url = None  # no "Se side": `/` is the API, not a page for caseworkers


@admin.register(Organisation)
class OrganisationAdmin(IngenSletning, admin.ModelAdmin):
    list_display = ["navn", "type", "kode", "cvr"]
    list_filter = ["type"]
    search_fields = ["navn", "kode", "cvr"]


@admin.register(ApiClient)
class ApiClientAdmin(IngenSletning, admin.ModelAdmin):
    list_display = ["navn", "system", "client_id"]
    list_filter = ["system"]
    search_fields = ["navn", "application__client_id"]
    filter_horizontal = ["organisationer"]
    readonly_fields = ["application"]

    @admin.display(description="client_id")
    def client_id(self, obj):
        return obj.application.client_id

    def has_add_permission(self, request):
        return False  # made by `manage.py create_api_client`, which prints the secret once


class ReadOnlyAdmin(IngenSletning, SikkertDatohierarki, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


UDFALD = [(s, str(s)) for s in (200, 201, 400, 401, 403, 404, 409, 412, 422, 429, 500, 503)]


def _handlinger():
    """The access log's handlings by their Danish names (fixed choices, no DISTINCT)."""
    return sorted(HANDLINGER.items(), key=lambda item: item[1])


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(StorTabel, Synlighed, CprAdminMixin, ReadOnlyAdmin):
    """At national scale (issue 23): the newest rows first through the created_at index, by
    default of the last days only (NyestePeriode: partitions pruned), a bounded count, fixed
    filter choices, fixed date periods instead of a date hierarchy."""

    cpr_path = "borger__cpr"
    synlighed = restrict_opslag
    list_display = [
        "created_at",
        "handling_vist",
        "outcome",
        "error_code",
        CPR_COLUMN,
        "hvem",
        "request_id",
    ]
    fritekst = {"request_id": "x-requestId"}
    list_filter = [
        faste_valg("handling", "handling", _handlinger),
        faste_valg("outcome", "udfald", UDFALD),
        ("created_at", NyestePeriode),
    ]
    datofelt = "created_at"  # no date hierarchy at national scale (skala)
    list_select_related = ["borger", "client", "organisation", "user"]
    fields = ["created_at", "handling_vist", "outcome", "error_code", "hvem", "request_id_vist"]
    readonly_fields = fields

    @admin.display(description="handling", ordering="handling")
    def handling_vist(self, obj):
        return handling_navn(obj.handling)

    @admin.display(description="hvem")
    def hvem(self, obj):
        if obj.user_id:
            return f"bruger {obj.user}"
        who = obj.client.navn if obj.client_id else "—"
        return f"{who} for {obj.organisation.reference}" if obj.organisation_id else who

    @admin.display(description="x-requestId")
    def request_id_vist(self, obj):
        return tekst_for(None, obj.request_id)  # masked on the detail page for everyone


def _kun_star(queryset, caller):
    """Request ids are the API clients' (no citizen): STAR's to see."""
    return queryset if ser_alle(caller) else queryset.none()


@admin.register(RequestId)
class RequestIdAdmin(StorTabel, Synlighed, CprAdminMixin, ReadOnlyAdmin):
    cpr_path = "client__cpr_never"  # no CPR field here; the mixin keeps CPRs out of URLs
    synlighed = _kun_star
    list_display = ["created_at", "client", "operation", "request_id"]
    fritekst = {"request_id": "x-requestId"}
    list_filter = [
        faste_valg("operation", "operation", _handlinger),
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["=request_id"]  # exact: a prefix would uncover a CPR in an x-requestId
    datofelt = "created_at"
    fields = ["created_at", "client", "operation", "request_id_vist"]
    readonly_fields = fields

    @admin.display(description="x-requestId")
    def request_id_vist(self, obj):
        return tekst_for(None, obj.request_id)
