from django.urls import path

from accessrules.notifikationer.api.views import AbonnementViewSet

urlpatterns = [
    path(
        "Abonnementer",
        AbonnementViewSet.as_view({"get": "list", "post": "create"}),
        name="abonnementer",
    ),
    path(
        "Abonnementer/<uuid:pk>",
        AbonnementViewSet.as_view({"delete": "destroy"}),
        name="abonnement",
    ),
    path(
        "Abonnementer/<uuid:pk>/ny-hemmelighed",
        AbonnementViewSet.as_view({"post": "ny_hemmelighed"}),
        name="abonnement-ny-hemmelighed",
    ),
    path(
        "Abonnementer/<uuid:pk>/haendelser",
        AbonnementViewSet.as_view({"get": "haendelser"}),
        name="abonnement-haendelser",
    ),
]
