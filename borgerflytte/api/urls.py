from django.urls import path

from borgerflytte.api.views import BorgerFlytteViewSet, CprHaendelserViewSet

urlpatterns = [
    path(
        "CprHaendelser",
        CprHaendelserViewSet.as_view({"post": "create"}),
        name="cprhaendelser",
    ),
    path("BorgerFlytte", BorgerFlytteViewSet.as_view({"get": "list"}), name="borgerflytte-list"),
    path(
        "BorgerFlytte/<uuid:pk>",
        BorgerFlytteViewSet.as_view({"get": "retrieve"}),
        name="borgerflytte-detail",
    ),
    path(
        "BorgerFlytte/action/bekraeftfraflytning",
        BorgerFlytteViewSet.as_view({"post": "bekraeft_fraflytning"}),
        name="borgerflytte-bekraeftfraflytning",
    ),
    path(
        "BorgerFlytte/action/bekraefttilflytning",
        BorgerFlytteViewSet.as_view({"post": "bekraeft_tilflytning"}),
        name="borgerflytte-bekraefttilflytning",
    ),
]
