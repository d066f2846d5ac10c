from django.urls import path

from asylovergivelse.api.views import AsylovergivelseViewSet

urlpatterns = [
    path(
        "Asylovergivelse",
        AsylovergivelseViewSet.as_view({"get": "retrieve", "post": "create", "put": "update"}),
        name="asylovergivelse",
    ),
]
