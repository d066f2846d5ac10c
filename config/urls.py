from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.apiroot import api_root
from config.health import healthz
from config.metrics import metrics

urlpatterns = [
    path("v1/", api_root, name="api-root"),
    path("v1/", include("asylovergivelse.urls")),
    path("v1/", include("borgerflytte.urls")),
    path("oauth/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]

handler400 = "accessrules.api.problems.handler400"
handler403 = "accessrules.api.problems.handler403"
handler404 = "accessrules.api.problems.handler404"
handler500 = "accessrules.api.problems.handler500"
