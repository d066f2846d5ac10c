import datetime
import shlex

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accessrules import demo, scopes
from accessrules.caller import Caller
from accessrules.models import ApiClient, Borger, Organisation, OrganisationType
from accessrules.register import import_register
from accessrules.services import ny_klienthemmelighed, opret_api_klient
from asylovergivelse import services as asyl
from asylovergivelse.models import Asylovergivelse
from asylovergivelse.rules import Overgivelsesdata
from borgerflytte import services as flyt
from borgerflytte.models import Borgerflytning, Tilstand


class Command(BaseCommand):
    help = (
        "Load the demo data set (every access relation, CV status and flow state), create a "
        "demo API client per organisation (new secrets on every run) and print curl commands."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, base_url, dry_run, **options):
        today = timezone.localdate()
        with transaction.atomic():
            stats = import_register(demo.document(today))
            self._states(today)
            credentials = self._clients()
            if dry_run:
                transaction.set_rollback(True)
        self.stderr.write("Demo data: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
        if dry_run:
            self.stderr.write("Dry run: nothing was written.")
            return
        self.stdout.write(curl_script(base_url.rstrip("/"), credentials, today))

    def _states(self, today: datetime.date) -> None:
        star = Organisation.objects.get(type=OrganisationType.STAR, kode="STAR")
        caller = Caller(organisation=star, label="seed_demo")
        borger = Borger.objects.get(cpr=demo.CPR["med_overgivelse"])
        if not Asylovergivelse.objects.filter(borger=borger).exists():
            data = Overgivelsesdata.from_seed(
                {
                    k: datetime.date.fromisoformat(v) if k != "overgivelseskommunekode" else v
                    for k, v in demo.overgivelse(today).items()
                }
            )
            asyl.opret_asylovergivelse(caller=caller, cpr=borger.cpr, data=data, today=today)
        flows = Borgerflytning.objects.filter(tilstand=Tilstand.AFVENTER)
        if flows.filter(pk=demo.FLOW_IDS["flyttet"]).exists():
            for side in (flyt.FRA, flyt.TIL):
                flyt.bekraeft(flytning_id=demo.FLOW_IDS["flyttet"], side=side, caller=caller)
        if flows.filter(pk=demo.FLOW_IDS["annulleret"]).exists():
            flyt.annuller(
                flytning_id=demo.FLOW_IDS["annulleret"],
                begrundelse="Demo: fejlagtig indberetning",
                af="seed_demo",
            )

    def _clients(self) -> dict[str, tuple[str, str]]:
        """reference -> (client_id, secret): one client per organisation, a fresh secret."""
        credentials = {}
        for organisation in Organisation.objects.order_by("type", "kode"):
            name = f"demo {organisation.reference}"
            client = ApiClient.objects.filter(navn=name).select_related("application").first()
            if client is None:
                client, secret = opret_api_klient(
                    navn=name, organisationer=[organisation], scopes=list(scopes.ALL)
                )
            else:
                secret = ny_klienthemmelighed(client=client)
            credentials[organisation.reference] = (client.application.client_id, secret)
        return credentials


def curl_script(base: str, credentials: dict, today: datetime.date) -> str:
    q = shlex.quote
    token_var = {ref: "TOKEN_" + ref.replace(":", "_") for ref in credentials}

    def token(ref: str) -> str:
        client_id, secret = credentials[ref]
        return (
            f"{token_var[ref]}=$(curl -sS --fail-with-body -X POST {q(base + '/oauth/token/')} "
            f"-u {q(client_id + ':' + secret)} -d grant_type=client_credentials "
            "| python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')"
        )

    def call(ref: str, method: str, path: str, *, cpr=None, body=None, request_id=False) -> str:
        parts = [
            f"curl -sS --fail-with-body -X {method} {q(base + path)}",
            f'-H "Authorization: Bearer ${token_var[ref]}"',
        ]
        if cpr:
            parts.append(f"-H 'x-civilRegistrationIdentifier: {cpr}'")
        if request_id:
            parts.append("-H \"x-requestId: $(python3 -c 'import uuid; print(uuid.uuid4())')\"")
        if body is not None:
            import json

            parts += ["-H 'Content-Type: application/json'", f"-d {q(json.dumps(body))}"]
        return " ".join(parts) + "; echo"

    asyl_url, flyt_url = "/v1/Asylovergivelse", "/v1/BorgerFlytte"
    ny = {**demo.overgivelse(today), "tidligCvOvergivelsesdato": None}
    ret = {
        **demo.overgivelse(today),
        "CVEditEndDate": (today + datetime.timedelta(days=45)).isoformat(),
        "kommentar": "Ny CV-frist aftalt med borger",
    }
    lines = [
        "# Demo clients (one per organisation); secrets are new on every seed_demo run.",
        *(f"#   {ref}: client_id {cid}" for ref, (cid, _s) in credentials.items()),
        "",
        "# 1. Tokens (client credentials)",
        token("8:10100"),
        token("7:147"),
        token("1:STAR"),
        token(f"4:{demo.ANDEN_AKTOER[0]}"),
        "",
        "# 2. Asylovergivelse, as Jobcenter København (8:10100)",
        "# Get a citizen's transition:",
        call("8:10100", "GET", asyl_url, cpr=demo.CPR["med_overgivelse"]),
        "# Create one (works once; a second create answers 409 code 9302):",
        call("8:10100", "POST", asyl_url, cpr=demo.CPR["flygtning"], body=ny, request_id=True),
        "# Update one:",
        call(
            "8:10100", "PUT", asyl_url, cpr=demo.CPR["med_overgivelse"], body=ret, request_id=True
        ),
        "# As STAR (all citizens), and as the anden aktør (its assigned citizen):",
        call("1:STAR", "GET", asyl_url, cpr=demo.CPR["gaest"]),
        call(f"4:{demo.ANDEN_AKTOER[0]}", "GET", asyl_url, cpr=demo.CPR["anden_aktoer"]),
        "",
        "# 3. BorgerFlytte: the flows of København, then confirm a move 101 -> 147",
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
    ]
    return "\n".join(lines) + "\n"
