"""The ceiling: a bare Django view doing the same single indexed query (citizen by CPR) and
answering JSON, with no DRF, authentication, access check or access log."""

from django.http import JsonResponse

from accessrules.models import Borger


def ceiling(request):
    cpr = request.headers.get("x-civilRegistrationIdentifier", "")
    row = Borger.objects.filter(cpr=cpr).values("cpr", "kontaktgruppe").first()
    return JsonResponse({"civilRegistrationIdentifier": cpr, "borger": row})
