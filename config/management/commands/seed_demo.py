"""seed_demo: the demo data set, brought back to one documented starting state on every run
(SPEC 7), and ready-to-paste curls that show every caller's access working.

The reset deletes the demo's own records only, identified by what is fixed in
`config.demo`: the citizens with the demo CPRs (with their relations, CVs, transitions,
flows, history rows, CPR event receipts and access-log rows), the receipts whose haendelseId
starts with `demo-`, and the API clients whose name starts with `demo ` (with their OAuth2
applications, tokens, recorded x-requestIds and access-log rows). Organisations are upserted,
never deleted. Then the register document is loaded and the states are made through the
services, as on the first run.
"""

import datetime
import json
import secrets
import shlex

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from oauth2_provider.models import get_application_model

from accessrules.core.caller import Caller
from accessrules.models import (
    AccessLogEntry,
    ApiClient,
    Borger,
    Organisation,
    OrganisationType,
    RequestId,
    Rolle,
    RolleKilde,
    Sagsbehandler,
)
from accessrules.oauth import scopes
from accessrules.oauth.clients import opret_api_klient
from accessrules.register import import_register
from accessrules.sagsbehandlere import saet_sagsbehandler
from asylovergivelse import services as asyl
from asylovergivelse.models import Asylovergivelse
from asylovergivelse.rules import Overgivelsesdata
from borgerflytte import services as flyt
from borgerflytte.models import Borgerflytning, HaendelseKvittering
from config import demo

DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # the README's run command


