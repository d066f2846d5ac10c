from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

DOMAIN_APPS = ("accessrules", "asylovergivelse", "borgerflytte")
# Models Support may change (data fixes in the admin go through the same rules as the API).
# Relations, CVs and receipts are read-only in the admin (the register, CPR events and the CV
# service write them); a flow's one change is its cancellation (the action needs change).
SUPPORT_CHANGES = {
    ("accessrules", "borger"),  # the contact group
    ("asylovergivelse", "asylovergivelse"),
    ("borgerflytte", "borgerflytning"),
}
# Support's extra permissions: full CPR numbers, and a move registered by hand (issue 12).
SUPPORT_EXTRA = {("accessrules", "view_full_cpr"), ("borgerflytte", "registrer_flytning")}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


class Command(BaseCommand):
    help = (
        'Create or refresh the "Sagsbehandler" group (view every domain model, CPR masked) '
        'and the "Support" group (also change citizens, relations, transitions, flows and '
        "CVs, and see full CPR numbers). Idempotent."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        view = []
        for app_label in DOMAIN_APPS:
            for model in apps.get_app_config(app_label).get_models():
                view.append(_permission(app_label, f"view_{model._meta.model_name}"))
        change = [_permission(a, f"change_{m}") for a, m in sorted(SUPPORT_CHANGES)]
        extra = [_permission(a, codename) for a, codename in sorted(SUPPORT_EXTRA)]
        sagsbehandler, _ = Group.objects.get_or_create(name="Sagsbehandler")
        sagsbehandler.permissions.set(view)
        support, _ = Group.objects.get_or_create(name="Support")
        support.permissions.set([*view, *change, *extra])
        self.stdout.write(
            f"Sagsbehandler: {len(view)} permissions; "
            f"Support: {len(view) + len(change) + len(extra)}."
        )
