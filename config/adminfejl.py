"""Error pages by path: the admin (and the SAML sign-in a browser follows) answers a 400, 403,
404 or a database's 503 with a Danish page; every other path keeps the API's problem+json
(SPEC 4). `config.urls` points Django's handlers here."""

import sys

from django.contrib import admin
from django.http import HttpResponse
from django.template.loader import render_to_string
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
    503: (
        "Tjenesten er midlertidigt utilgængelig",
        "Databasen svarer ikke lige nu (for eksempel under et skift til en anden server). "
        "Det, du gemte, er ikke sikkert gemt: vent et øjeblik, og kontrollér det, før du "
        "prøver igen.",
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


def handler500(request):
    """A database that is unavailable is 503 with Retry-After everywhere; in the admin a Danish
    page (accessrules.api.problems.handler500 for the rest)."""
    if er_admin(request) and problems.database_unavailable(sys.exc_info()[1]):
        # no admin chrome: its context reads the session and the user from the database
        titel, tekst = SIDER[503]
        page = render_to_string("admin/utilgaengelig.html", {"titel": titel, "tekst": tekst})
        return HttpResponse(page, status=503, headers=problems.retry_after())
    return problems.handler500(request)
