"""/saml2/: the service provider's endpoints (the login start, the assertion consumer service,
the metadata to give the identity provider). The admin's "Log ud" ends the session here; no
single logout is offered."""

from django.urls import path

from accessrules.saml import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="saml2_login"),
    path("acs/", views.AssertionConsumerServiceView.as_view(), name="saml2_acs"),
    path("metadata/", views.MetadataView.as_view(), name="saml2_metadata"),
]
