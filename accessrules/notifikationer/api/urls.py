from accessrules.api.routes import routes
from accessrules.notifikationer.api.views import AbonnementViewSet

urlpatterns = routes(AbonnementViewSet)
