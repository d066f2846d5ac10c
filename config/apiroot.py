"""GET /v1/: the operations this service answers (method, path, operationId, summary) and
where their documentation is, read from the OperationSpecs the views serve."""

from django.http import JsonResponse
from django.urls import URLPattern, reverse
from django.views.decorators.csrf import csrf_exempt

import asylovergivelse.api.urls
import borgerflytte.api.urls
from accessrules.api.problems import plain_problem
from accessrules.core import errors


def operations() -> list[dict]:
    found = []
    for pattern in [*asylovergivelse.api.urls.urlpatterns, *borgerflytte.api.urls.urlpatterns]:
        if not isinstance(pattern, URLPattern):
            continue
        view = pattern.callback
        for method, action in sorted(getattr(view, "actions", {}).items()):
            spec = getattr(getattr(view.cls, action, None), "spec", None)
            if spec is None:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": f"/v1/{pattern.pattern}",
                    "operationId": spec.operation.value,
                    "summary": spec.summary,
                }
            )
    return found


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
