"""A page per error code (`/fejl/<code>`), the problem+json `type` of every error the API
answers: the code's text (English, as STAR's service pages give it), what it means (Danish),
how to fix it, and which operations can answer it; `/fejl/` lists them all. Public, no token:
an integrator follows the link from an error. In config: it reads the endpoints both apps
serve.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accessrules.admin import fejl
from accessrules.api.endpoints import Endpoint
from accessrules.api.problems import plain_problem
from accessrules.api.routes import served
from accessrules.core import errors
from accessrules.core.hints import hint


def operation_specs() -> list[Endpoint]:
    """Every endpoint the URLconf serves, by operation name."""
    return sorted(served(), key=lambda endpoint: str(endpoint.operation))


def forklaring(code: int) -> str | None:
    """The Danish explanation caseworkers read (the registry's row, or the admin's table)."""
    entry = errors.lookup(code)
    return getattr(entry, "forklaring", None) or getattr(fejl, "FORKLARINGER", {}).get(code)


def _side(code: int) -> dict:
    entry = errors.lookup(code)
    return {
        "code": code,
        "status": entry.status,
        "text": entry.text,
        "forklaring": forklaring(code),
        "hint": hint(code),
        "operationer": [s for s in operation_specs() if code in s.error_codes()],
    }


def fejlside(request: HttpRequest, code: int) -> HttpResponse:
    if code not in errors.REGISTRY:
        return plain_problem(404, errors.NOT_FOUND)
    return render(request, "fejl/side.html", _side(code))


def fejlliste(request: HttpRequest) -> HttpResponse:
    koder = [_side(code) for code in sorted(errors.REGISTRY)]
    return render(request, "fejl/liste.html", {"koder": koder})
