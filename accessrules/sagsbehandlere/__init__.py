"""Caseworkers (SPEC 7): who they are and how every admin page sees them.

- `caller_for(user)`: the `Caller` a signed-in user acts as (organisation, user): what the
  admin's visibility (`restrict`), its access-log rows and its history use. A caseworker acts
  for the organisation of their `Sagsbehandler` row. A superuser without a row acts as STAR
  (STAR sees all, SPEC 7: the register's STAR organisation): a superuser is an operator, and
  an operator's commands act as STAR too. Anyone else has no organisation:
  `IngenOrganisation` (the admin answers it with a Danish refusal, never a page of data).
- `saet_sagsbehandler(...)`: the one write of a caseworker's organisation and role, from the
  SAML assertion on every sign-in, from `opret_sagsbehandler` and from `seed_demo`; the role's
  group (`accessrules.sagsbehandlere.grupper`) follows, the other role's group is taken away;
  STAR's Support is also put in the group "STAR-support" (insight reports, a move registered
  by hand), anyone else taken out of it.
- `fjern_rolle(user)`: a sign-in whose assertion no longer gives a role takes it away here.
- `adgangskode_tilladt(user)`: a local account signs in with a password only with `DEBUG` or
  `DEMO` on, or when it is marked break-glass.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from accessrules.core.caller import Caller
from accessrules.models import Organisation, OrganisationType, Rolle, RolleKilde, Sagsbehandler
from accessrules.models.historik import stempl
from accessrules.models.sagsbehandler import SAGSBEHANDLER_TYPER
from accessrules.sagsbehandlere.grupper import INDSIGT_GRUPPE, gruppe_for


class IngenOrganisation(Exception):
    """The user belongs to no organisation: no citizen data. The message is Danish."""


class SagsbehandlerFejl(ValueError):
    """A caseworker cannot be given this organisation or role. The message is Danish."""


def sagsbehandler_for(user) -> Sagsbehandler | None:
    """The user's row (with its organisation), read once per user instance: Django keeps a
    reverse one-to-one, found or not, on the instance (request.user lives for one request)."""
    try:
        return user.sagsbehandler
    except Sagsbehandler.DoesNotExist:
        return None


def caller_for(user) -> Caller:
    """The Caller every admin page uses for `user` (see the module's docstring)."""
    row = sagsbehandler_for(user) if user.is_authenticated else None
    if row is not None:
        return Caller(organisation=row.organisation, user=user)
    if user.is_authenticated and user.is_superuser:
        star = Organisation.objects.filter(type=OrganisationType.STAR).order_by("kode").first()
        if star is not None:
            return Caller(organisation=star, user=user, label="superbruger")
        raise IngenOrganisation(
            "Registret har ingen STAR-organisation, som en superbruger uden organisation kan "
            "handle som. Indlæs registret (import_register) eller giv brugeren en organisation "
            "med opret_sagsbehandler."
        )
    raise IngenOrganisation(
        "Din bruger hører ikke til en organisation og kan ikke se borgeres data. Log ind med "
        "din organisations login, eller bed en administrator om at give dig en rolle."
    )


def rolle_for(user) -> Rolle | None:
    row = sagsbehandler_for(user)
    return Rolle(row.rolle) if row is not None else None


def adgangskode_tilladt(user) -> bool:
    """May this account sign in with a password (SPEC 7)?"""
    if settings.DEBUG or settings.DEMO_ALLOWED:
        return True
    row = sagsbehandler_for(user)
    return row is not None and row.kilde == RolleKilde.LOKAL and row.break_glass


def er_lokal_konto(user) -> bool:
    """A local account (a password, a superuser, or made by `opret_sagsbehandler`): never
    signed in, nor changed, by a SAML assertion that happens to carry its user name."""
    row = sagsbehandler_for(user)
    return (
        user.is_superuser
        or user.has_usable_password()
        or (row is not None and row.kilde == RolleKilde.LOKAL)
    )


@transaction.atomic
def saet_sagsbehandler(
    user,
    *,
    organisation: Organisation,
    rolle: Rolle,
    kilde: RolleKilde,
    break_glass: bool | None = None,
    begrundelse: str,
) -> tuple[Sagsbehandler, bool]:
    """Give `user` this organisation and role (and its group; the user becomes staff).
    `break_glass` None keeps what is stored (a new row: False). Returns the row and whether
    anything changed; a change is kept in the row's history with `begrundelse`."""
    if organisation.type not in SAGSBEHANDLER_TYPER:
        raise SagsbehandlerFejl(
            f"{organisation.reference} er en {organisation.get_type_display()}: en sagsbehandler "
            "hører til en Kommune, et JobCenter eller STAR."
        )
    rolle = Rolle(rolle)
    row = Sagsbehandler.objects.select_for_update().filter(user=user).first()
    new = row is None
    if new:
        row = Sagsbehandler(user=user, break_glass=False)
    wanted = {
        "organisation_id": organisation.pk,
        "rolle": rolle.value,
        "kilde": RolleKilde(kilde).value,
        **({"break_glass": break_glass} if break_glass is not None else {}),
    }
    changed = new or any(getattr(row, name) != value for name, value in wanted.items())
    if changed:
        for name, value in wanted.items():
            setattr(row, name, value)
        row.organisation = organisation
        stempl(row, None, begrundelse)
        row.save()
    roles = Group.objects.filter(name__in=[r.value for r in Rolle]).exclude(name=rolle.value)
    user.groups.remove(*roles)
    user.groups.add(gruppe_for(rolle))
    if organisation.type == OrganisationType.STAR and rolle == Rolle.SUPPORT:
        user.groups.add(gruppe_for(INDSIGT_GRUPPE))  # insight reports, by default (SPEC 7)
    else:
        user.groups.remove(*Group.objects.filter(name=INDSIGT_GRUPPE))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.sagsbehandler = row  # the instance's cached row, for caller_for
    return row, changed


@transaction.atomic
def fjern_rolle(user, *, begrundelse: str) -> bool:
    """Take the user's organisation and role (and both groups) away; True if there was one.
    The row's history keeps what it was."""
    names = [*(r.value for r in Rolle), INDSIGT_GRUPPE]
    user.groups.remove(*Group.objects.filter(name__in=names))
    row = Sagsbehandler.objects.filter(user=user).first()
    if row is None:
        return False
    stempl(row, None, begrundelse)
    row.delete()
    return True
