from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes


@extend_schema(
    summary="Health check: the service and its database answer",
    responses={200: OpenApiResponse(description="ok"), 503: OpenApiResponse(description="down")},
    auth=[],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
