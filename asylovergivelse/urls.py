from django.urls import path

from asylovergivelse.views import AsylovergivelseViewSet

urlpatterns = [
    path(
        "Asylovergivelse",
        AsylovergivelseViewSet.as_view({"get": "retrieve", "post": "create", "put": "update"}),
        name="asylovergivelse",
    ),
]
