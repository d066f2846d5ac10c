"""Bare Django views for the benchmark: no DRF, no authentication, no access decision, no
serializer, no access-log module. Never routed in production (bench/urls.py).

`ceiling` is the issue's ceiling: the single indexed query (citizen by CPR) answered as JSON.

The `same_*` views send the **same statements** as one benchmarked endpoint (for the bench's
STAR caller), in the same transactions, so that an endpoint's ratio to its bare view is what
DRF, authentication, the access decision, the serializers and the access-log code cost on top
of the database work. They do that work by calling what the endpoints call (the selectors, the
request-id claim, the history stamp, the notifications' recording), not by copies of their
SQL, so that they follow the endpoints when these change; `bench/queries.py` checks that each
sends exactly its endpoint's statements. Each writes its access-log row as
`accessrules.accesslog.log` does: a read's through its `insert_in_autocommit` (one INSERT in
autocommit, at ACCESS_LOG_SYNCHRONOUS_COMMIT, as the endpoint's), a write's inside the write's
transaction.
"""

import functools
import json
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from accessrules.access.tables import Operation
from accessrules.accesslog.log import insert_in_autocommit
from accessrules.accesslog.requestid import claim_request_id
from accessrules.core.caller import Caller
from accessrules.models import AccessLogEntry, ApiClient, Borger, Organisation
from accessrules.models.historik import stempl
from borgerflytte import rules, selectors
from borgerflytte.models import Borgerflytning
from borgerflytte.notifikationer import BEKRAEFTET, registrer_flytninger

FLOW_RELATED = (
    "fraflytningskommune",
    "tilflytningskommune",
    "fraflytning_organisation",
    "tilflytning_organisation",
)


def ceiling(request):
    cpr = request.headers.get("x-civilRegistrationIdentifier", "")
    row = Borger.objects.filter(cpr=cpr).values("cpr", "kontaktgruppe").first()
    return JsonResponse({"civilRegistrationIdentifier": cpr, "borger": row})


@functools.cache
def bench_caller() -> Caller:
    """The bench client acting for STAR, read once per process (the endpoints have it from
    the token cache; a bare view has no token). A request's caller adds its x-requestId."""
    client = ApiClient.objects.get(navn="bench")
    return Caller(organisation=Organisation.objects.get(type=1, kode="STAR"), client=client)


def log_row(handling: str, *, borger_id=None, outcome: int, request_id: str = "") -> None:
    caller = bench_caller()
    entry = AccessLogEntry(
        created_at=timezone.now(),
        handling=handling,
        client_id=caller.client.pk,
        organisation_id=caller.organisation.pk,
        borger_id=borger_id,
        outcome=outcome,
        error_code=None,
        request_id=request_id,
    )
    if connection.in_atomic_block:  # a write's row: in the write's transaction
        entry.save(force_insert=True)
        return
    insert_in_autocommit(entry, settings.ACCESS_LOG_SYNCHRONOUS_COMMIT)


def same_asylovergivelse(request):
    """GET /v1/Asylovergivelse for STAR: the citizen with its transition, then the log row."""
    cpr = request.headers.get("x-civilRegistrationIdentifier", "")
    borger = Borger.objects.select_related("asylovergivelse").filter(cpr=cpr).first()
    if borger is None:
        log_row(Operation.GET_ASYL, outcome=404)
        return JsonResponse({"errors": [{"code": 1010}]}, status=404)
    transition = getattr(borger, "asylovergivelse", None)
    data = None
    if transition is not None:
        data = {
            "CVEditEndDate": transition.cv_edit_end_date,
            "overgivelsesdato": transition.overgivelsesdato,
            "tidligCvOvergivelsesdato": transition.tidlig_cv_overgivelsesdato,
            "tidligKontraktOvergivelsesdato": transition.tidlig_kontrakt_overgivelsesdato,
            "overgivelseskommunekode": transition.overgivelseskommunekode,
            "kommentar": transition.kommentar,
        }
    log_row(Operation.GET_ASYL, borger_id=borger.pk, outcome=200)
    return JsonResponse({"civilRegistrationIdentifier": borger.cpr, "asylovergivelsesdata": data})


