"""What the admin's login page offers (templates/admin/login.html)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def login_valg() -> dict:
    """saml: "Log ind med din organisations login" is offered; adgangskode_aaben: the password
    form is for everyone (DEBUG or DEMO), else it is the break-glass accounts' way in."""
    return {
        "saml": settings.SAML_ENABLED,
        "adgangskode_aaben": settings.DEBUG or settings.DEMO_ALLOWED or not settings.SAML_ENABLED,
    }
