"""A caseworker signed in to the admin: a local user with an organisation and a role (set as
`opret_sagsbehandler` and a SAML sign-in set them), plus any extra permissions by codename."""

from django.contrib.auth.models import Permission, User

from accessrules.models import Rolle, RolleKilde
from accessrules.sagsbehandlere import saet_sagsbehandler


def log_in(client, organisation, rolle=Rolle.SAGSBEHANDLER, *rettigheder: str, navn="") -> User:
    user = User.objects.create_user(navn or f"cw-{organisation.kode}-{rolle}")
    saet_sagsbehandler(
        user, organisation=organisation, rolle=rolle, kilde=RolleKilde.LOKAL, begrundelse="t"
    )
    if rettigheder:
        user.user_permissions.add(*Permission.objects.filter(codename__in=rettigheder))
    client.force_login(user)
    return user