def _stamp(flow: Borgerflytning, side: str) -> dict | None:
    tidspunkt = getattr(flow, f"{side}_tidspunkt")
    if tidspunkt is None:
        return None
    organisation = getattr(flow, f"{side}_organisation")
    reference = organisation.reference if organisation else None
    return {"tidspunkt": tidspunkt, "organisation": reference}


def flow_item(flow: Borgerflytning, caller: Caller) -> dict:
    """One flow of the list, as the endpoint's serializer answers it (its hindring by the
    same rule)."""
    violation = rules.hindring(
        flow,
        caller,
        doed=flow.borger_doedsdato is not None,
        bor_i_tilflytningskommune=flow.bor_i_tilflytningskommune,
    )
    return {
        "borgerflytningId": flow.id,
        "tilstand": flow.tilstand,
        "flyttedato": flow.flyttedato,
        "fraflytningskommunekode": flow.fraflytningskommune.kode,
        "tilflytningskommunekode": flow.tilflytningskommune.kode,
        "fraflytningsbekraeftelse": _stamp(flow, "fraflytning"),
        "tilflytningsbekraeftelse": _stamp(flow, "tilflytning"),
        "oprettet": flow.oprettet,
        "hindring": {"code": violation.code, "detail": violation.detail} if violation else None,
    }


def same_flows(request):
    """GET /v1/BorgerFlytte for STAR: one page of the flows the caller sees
    (`selectors.synlige_flytninger`, newest flyttedato first) with its four organisations
    joined, one row more than the page to know whether there is a next; the page's residences
    in B (`selectors.med_bopael_i_b`: none to read for STAR); then the log row."""
    limit = int(request.GET.get("limit", 50))
    caller = bench_caller()
    flows = selectors.synlige_flytninger(caller).select_related(*FLOW_RELATED)[: limit + 1]
    page = selectors.med_bopael_i_b(list(flows)[:limit], caller)
    results = [flow_item(flow, caller) for flow in page]
    log_row(Operation.LIST_FLYTNINGER, outcome=200)
    return JsonResponse({"next": None, "previous": None, "results": results})


@csrf_exempt
def same_bekraeft(request):
    """A first bekraeftfraflytning for STAR, in one transaction: the flow locked with its
    citizen and kommune, the request id claimed (`claim_request_id`), the stamp saved with
    the caller on its history row (`stempl`), the event recorded for the live subscriptions
    (`registrer_flytninger`), then the log row. No savepoint: the service joins the
    operation's transaction as it is (`accessrules.accesslog.transaction`)."""
    flow_id = uuid.UUID(json.loads(request.body)["borgerflytningId"])
    base = bench_caller()
    caller = Caller(
        organisation=base.organisation,
        client=base.client,
        request_id=request.headers.get("x-requestId", ""),
    )
    with transaction.atomic():
        flow = (
            Borgerflytning.objects.select_related("borger", "fraflytningskommune")
            .select_for_update(of=("self",))
            .filter(pk=flow_id)
            .first()
        )
        if flow is None:
            return JsonResponse({"errors": [{"code": 3}]}, status=404)
        claim_request_id(caller=caller, operation=Operation.FRAFLYTNING)
        flow.fraflytning_tidspunkt = timezone.now()
        flow.fraflytning_organisation = caller.organisation
        flow.fraflytning_klient = caller.client
        stempl(flow, caller, f"{rules.FRA} bekræftet af {caller}")
        flow.save(
            update_fields=[
                "fraflytning_tidspunkt",
                "fraflytning_organisation",
                "fraflytning_klient",
                "tilstand",
            ]
        )
        registrer_flytninger([(flow, BEKRAEFTET, {"side": rules.FRA})])
        log_row(
            Operation.FRAFLYTNING,
            borger_id=flow.borger.pk,
            outcome=204,
            request_id=caller.request_id,
        )
    return HttpResponse(status=204)
