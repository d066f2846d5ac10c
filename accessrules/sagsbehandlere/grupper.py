"""The caseworkers' two groups and their Django permissions (SPEC 7): "Sagsbehandler" views
every domain model (CPR masked), "Support" also makes the admin's writes. A caseworker's role
(`Sagsbehandler.rolle`) names its group; `opret_grupper` and every role change make them."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from accessrules.models import Rolle

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
# Insight reports for citizens (SPEC 7): a group of its own, given by default to STAR's Support
# (`accessrules.sagsbehandlere.saet_sagsbehandler`); an operator may add others to it.
INDSIGT_GRUPPE = "Indsigt"
INDSIGT = ("accessrules", "indsigt")
# Who is a caseworker of which organisation is the superusers' to see, not the caseworkers'.
NOT_VIEWED = {("accessrules", "sagsbehandler"), ("accessrules", "historicalsagsbehandler")}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def opret_grupper() -> dict[str, int]:
    """Create or refresh both groups (idempotent); returns each group's number of permissions."""
    view = []
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if (app_label, model._meta.model_name) not in NOT_VIEWED:
                view.append(_permission(app_label, f"view_{model._meta.model_name}"))
    change = [_permission(a, f"change_{m}") for a, m in sorted(SUPPORT_CHANGES)]
    extra = [_permission(a, codename) for a, codename in sorted(SUPPORT_EXTRA)]
    sagsbehandler, _ = Group.objects.get_or_create(name=Rolle.SAGSBEHANDLER.value)
    sagsbehandler.permissions.set(view)
    support, _ = Group.objects.get_or_create(name=Rolle.SUPPORT.value)
    support.permissions.set([*view, *change, *extra])
    indsigt, _ = Group.objects.get_or_create(name=INDSIGT_GRUPPE)
    indsigt.permissions.set([_permission(*INDSIGT)])
    return {
        sagsbehandler.name: len(view),
        support.name: len(view) + len(change) + len(extra),
        indsigt.name: 1,
    }


def gruppe_for(rolle: Rolle | str) -> Group:
    """The role's group (or the insight group by its name), made with every group's
    permissions if `opret_grupper` has not run."""
    name = rolle.value if isinstance(rolle, Rolle) else rolle
    group = Group.objects.filter(name=name).first()
    if group is None:
        opret_grupper()
        group = Group.objects.get(name=name)
    return group
