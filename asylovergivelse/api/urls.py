from django.urls import path

from asylovergivelse.api.views import AsylovergivelseViewSet

urlpatterns = [
    path(
        "Asylovergivelse",
        AsylovergivelseViewSet.as_view({"get": "retrieve", "post": "create", "put": "update"}),
        name="asylovergivelse",
    ),
    path(
        "Asylovergivelse/<uuid:pk>",
        AsylovergivelseViewSet.as_view({"get": "retrieve_by_id"}),
        name="asylovergivelse-id",
    ),
]
