"""The actors bench/national_times.py needs beyond bench/national.py's STAR client and
superuser, made on its first run (idempotent, through the services and commands a deployment
uses): the caseworker of the largest kommune (101), STAR's Support (who may produce insight
reports), and an API client for kommune 101 with its bearer token. Also the flows that the
confirmations take and a deep cursor of the flow list."""

import base64
import datetime

from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from accessrules.models import ApiClient, Organisation, Rolle, RolleKilde
from accessrules.oauth.scopes import ALL as SCOPES
from accessrules.sagsbehandlere import saet_sagsbehandler
from borgerflytte.models import Borgerflytning

CASEWORKER = "bench-sagsbehandler-101"
SUPPORT = "bench-support-star"
# The caseworkers' other roles (issue 23 item 2: each role, the largest kommune's included):
# username -> (organisation type, code, role).
ROLES = {
    CASEWORKER: (7, "101", Rolle.SAGSBEHANDLER),
    "bench-support-101": (7, "101", Rolle.SUPPORT),
    "bench-sagsbehandler-10100": (8, "10100", Rolle.SAGSBEHANDLER),
    "bench-sagsbehandler-147": (7, "147", Rolle.SAGSBEHANDLER),
    "bench-sagsbehandler-14700": (8, "14700", Rolle.SAGSBEHANDLER),
    "bench-sagsbehandler-star": (1, "STAR", Rolle.SAGSBEHANDLER),
    SUPPORT: (1, "STAR", Rolle.SUPPORT),
}
KOMMUNE_TOKEN = "bench-token-101"
KOMMUNE = {"type": 7, "kode": "101"}
KOMMUNE_AUTH = {
    "Authorization": f"Bearer {KOMMUNE_TOKEN}",
    "x-activeOrganisationTypeIdentifier": "7",
    "x-activeOrganisationCode": "101",
}


def ensure_actors() -> None:
    call_command("opret_grupper", verbosity=0)
    kommune = Organisation.objects.get(**KOMMUNE)
    for username, (type_, kode, rolle) in ROLES.items():
        organisation = Organisation.objects.get(type=type_, kode=kode)
        user, _ = User.objects.get_or_create(username=username)
        saet_sagsbehandler(
            user,
            organisation=organisation,
            rolle=rolle,
            kilde=RolleKilde.LOKAL,
            begrundelse="bench/national_times.py",
        )
    if not AccessToken.objects.filter(token=KOMMUNE_TOKEN).exists():
        app = Application.objects.create(
            name="bench-101",
            client_type="confidential",
            authorization_grant_type="client-credentials",
        )
        client = ApiClient.objects.create(
            application=app, navn="bench-101", scopes=" ".join(SCOPES)
        )
        client.organisationer.set([kommune])
        AccessToken.objects.create(
            application=app,
            token=KOMMUNE_TOKEN,
            scope=" ".join(SCOPES),
            expires=timezone.now() + datetime.timedelta(hours=2),
        )
    AccessToken.objects.filter(token__in=["bench-token", KOMMUNE_TOKEN]).update(
        expires=timezone.now() + datetime.timedelta(hours=2)
    )


def unconfirmed_flows(count: int, *, skip: int) -> list[tuple[str, str]]:
    """(flow id, CPR) of waiting flows that nobody has confirmed yet."""
    waiting = (
        Borgerflytning.objects.filter(
            tilstand="AFVENTER",
            fraflytning_tidspunkt__isnull=True,
            tilflytning_tidspunkt__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "borger__cpr")
    )
    return list(waiting[skip : skip + count])


def deep_cursor() -> str:
    """A cursor 45 days back into the list's order: a page deep in it, as a client paging
    through a whole kommune reaches it."""
    position = (timezone.localdate() - datetime.timedelta(days=45)).isoformat()
    return base64.b64encode(f"p={position}".encode()).decode()
