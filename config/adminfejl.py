"""Error pages by path: the admin (and the SAML sign-in a browser follows) answers a 400, 403 or
404 with a Danish page in the admin's look; every other path keeps the API's problem+json
(SPEC 4). `config.urls` points Django's handlers here."""

from django.contrib import admin
from django.template.response import TemplateResponse

from accessrules.api import problems

HTML_PREFIXES = ("/admin/", "/saml2/")

SIDER = {
    400: ("Ugyldig forespørgsel", "Forespørgslen kunne ikke forstås. Gå tilbage og prøv igen."),
    403: (
        "Ingen adgang",
        "Du har ikke adgang til denne side eller handling med din rolle og organisation. "
        "Kontakt din organisations administrator, hvis du mener, du burde have adgang.",
    ),
    404: (
        "Siden findes ikke",
        "Siden eller posten findes ikke, eller din organisation må ikke se den. "
        "Tjek adressen, eller find borgeren med CPR-søgningen.",
    ),
}


def er_admin(request) -> bool:
    return request.path.startswith(HTML_PREFIXES)


def fejlside(request, status: int):
    titel, tekst = SIDER[status]
    context = {**admin.site.each_context(request), "title": titel, "tekst": tekst}
    response = TemplateResponse(request, "admin/fejl.html", context, status=status)
    return response.render()


def handler400(request, exception=None):
    return fejlside(request, 400) if er_admin(request) else problems.handler400(request, exception)


def handler403(request, exception=None):
    return fejlside(request, 403) if er_admin(request) else problems.handler403(request, exception)


def handler404(request, exception=None):
    return fejlside(request, 404) if er_admin(request) else problems.handler404(request, exception)
