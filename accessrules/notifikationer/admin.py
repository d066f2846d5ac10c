"""The operators' pages for notifications: subscriptions (seen and ended, never changed or
deleted) and deliveries (failed ones sent again), for superusers and STAR's Support only; the
dashboard's count of failed deliveries. Registered from `accessrules.apps`."""

from django.contrib import admin, messages

from accessrules.admin.base import IngenSletning
from accessrules.admin.panels import link, overblik
from accessrules.models import Abonnement, Levering, LeveringStatus, OrganisationType, Rolle
from accessrules.notifikationer import selectors, services
from accessrules.sagsbehandlere import sagsbehandler_for


def er_operatoer(user) -> bool:
    """A superuser, or STAR's Support."""
    if not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    row = sagsbehandler_for(user)
    return (
        row is not None
        and row.organisation.type == OrganisationType.STAR
        and row.rolle == Rolle.SUPPORT
    )


class KunOperatoerer(IngenSletning):
    def has_module_permission(self, request):
        return er_operatoer(request.user)

    def has_view_permission(self, request, obj=None):
        return er_operatoer(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Abonnement)
class AbonnementAdmin(KunOperatoerer, admin.ModelAdmin):
    list_display = ["organisation", "klient", "callback_url", "oprettet", "ophoert"]
    list_filter = [("ophoert", admin.EmptyFieldListFilter), "organisation__type"]
    search_fields = ["callback_url", "organisation__kode", "klient__navn"]
    list_select_related = ["organisation", "klient"]
    fields = readonly_fields = [
        "id",
        "organisation",
        "klient",
        "callback_url",
        "haendelsestyper",
        "oprettet",
        "forrige_udloeber",
        "pause_til",
        "ophoert",
        "ophoert_af",
    ]  # never the secrets
    actions = ["ophoer"]

    def get_actions(self, request):
        return super().get_actions(request) if er_operatoer(request.user) else {}

    @admin.action(description="Ophør valgte abonnementer")
    def ophoer(self, request, queryset):
        ended = 0
        for abonnement in queryset.filter(ophoert__isnull=True):
            services.ophoer_abonnement(abonnement=abonnement, af=f"admin: {request.user}")
            ended += 1
        self.message_user(request, f"{ended} abonnementer er ophørt.", messages.SUCCESS)


@admin.register(Levering)
class LeveringAdmin(KunOperatoerer, admin.ModelAdmin):
    list_display = ["notifikation", "abonnement", "status", "forsoeg", "sidste_fejl", "oprettet"]
    list_filter = ["status"]
    list_select_related = ["notifikation", "abonnement__organisation"]
    fields = readonly_fields = [
        "notifikation",
        "abonnement",
        "status",
        "forsoeg",
        "sidste_forsoeg",
        "sidste_fejl",
        "oprettet",
        "leveret",
    ]
    actions = ["gensend"]

    def get_actions(self, request):
        return super().get_actions(request) if er_operatoer(request.user) else {}

    @admin.action(description="Send valgte fejlede leveringer igen")
    def gensend(self, request, queryset):
        count = services.gensend(queryset.select_related("abonnement"))
        self.message_user(request, f"{count} fejlede leveringer sendes igen.", messages.SUCCESS)


@overblik("notifikationer", order=40)
def fejlede(user) -> list[dict]:
    if not er_operatoer(user):
        return []
    url = link("admin:accessrules_levering_changelist", status__exact=LeveringStatus.FEJLET)
    antal = selectors.fejlede_leveringer()
    return [{"titel": "Fejlede notifikationsleveringer", "antal": antal, "url": url}]
