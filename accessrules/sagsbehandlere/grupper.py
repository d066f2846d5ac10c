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
# Support's extra permission: full CPR numbers.
SUPPORT_EXTRA = {("accessrules", "view_full_cpr")}
# What only STAR's Support does (SPEC 7): insight reports for citizens, and a move registered
# by hand (it stands in for the CPR register). A group of its own, given to STAR's Support by
# `accessrules.sagsbehandlere.saet_sagsbehandler` and taken from anyone else.
INDSIGT_GRUPPE = "STAR-support"
STAR_SUPPORT = {("accessrules", "indsigt"), ("borgerflytte", "registrer_flytning")}
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
    indsigt.permissions.set([_permission(a, codename) for a, codename in sorted(STAR_SUPPORT)])
    return {
        sagsbehandler.name: len(view),
        support.name: len(view) + len(change) + len(extra),
        indsigt.name: len(STAR_SUPPORT),
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
