import uuid

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from accessrules.models import ApiClient, Borger, Organisation, OrganisationType


class Tilstand(models.TextChoices):
    AFVENTER = "AFVENTER", "Afventer bekræftelser"
    AFSLUTTET = "AFSLUTTET", "Afsluttet"
    ANNULLERET = "ANNULLERET", "Annulleret"


def _kommune(related_name: str, help_text: str) -> models.ForeignKey:
    return models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name=related_name,
        limit_choices_to={"type": OrganisationType.KOMMUNE},
        help_text=help_text,
        db_index=False,  # the composite indexes below lead with this column
    )


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
    fraflytningskommune = _kommune("fraflytninger", "A: the kommune the citizen moved from")
    tilflytningskommune = _kommune("tilflytninger", "B: the kommune the citizen moved to")
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
        # The list (GET /v1/BorgerFlytte) reads one page in the ordering (-flyttedato, id) of
        # the caller's side(s), optionally of one state: each filter combination has an index
        # whose range scan yields the page in order (a million flows: bench/README.md).
        indexes = [
            models.Index(fields=["fraflytningskommune", "-flyttedato", "id"]),
            models.Index(fields=["tilflytningskommune", "-flyttedato", "id"]),
            models.Index(fields=["-flyttedato", "id"]),
            models.Index(fields=["fraflytningskommune", "tilstand", "-flyttedato", "id"]),
            models.Index(fields=["tilflytningskommune", "tilstand", "-flyttedato", "id"]),
            models.Index(fields=["tilstand", "-flyttedato", "id"]),
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
        """The admin's rules (the register loader checks the same by code)."""
        errors = {}
        for name in ("fraflytningskommune", "tilflytningskommune"):
            kommune = getattr(self, name, None) if getattr(self, f"{name}_id") else None
            if kommune is not None and kommune.type != OrganisationType.KOMMUNE:
                errors[name] = "Not a kommune."
        fra, til = self.fraflytningskommune_id, self.tilflytningskommune_id
        if fra is not None and fra == til:
            errors["tilflytningskommune"] = "A move is between two different kommuner."
        if errors:
            raise ValidationError(errors)
