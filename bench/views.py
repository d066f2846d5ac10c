"""The ceilings: bare Django views with no DRF, authentication, access check or access log.

`ceiling` is the issue's ceiling: the single indexed query (citizen by CPR) answered as JSON.
The other two do the same database work as one benchmarked operation, so that its ratio can
also be read against a bare view of the same query: the list's page, and the confirmation's
locked read and update of one flow in one transaction.
"""

import json
import uuid

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from accessrules.models import Borger
from borgerflytte.models import Borgerflytning


def ceiling(request):
    cpr = request.headers.get("x-civilRegistrationIdentifier", "")
    row = Borger.objects.filter(cpr=cpr).values("cpr", "kontaktgruppe").first()
    return JsonResponse({"civilRegistrationIdentifier": cpr, "borger": row})


def ceiling_flows(request):
    """GET /v1/BorgerFlytte's page query (STAR: all flows), newest flyttedato first."""
    limit = int(request.GET.get("limit", 20))
    rows = Borgerflytning.objects.order_by("-flyttedato", "id").values(
        "id",
        "tilstand",
        "flyttedato",
        "fraflytningskommune__kode",
        "tilflytningskommune__kode",
        "fraflytning_tidspunkt",
        "tilflytning_tidspunkt",
    )[:limit]
    return JsonResponse({"results": list(rows)})


@csrf_exempt
def ceiling_bekraeft(request):
    """bekraeftfraflytning's write: lock the flow by id, stamp the side, commit."""
    flow_id = uuid.UUID(json.loads(request.body)["borgerflytningId"])
    with transaction.atomic():
        flow = Borgerflytning.objects.select_for_update().filter(pk=flow_id).values("id").first()
        if flow is None:
            return JsonResponse({"error": "not found"}, status=404)
        Borgerflytning.objects.filter(pk=flow_id, fraflytning_tidspunkt__isnull=True).update(
            fraflytning_tidspunkt=timezone.now()
        )
    return HttpResponse(status=204)
