from accessrules.api.routes import routes
from borgerflytte.api.views import BorgerFlytteViewSet, CprHaendelserViewSet

urlpatterns = routes(CprHaendelserViewSet, BorgerFlytteViewSet)
