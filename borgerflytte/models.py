import uuid

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from accessrules.models import ApiClient, Borger, Organisation, OrganisationType


class Tilstand(models.TextChoices):
    AFVENTER = "AFVENTER", "Afventer bekræftelser"
    AFSLUTTET = "AFSLUTTET", "Afsluttet"
    ANNULLERET = "ANNULLERET", "Annulleret"


def _stamp_organisation() -> models.ForeignKey:
    return models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )


def _stamp_klient() -> models.ForeignKey:
    return models.ForeignKey(
        ApiClient,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


class Borgerflytning(models.Model):
    """A relocation flow: the CPR register reported that a citizen moved from kommune A
    (fraflytningskommune) to B (tilflytningskommune). A confirms the move-out, B the move-in;
    then the jobcentre affiliation moves (SPEC 5)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    borger = models.ForeignKey(Borger, on_delete=models.PROTECT, related_name="flytninger")
    fraflytningskommune = models.CharField(max_length=20, help_text="Kommunekode (A)")
    tilflytningskommune = models.CharField(max_length=20, help_text="Kommunekode (B)")
    flyttedato = models.DateField()
    tilstand = models.CharField(
        max_length=10, choices=Tilstand.choices, default=Tilstand.AFVENTER, editable=False
    )
    # The two confirmation stamps: when, for which organisation, by which API client.
    fraflytning_tidspunkt = models.DateTimeField(null=True, blank=True, editable=False)
    fraflytning_organisation = _stamp_organisation()
    fraflytning_klient = _stamp_klient()
    tilflytning_tidspunkt = models.DateTimeField(null=True, blank=True, editable=False)
    tilflytning_organisation = _stamp_organisation()
    tilflytning_klient = _stamp_klient()
    annulleret_tidspunkt = models.DateTimeField(null=True, blank=True, editable=False)
    annulleret_af = models.CharField(max_length=200, blank=True, editable=False)
    annulleret_begrundelse = models.TextField(blank=True, editable=False)
    oprettet = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "borgerflytning"
        verbose_name_plural = "borgerflytninger"
        ordering = ["-flyttedato", "id"]
        indexes = [
            models.Index(fields=["fraflytningskommune", "-flyttedato", "id"]),
            models.Index(fields=["tilflytningskommune", "-flyttedato", "id"]),
            models.Index(fields=["-flyttedato", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(fraflytningskommune=models.F("tilflytningskommune")),
                name="borgerflytning_between_two_kommuner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fraflytningskommune} → {self.tilflytningskommune} {self.flyttedato}"

    def clean(self) -> None:
        known = set(
            Organisation.objects.filter(
                type=OrganisationType.KOMMUNE,
                kode__in=[self.fraflytningskommune, self.tilflytningskommune],
            ).values_list("kode", flat=True)
        )
        errors = {
            name: "Unknown kommune code."
            for name in ("fraflytningskommune", "tilflytningskommune")
            if getattr(self, name) not in known
        }
        if self.fraflytningskommune and self.fraflytningskommune == self.tilflytningskommune:
            errors["tilflytningskommune"] = "A move is between two different kommuner."
        if errors:
            raise ValidationError(errors)
