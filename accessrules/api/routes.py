"""The URLs, built from the endpoints the viewsets serve: one URL per path, each method of it
mapped to the action that serves it (`@serves(endpoint)`). An app's `api/urls.py` is
`urlpatterns = routes(ItsViewSet, ...)`; the `/v1/` root lists `served()`."""

import re

from django.urls import URLPattern, get_resolver, path

from accessrules.api.endpoints import Endpoint

PREFIX = "/v1/"


def endpoints_of(viewset) -> dict[str, Endpoint]:
    """action name -> the Endpoint it serves, for every `@serves` action of a viewset, in the
    order the class declares them."""
    found = {}
    for klass in reversed(viewset.__mro__):
        for name, member in vars(klass).items():
            if isinstance(getattr(member, "endpoint", None), Endpoint):
                found[name] = member.endpoint
    return found


def routes(*viewsets) -> list[URLPattern]:
    by_path: dict[str, tuple[type, dict[str, str]]] = {}
    for viewset in viewsets:
        for action, endpoint in endpoints_of(viewset).items():
            owner, actions = by_path.setdefault(endpoint.path, (viewset, {}))
            method = endpoint.method.lower()
            if owner is not viewset or method in actions:
                raise ValueError(f"{endpoint.method} {endpoint.path} is served twice")
            actions[method] = action
    return [
        path(route, viewset.as_view(actions), name=route_name(route))
        for route, (viewset, actions) in by_path.items()
    ]


def route_name(route: str) -> str:
    """`BorgerFlytte/action/bekraeftfraflytning` -> `borgerflytte-bekraeftfraflytning`; a path
    parameter is named without its converter (`BorgerFlytte/<uuid:pk>` -> `borgerflytte/pk`)."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"\1", route).lower().replace("/action/", "-")


def documented_path(route: str) -> str:
    """A route as the OpenAPI document and the `/v1/` root name it: `BorgerFlytte/<uuid:pk>`
    is `BorgerFlytte/{id}` (drf-spectacular's name for `pk`)."""
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{id}" if m[1] == "pk" else f"{{{m[1]}}}", route)


def served(patterns=None) -> list[Endpoint]:
    """Every endpoint the URLconf serves (the root URLconf's by default), in its order."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(pattern, "url_patterns"):  # an include()
            found += served(pattern.url_patterns)
            continue
        view = pattern.callback
        if hasattr(view, "cls") and hasattr(view, "actions"):  # a viewset's URL
            endpoints = endpoints_of(view.cls)
            found += [
                endpoints[action]
                for method, action in sorted(view.actions.items())
                if action in endpoints and endpoints[action].method.lower() == method  # not HEAD
            ]
    return found
