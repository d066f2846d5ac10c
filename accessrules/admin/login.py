"""The admin's sign-in (SPEC 7): "Log ind med din organisations login" (SAML, when it is set up)
and the password form, which a local account may use only with `DEBUG` or `DEMO` on or when it
is marked break-glass (`accessrules.sagsbehandlere.adgangskode_tilladt`); anyone else is
refused with a Danish message after the password was checked. The template is
templates/admin/login.html."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from accessrules.sagsbehandlere import adgangskode_tilladt

IKKE_MED_ADGANGSKODE = (
    "Denne konto må ikke logge ind med adgangskode her. Log ind med din organisations login. "
    "(En lokal konto kan kun bruges med DEBUG eller DEMO, eller når den er oprettet som "
    "nødadgang: opret_sagsbehandler --break-glass.)"
)


class LoginForm(AdminAuthenticationForm):
    error_messages = {**AdminAuthenticationForm.error_messages, "adgangskode": IKKE_MED_ADGANGSKODE}

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not adgangskode_tilladt(user):
            raise ValidationError(self.error_messages["adgangskode"], code="adgangskode")


admin.site.login_form = LoginForm
