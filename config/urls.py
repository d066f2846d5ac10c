from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from oauth2_provider import views as oauth_views

from accessrules.oauth.introspect import OwnTokenIntrospectView
from config.apiroot import api_root
from config.fejlsider import fejlliste, fejlside
from config.health import healthz
from config.metrics import metrics

# Only the endpoints a client-credentials API needs: no application or token management views
# (any staff user could register OAuth applications there), no authorization or device flows.
OAUTH_URLS = [
    path("token/", oauth_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", OwnTokenIntrospectView.as_view(), name="introspect"),
]

urlpatterns = [
    path("v1/", api_root, name="api-root"),
    path("v1/", include("asylovergivelse.api.urls")),
    path("v1/", include("borgerflytte.api.urls")),
    path("v1/", include("accessrules.notifikationer.api.urls")),
    path("oauth/", include((OAUTH_URLS, "oauth2_provider"), namespace="oauth2_provider")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("admin/", admin.site.urls),
    path("saml2/", include("accessrules.saml.urls")),
    path("fejl/", fejlliste, name="fejlliste"),
    path("fejl/<int:code>", fejlside, name="fejlside"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]

# by path: the admin's Danish pages, the API's problem+json (config.adminfejl)
handler400 = "config.adminfejl.handler400"
handler403 = "config.adminfejl.handler403"
handler404 = "config.adminfejl.handler404"
handler500 = "config.adminfejl.handler500"
