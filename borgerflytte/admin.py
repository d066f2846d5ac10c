from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from simple_history.admin import SimpleHistoryAdmin

from accessrules.admin_cpr import CPR_COLUMN, CprAdminMixin
from borgerflytte import services
from borgerflytte.models import Borgerflytning


class AnnullerActionForm(ActionForm):
    begrundelse = forms.CharField(required=False, label="Begrundelse (annuller)")


@admin.register(Borgerflytning)
class BorgerflytningAdmin(CprAdminMixin, SimpleHistoryAdmin):
    cpr_path = "borger__cpr"
    list_display = [
        CPR_COLUMN,
        "fraflytningskommune",
        "tilflytningskommune",
        "flyttedato",
        "tilstand",
        "fraflytning_tidspunkt",
        "tilflytning_tidspunkt",
    ]
    list_filter = ["tilstand", "fraflytningskommune", "tilflytningskommune", "flyttedato"]
    list_select_related = ["borger", "fraflytningskommune", "tilflytningskommune"]
    raw_id_fields = ["borger"]
    date_hierarchy = "flyttedato"
    action_form = AnnullerActionForm
    actions = ["annuller"]
    readonly_fields = [
        "id",
        "tilstand",
        "fraflytning_tidspunkt",
        "fraflytning_organisation",
        "fraflytning_klient",
        "tilflytning_tidspunkt",
        "tilflytning_organisation",
        "tilflytning_klient",
        "annulleret_tidspunkt",
        "annulleret_af",
        "annulleret_begrundelse",
    ]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["borger", "fraflytningskommune", "tilflytningskommune", "flyttedato"]
        return self.readonly_fields + (fixed if obj is not None else [])

    @admin.action(description="Annuller valgte borgerflytninger (skriv en begrundelse)")
    def annuller(self, request, queryset):
        begrundelse = request.POST.get("begrundelse", "").strip()
        if not begrundelse:
            self.message_user(request, "Skriv en begrundelse for annulleringen.", messages.ERROR)
            return
        done = 0
        for flow_id in queryset.values_list("pk", flat=True):
            try:
                services.annuller(
                    flytning_id=flow_id, begrundelse=begrundelse, af=f"admin {request.user}"
                )
                done += 1
            except ValueError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        self.message_user(request, f"{done} borgerflytning(er) annulleret.", messages.SUCCESS)
