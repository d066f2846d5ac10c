"""/saml2/: the service provider's endpoints (the login start, the assertion consumer service,
the metadata to give the identity provider). The admin's "Log ud" ends the session here; no
single logout is offered. Without SAML_IDP_METADATA every path here answers a Danish 404, and
pysaml2 is never imported (its XML schemas take a second or two per process)."""

from django.conf import settings
from django.urls import path, re_path

from accessrules.saml.sider import ikke_sat_op

if settings.SAML_ENABLED:
    from accessrules.saml import views

    urlpatterns = [
        path("login/", views.LoginView.as_view(), name="saml2_login"),
        path("acs/", views.AssertionConsumerServiceView.as_view(), name="saml2_acs"),
        path("metadata/", views.MetadataView.as_view(), name="saml2_metadata"),
    ]
else:
    urlpatterns = [
        path("login/", ikke_sat_op, name="saml2_login"),
        re_path(r"^.*$", ikke_sat_op),
    ]
