"""Caseworkers in the admin (Danish): who belongs to which organisation with which role, and
its history. Read-only for everyone: a role is given by the SAML assertion or by
`opret_sagsbehandler` (which also sets the group), never in a form. The user page shows the
row too, and its groups are read-only there for the same reason."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from accessrules.models import Sagsbehandler


class KunLaesning:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sagsbehandler)
class SagsbehandlerAdmin(KunLaesning, SimpleHistoryAdmin):
    list_display = ["user", "organisation", "rolle", "kilde", "break_glass", "opdateret"]
    list_filter = ["rolle", "kilde", "break_glass", "organisation__type"]
    search_fields = ["user__username", "organisation__navn", "organisation__kode"]
    list_select_related = ["user", "organisation"]
    fields = list_display
    readonly_fields = list_display

    def revert_disabled(self, request, obj=None):
        return True


class SagsbehandlerInline(KunLaesning, admin.StackedInline):
    model = Sagsbehandler
    fields = ["organisation", "rolle", "kilde", "break_glass", "opdateret"]
    readonly_fields = fields
    can_delete = False
    verbose_name = verbose_name_plural = (
        "organisation og rolle (SAML-login eller opret_sagsbehandler)"
    )


admin.site.unregister(User)


@admin.register(User)
class BrugerAdmin(UserAdmin):
    inlines = [SagsbehandlerInline]
    list_display = [*UserAdmin.list_display, "organisation", "rolle"]
    list_select_related = ["sagsbehandler__organisation"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "groups"]

    @admin.display(description="organisation")
    def organisation(self, obj):
        row = getattr(obj, "sagsbehandler", None)
        return row.organisation.reference if row else "—"

    @admin.display(description="rolle")
    def rolle(self, obj):
        row = getattr(obj, "sagsbehandler", None)
        return row.rolle if row else "—"
