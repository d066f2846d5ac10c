"""The caseworkers' admin for accessrules: organisations, API clients, the access log and
request ids (read-only, never deleted). Citizens: `accessrules.admin.borger`."""

from django.contrib import admin

from accessrules.admin import login, sagsbehandler  # noqa: F401 (they register)
from accessrules.admin.base import IngenSletning, SikkertDatohierarki
from accessrules.admin.borger import BorgerAdmin
from accessrules.admin.cpr import CPR_COLUMN, CprAdminMixin, tekst_for
from accessrules.models import AccessLogEntry, ApiClient, Organisation, RequestId

__all__ = ["BorgerAdmin"]

admin.site.site_title = admin.site.site_header = "Borgerindsats"
admin.site.index_title = "Overblik"


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


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(CprAdminMixin, ReadOnlyAdmin):
    cpr_path = "borger__cpr"
    list_display = [
        "created_at",
        "operation",
        "outcome",
        "error_code",
        CPR_COLUMN,
        "hvem",
        "request_id",
    ]
    fritekst = {"request_id": "x-requestId"}
    list_filter = ["operation", "outcome"]
    list_select_related = ["borger", "client", "organisation", "user"]
    date_hierarchy = "created_at"
    fields = ["created_at", "operation", "outcome", "error_code", "hvem", "request_id_vist"]
    readonly_fields = fields

    @admin.display(description="hvem")
    def hvem(self, obj):
        if obj.user_id:
            return f"bruger {obj.user}"
        who = obj.client.navn if obj.client_id else "—"
        return f"{who} for {obj.organisation.reference}" if obj.organisation_id else who

    @admin.display(description="x-requestId")
    def request_id_vist(self, obj):
        return tekst_for(None, obj.request_id)  # masked on the detail page for everyone


@admin.register(RequestId)
class RequestIdAdmin(CprAdminMixin, ReadOnlyAdmin):
    cpr_path = "client__cpr_never"  # no CPR field here; the mixin keeps CPRs out of URLs
    list_display = ["created_at", "client", "operation", "request_id"]
    fritekst = {"request_id": "x-requestId"}
    list_filter = ["operation"]
    search_fields = ["=request_id"]  # exact: a prefix would uncover a CPR in an x-requestId
    date_hierarchy = "created_at"
    fields = ["created_at", "client", "operation", "request_id_vist"]
    readonly_fields = fields

    @admin.display(description="x-requestId")
    def request_id_vist(self, obj):
        return tekst_for(None, obj.request_id)
