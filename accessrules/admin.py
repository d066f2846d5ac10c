from django.contrib import admin

from accessrules.admin_cpr import CPR_COLUMN, CprAdminMixin, can_view_full_cpr
from accessrules.cpr import mask_cpr
from accessrules.models import (
    AccessLogEntry,
    AndenAktoerTildeling,
    ApiClient,
    Borger,
    Gaesteadgang,
    Organisation,
    RequestId,
    Tilknytning,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["navn", "type", "kode"]
    list_filter = ["type"]
    search_fields = ["navn", "kode"]


class TilknytningInline(admin.TabularInline):
    model = Tilknytning
    extra = 0
    autocomplete_fields = ["organisation"]


class GaesteadgangInline(admin.TabularInline):
    model = Gaesteadgang
    extra = 0
    autocomplete_fields = ["organisation"]


class AndenAktoerTildelingInline(admin.TabularInline):
    model = AndenAktoerTildeling
    extra = 0
    autocomplete_fields = ["anden_aktoer", "jobcenter"]


@admin.register(Borger)
class BorgerAdmin(CprAdminMixin, admin.ModelAdmin):
    """Citizens. The CPR is masked, and read-only, unless the user may see full CPR numbers."""

    list_display = [CPR_COLUMN, "kontaktgruppe", "doedsdato"]
    list_filter = ["kontaktgruppe"]
    inlines = [TilknytningInline, GaesteadgangInline, AndenAktoerTildelingInline]

    def get_fields(self, request, obj=None):
        if obj is not None and not can_view_full_cpr(request.user):
            return ["cpr_masked", "doedsdato", "kontaktgruppe"]
        return ["cpr", "doedsdato", "kontaktgruppe"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not can_view_full_cpr(request.user):
            return ["cpr_masked"]
        return []

    @admin.display(description="CPR")
    def cpr_masked(self, obj):
        return mask_cpr(obj.cpr)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
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
        "client",
        "organisation",
        "request_id",
    ]
    list_filter = ["operation", "outcome"]
    list_select_related = ["borger", "client", "organisation"]
    date_hierarchy = "created_at"
    exclude = ["borger"]


@admin.register(RequestId)
class RequestIdAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "client", "operation", "request_id"]
    list_filter = ["operation"]
    search_fields = ["request_id"]
