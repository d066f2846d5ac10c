from accessrules.api.routes import routes
from asylovergivelse.api.views import AsylovergivelseViewSet

urlpatterns = routes(AsylovergivelseViewSet)
