"""Panels: what each app adds to the admin pages that gather several apps' records, so that
accessrules (the ground floor) imports no app. As the register document's sections are
(`accessrules.register.section`), each app registers its own, in its admin module:

- `@borgerpanel(name, order=..., template=...)`: a part of the citizen's page
  (`accessrules.admin.borger`); the function `(borger, user) -> dict` gives the template's
  context (its keys are the panel's own: two panels may not share one), and the template is
  included in the page in `order`.
- `@overblik(name, order=...)`: lines of the dashboard on the admin's index page
  (`{% dashboard %}`); the function `(user) -> list[dict]` gives its lines, each a `titel`, an
  `antal` and a `url` to the filtered list, only for lists the user may read.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

# name -> panel; the order decides where it shows
_BORGERPANELER: dict[str, "Borgerpanel"] = {}
_OVERBLIK: dict[str, tuple[int, Callable]] = {}


@dataclass(frozen=True)
class Borgerpanel:
    name: str
    order: int
    template: str
    context: Callable


def borgerpanel(name: str, *, order: int, template: str):
    def register(context: Callable) -> Callable:
        _BORGERPANELER[name] = Borgerpanel(name, order, template, context)
        return context

    return register


def borgerpaneler(borger, user) -> tuple[list[str], dict]:
    """The templates of the citizen page's panels in order, and their context together."""
    templates, context = [], {}
    for panel in sorted(_BORGERPANELER.values(), key=lambda p: p.order):
        part = panel.context(borger, user)
        clash = context.keys() & part.keys()
        if clash:
            raise ValueError(f"panel {panel.name!r} repeats context keys {sorted(clash)}")
        templates.append(panel.template)
        context.update(part)
    return templates, context


def overblik(name: str, *, order: int):
    def register(lines: Callable) -> Callable:
        _OVERBLIK[name] = (order, lines)
        return lines

    return register


def overblikslinjer(user) -> list[dict]:
    """The dashboard's lines, each app's in its order."""
    return [
        line for _, lines in sorted(_OVERBLIK.values(), key=lambda o: o[0]) for line in lines(user)
    ]


def link(name: str, **query) -> str:
    """A dashboard line's link: the admin URL `name` with its filters as the query string."""
    return f"{reverse(name)}?{urlencode(query)}"
