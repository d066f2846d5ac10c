"""Template tags of the caseworkers' admin: the environment banner, the dashboard on the index
page, and free text with CPR-like numbers masked for the user."""

from django import template
from django.conf import settings

from accessrules.admin.cpr import tekst_for
from accessrules.admin.panels import overblikslinjer

register = template.Library()


@register.simple_tag
def admin_miljoe() -> str:
    return settings.ADMIN_ENVIRONMENT


@register.simple_tag(takes_context=True)
def cpr_tekst(context, text) -> str:
    return tekst_for(context["request"].user, str(text) if text is not None else "")


@register.simple_tag(takes_context=True)
def dashboard(context) -> list[dict]:
    """Each item: a title, a count and a link to the filtered list; only lists the user may
    read. The apps register their lines (`accessrules.admin.panels.overblik`)."""
    return overblikslinjer(context["request"].user)
