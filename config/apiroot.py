"""GET /v1/: the operations this service answers (method, path, operationId, summary) and
where their documentation is, read from the endpoints the URLconf serves."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from accessrules.api.problems import plain_problem
from accessrules.api.routes import PREFIX, documented_path, served
from accessrules.core import errors


def operations() -> list[dict]:
    return [
        {
            "method": endpoint.method,
            "path": PREFIX + documented_path(endpoint.path),
            "operationId": str(endpoint.operation),
            "summary": endpoint.summary,
        }
        for endpoint in served()
    ]


@csrf_exempt
def api_root(request):
    if request.method not in ("GET", "HEAD"):
        response = plain_problem(405, errors.METHOD_NOT_ALLOWED)
        response["Allow"] = "GET, HEAD"
        return response
    return JsonResponse(
        {
            "operations": operations(),
            "documentation": request.build_absolute_uri(reverse("swagger-ui")),
            "openapi": request.build_absolute_uri(reverse("schema")),
            "guide": "docs/integration.md",
        }
    )