class Command(BaseCommand):
    help = (
        "Reset the demo data set to its starting state (every access relation, CV status and "
        "flow state; only the demo's own records are touched), create one demo API client per "
        "organisation and a CPR-feed system client (new secrets on every run), one admin user "
        "per role and organisation kind (new passwords on every run), and print curl commands "
        "and the admin users. Runs only with DEBUG on or DEMO=1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"the server's address in the printed curls (default {DEFAULT_BASE_URL})",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="reset the demo records (the default: accepted for clarity)",
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, base_url, dry_run, **options):
        if not (settings.DEBUG or settings.DEMO_ALLOWED):
            raise CommandError(
                "seed_demo deletes and rewrites the demo's records: it runs only with DEBUG=1 "
                "or DEMO=1."
            )
        today = timezone.localdate()
        with transaction.atomic():
            deleted = nulstil_demo()
            stats = import_register(demo.document(today))
            self._states(today)
            credentials = self._clients()
            users = self._admin_users()
            if dry_run:
                transaction.set_rollback(True)
        self.stderr.write(f"Demo reset: {deleted} demo records deleted.")
        self.stderr.write("Demo data: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
        if dry_run:
            self.stderr.write("Dry run: nothing was written.")
            return
        self.stdout.write(admin_users_text(base_url.rstrip("/"), users))
        self.stdout.write(curl_script(base_url.rstrip("/"), credentials, today))

    def _states(self, today: datetime.date) -> None:
        star = Organisation.objects.get(type=OrganisationType.STAR, kode="STAR")
        caller = Caller(organisation=star, label="seed_demo")
        for name in ("med_overgivelse", "anden_aktoer"):
            data = Overgivelsesdata.from_seed(
                {
                    k: datetime.date.fromisoformat(v) if k != "overgivelseskommunekode" else v
                    for k, v in demo.overgivelse(today).items()
                }
            )
            asyl.opret_asylovergivelse(caller=caller, cpr=demo.CPR[name], data=data, today=today)
        for side in (flyt.FRA, flyt.TIL):
            flyt.bekraeft(flytning_id=demo.FLOW_IDS["flyttet"], side=side, caller=caller)
        flyt.annuller(
            flytning_id=demo.FLOW_IDS["annulleret"],
            begrundelse="Demo: fejlagtig indberetning",
            af="seed_demo",
            caller=caller,
        )

    def _admin_users(self) -> list[tuple[str, str, str, str]]:
        """(user name, password, organisation reference, role) per demo admin user: local
        accounts, which sign in with a password because DEBUG or DEMO is on (SPEC 7)."""
        users = []
        for username, reference, rolle in demo.ADMIN_USERS:
            password = secrets.token_urlsafe(12)
            user = get_user_model().objects.create_user(username, password=password)
            saet_sagsbehandler(
                user,
                organisation=Organisation.objects.get_by_natural_key(reference),
                rolle=Rolle(rolle),
                kilde=RolleKilde.LOKAL,
                begrundelse="seed_demo",
            )
            users.append((username, password, reference, rolle))
        return users

    def _clients(self) -> dict[str, tuple[str, str]]:
        """reference -> (client_id, secret): one client per organisation, and the CPR feed."""
        credentials = {}
        for organisation in Organisation.objects.order_by("type", "kode"):
            client, secret = opret_api_klient(
                navn=f"{demo.CLIENT_PREFIX}{organisation.reference}",
                organisationer=[organisation],
                scopes=[s for s in scopes.ALL if s != scopes.CPRHAENDELSER_WRITE.navn],
            )
            credentials[organisation.reference] = (client.application.client_id, secret)
        star = Organisation.objects.get(type=OrganisationType.STAR, kode="STAR")
        client, secret = opret_api_klient(
            navn=demo.CPR_FEED_CLIENT,
            organisationer=[star],
            scopes=[scopes.CPRHAENDELSER_WRITE.navn],
            system=True,
        )
        credentials["cpr-feed"] = (client.application.client_id, secret)
        return credentials


def nulstil_demo() -> int:
    """Delete the demo's own records (see the module's docstring); returns how many rows."""
    borgere = Borger.objects.filter(cpr__in=demo.CPR.values())
    borger_ids = list(borgere.values_list("pk", flat=True))
    flows = Borgerflytning.objects.filter(
        Q(borger__in=borger_ids) | Q(pk__in=demo.FLOW_IDS.values())
    )
    flow_ids = list(flows.values_list("pk", flat=True))
    clients = ApiClient.objects.filter(navn__startswith=demo.CLIENT_PREFIX)
    client_ids = list(clients.values_list("pk", flat=True))
    application_ids = list(clients.values_list("application_id", flat=True))
    users = get_user_model().objects.filter(username__startswith=demo.USER_PREFIX)
    user_ids = list(users.values_list("pk", flat=True))
    # (a deletion writes a history row: the history goes after its records)
    querysets = [
        HaendelseKvittering.objects.filter(
            Q(borger__in=borger_ids)
            | Q(borgerflytning__in=flow_ids)
            | Q(haendelse_id__startswith=demo.HAENDELSE_PREFIX)
        ),
        Borgerflytning.objects.filter(pk__in=flow_ids),
        Borgerflytning.history.filter(id__in=flow_ids),
        Asylovergivelse.objects.filter(borger__in=borger_ids),
        Asylovergivelse.history.filter(borger_id__in=borger_ids),
        AccessLogEntry.objects.filter(
            Q(borger__in=borger_ids) | Q(client__in=client_ids) | Q(user__in=user_ids)
        ),
        RequestId.objects.filter(client__in=client_ids),
        Borger.objects.filter(pk__in=borger_ids),
        ApiClient.objects.filter(pk__in=client_ids),
        Sagsbehandler.objects.filter(user__in=user_ids),
        Sagsbehandler.history.filter(user_id__in=user_ids),
        get_user_model().objects.filter(pk__in=user_ids),
    ]
    deleted = sum(queryset.delete()[0] for queryset in querysets)
    deleted += get_application_model().objects.filter(pk__in=application_ids).delete()[0]
    return deleted


# --- The printed script ------------------------------------------------------------------


def admin_users_text(base: str, users: list[tuple[str, str, str, str]]) -> str:
    """The admin users as comment lines, so the script below stays pasteable."""
    lines = [
        f"# Admin ({base}/admin/): one local user per role and organisation kind; the",
        "# passwords are new on every seed_demo run. They sign in with a password because DEBUG",
        "# or DEMO is on; in production caseworkers use their organisation's SAML login.",
        *(
            f"#   {username:<28} {password}   {rolle} for {reference}"
            for username, password, reference, rolle in users
        ),
        "",
    ]
    return "\n".join(lines) + "\n"


STATUS = "-w '\\nHTTP %{http_code}\\n'"  # each call prints its status on a line of its own


def curl_script(base: str, credentials: dict, today: datetime.date) -> str:
    """Every line works as printed; each call prints its answer and `HTTP <status>`. Run
    twice with seed_demo between, it gives the same statuses."""
    q = shlex.quote
    token_var = {ref: "TOKEN_" + ref.replace(":", "_").replace("-", "_") for ref in credentials}
    aa = f"4:{demo.ANDEN_AKTOER[0]}"

    def token(ref: str) -> str:
        client_id, secret = credentials[ref]
        return (
            f"{token_var[ref]}=$(curl -sS --fail-with-body -X POST {q(base + '/oauth/token/')} "
            f"-u {q(client_id + ':' + secret)} -d grant_type=client_credentials "
            "| python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')"
        )

    def curl(ref: str, method: str, path: str, *, cpr=None, body=None, request_id=False) -> str:
        parts = [
            f"curl -sS -X {method} {q(base + path)}",
            f'-H "Authorization: Bearer ${token_var[ref]}"',
        ]
        if cpr:
            parts.append(f"-H 'x-civilRegistrationIdentifier: {cpr}'")
        if request_id:
            parts.append("-H \"x-requestId: $(python3 -c 'import uuid; print(uuid.uuid4())')\"")
        if body is not None:
            parts += ["-H 'Content-Type: application/json'", f"-d {q(json.dumps(body))}"]
        return " ".join(parts)

    def call(*args, **kwargs) -> str:
        return f"{curl(*args, **kwargs)} {STATUS}"

    asyl_url, flyt_url = "/v1/Asylovergivelse", "/v1/BorgerFlytte"
    ny = {**demo.overgivelse(today), "tidligCvOvergivelsesdato": None}
    ret = {
        **demo.overgivelse(today),
        "CVEditEndDate": (today + datetime.timedelta(days=45)).isoformat(),
        "kommentar": "Ny CV-frist aftalt med borger",
    }
    event = curl(
        "cpr-feed",
        "POST",
        "/v1/CprHaendelser",
        body={"haendelser": [demo.haendelse(today)]},
    )
    flow_id = (
        "FLOW_ID=$(printf '%s' \"$SVAR\" | head -n 1 | python3 -c 'import json,sys; "
        'print(json.load(sys.stdin)["resultater"][0]["borgerflytningId"])\')'
    )
    lines = [
        "# Demo clients (one per organisation, and a CPR-feed system client acting as STAR);",
        "# secrets are new on every seed_demo run, which resets the demo data to its start.",
        *(f"#   {ref}: client_id {cid}" for ref, (cid, _s) in credentials.items()),
        "# Each call prints its answer, then 'HTTP <status>'.",
        "",
        "# 1. Tokens (client credentials)",
        *(token(ref) for ref in ("8:10100", "7:101", "7:147", "8:14700", "1:STAR", aa)),
        token("cpr-feed"),
        "",
        "# 2. Asylovergivelse, as Jobcenter København (8:10100)",
        "# Get a citizen's transition (200):",
        call("8:10100", "GET", asyl_url, cpr=demo.CPR["med_overgivelse"]),
        "# Create one (201); the same create again answers 409 code 9302 (problem+json):",
        call("8:10100", "POST", asyl_url, cpr=demo.CPR["flygtning"], body=ny, request_id=True),
        call("8:10100", "POST", asyl_url, cpr=demo.CPR["flygtning"], body=ny, request_id=True),
        "# Update one (204):",
        call(
            "8:10100", "PUT", asyl_url, cpr=demo.CPR["med_overgivelse"], body=ret, request_id=True
        ),
        "# As STAR (all citizens) and as the anden aktør (its assigned citizen), 200 with data:",
        call("1:STAR", "GET", asyl_url, cpr=demo.CPR["med_overgivelse"]),
        call(aa, "GET", asyl_url, cpr=demo.CPR["anden_aktoer"]),
        "",
        "# 3. BorgerFlytte: København's waiting flows, then both sides confirm a move 101 -> 147",
        call("8:10100", "GET", flyt_url + "?tilstand=AFVENTER"),
        call(
            "8:10100",
            "POST",
            flyt_url + "/action/bekraeftfraflytning",
            cpr=demo.CPR["flytter"],
            body={"borgerflytningId": demo.FLOW_IDS["flytter"]},
            request_id=True,
        ),
        call(
            "7:147",
            "POST",
            flyt_url + "/action/bekraefttilflytning",
            body={"borgerflytningId": demo.FLOW_IDS["flytter"]},
            request_id=True,
        ),
        "",
        "# 4. The CPR register reports a move 101 -> 147 (the CPR-feed system client, as STAR);",
        "#    the answer names the flow it opened, kept in FLOW_ID for the confirmations:",
        f'SVAR=$({event} {STATUS}); echo "$SVAR"',
        flow_id,
        "# Kommune B (147) and B's jobcentre (14700) confirm the move-in (204 each; the second",
        "# is a no-op), then A (Jobcenter København) confirms the move-out (204): AFSLUTTET.",
        *(
            call(
                ref,
                "POST",
                flyt_url + "/action/bekraefttilflytning",
                body={"borgerflytningId": "FLOW_ID_PLACEHOLDER"},
                request_id=True,
            )
            for ref in ("7:147", "8:14700")
        ),
        call(
            "8:10100",
            "POST",
            flyt_url + "/action/bekraeftfraflytning",
            cpr=demo.CPR["cpr_flytter"],
            body={"borgerflytningId": "FLOW_ID_PLACEHOLDER"},
            request_id=True,
        ),
        "# The flow is now AFSLUTTET in København's list:",
        call("8:10100", "GET", flyt_url + "?tilstand=AFSLUTTET"),
    ]
    script = "\n".join(lines) + "\n"
    # the flow id is the shell's: the body is in single quotes, so close them around it
    return script.replace('"FLOW_ID_PLACEHOLDER"', '"\'"$FLOW_ID"\'"')
