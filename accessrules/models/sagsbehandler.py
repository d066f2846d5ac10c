"""Who a caseworker is (SPEC 7): one organisation (a Kommune, a JobCenter or STAR) and one role,
one row per user. The row is set from the SAML assertion on every sign-in, or for a local
account by `opret_sagsbehandler`; the role's Django group follows it
(`accessrules.sagsbehandlere`). A user without a row has no organisation: no citizen data."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from accessrules.models.organisation import Organisation, OrganisationType

# The organisation types a caseworker may belong to (SPEC 7): not an anden aktør.
SAGSBEHANDLER_TYPER = (OrganisationType.KOMMUNE, OrganisationType.JOBCENTER, OrganisationType.STAR)


class Rolle(models.TextChoices):
    """A caseworker's role; each is one of `opret_grupper`'s groups, by the same name."""

    SAGSBEHANDLER = "Sagsbehandler", "Sagsbehandler (læse)"
    SUPPORT = "Support", "Support (læse og rette)"


class RolleKilde(models.TextChoices):
    SAML = "saml", "SAML-login"
    LOKAL = "lokal", "Lokal konto (opret_sagsbehandler)"


class Sagsbehandler(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="bruger",
        on_delete=models.CASCADE,
        related_name="sagsbehandler",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="sagsbehandlere",
        limit_choices_to={"type__in": SAGSBEHANDLER_TYPER},
    )
    rolle = models.CharField("rolle", max_length=20, choices=Rolle.choices)
    kilde = models.CharField("sat af", max_length=10, choices=RolleKilde.choices)
    break_glass = models.BooleanField(
        "nødadgang (break-glass)",
        default=False,
        help_text="En lokal konto, der må logge ind med adgangskode, også uden DEBUG/DEMO.",
    )
    opdateret = models.DateTimeField("opdateret", auto_now=True)
    history = HistoricalRecords(
        verbose_name="historik for sagsbehandler", verbose_name_plural="historik for sagsbehandlere"
    )

    class Meta:
        verbose_name = "sagsbehandler"
        verbose_name_plural = "sagsbehandlere"
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_rolle_display()}, {self.organisation.reference})"
