"""The sign-in's Danish pages, without pysaml2 (which takes a second or two to import: it is
imported only where SAML sign-in is set up, see urls.py)."""

from django.contrib import admin
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


def afvist_side(request, besked: str, *, status: int = 403, title: str = "Login afvist"):
    context = {**admin.site.each_context(request), "title": title, "besked": besked}
    return render(request, "saml/afvist.html", context, status=status)


@csrf_exempt  # an identity provider's POST to /saml2/acs/ gets this page too, not a CSRF error
def ikke_sat_op(request, *args, **kwargs):
    return afvist_side(
        request,
        "Login med din organisations login er ikke sat op for denne tjeneste.",
        status=404,
        title="Organisationslogin er ikke sat op",
    )
