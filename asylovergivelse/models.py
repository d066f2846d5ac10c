import uuid

from django.db import models
from simple_history.models import HistoricalRecords

from accessrules.models import ApiClient, Borger, Organisation
from asylovergivelse.validators import (
    KOMMENTAR_MAX_LENGTH,
    KOMMUNEKODE_MAX_LENGTH,
    validate_kommunekode,
)


class CvStatus(models.TextChoices):
    AKTIV = "aktiv", "aktiv"
    ARKIVERET = "arkiveret", "arkiveret"
    DEAKTIVERET = "deaktiveret", "deaktiveret"
    LAAST = "laast", "låst"


class JobnetCv(models.Model):
    """The local CV register: what the default CV service backend reads and writes."""

    borger = models.OneToOneField(
        Borger, verbose_name="borger", on_delete=models.CASCADE, related_name="jobnet_cv"
    )
    nummer = models.CharField("CV-nummer", max_length=50)
    status = models.CharField(
        "status", max_length=12, choices=CvStatus.choices, default=CvStatus.AKTIV
    )
    cv_edit_end_date = models.DateField(
        "CVEditEndDate", null=True, blank=True, help_text="Sættes af asylovergivelsesservicen."
    )

    class Meta:
        verbose_name = "jobnet-CV"
        verbose_name_plural = "jobnet-CV'er"

    def __str__(self) -> str:
        return f"{self.nummer} ({self.status})"


class HistoryCaller(models.Model):
    """Who made a change, on every historical row: the API client and its organisation, or
    (admin) the Django user in simple_history's own history_user column."""

    api_client = models.ForeignKey(
        ApiClient,
        verbose_name="API-klient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="for organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class Asylovergivelse(models.Model):
    """A refugee's transition dates from the asylum system to a municipality (seed 002)."""

    borger = models.OneToOneField(
        Borger, verbose_name="borger", on_delete=models.PROTECT, related_name="asylovergivelse"
    )
    # the opaque id events and GET /v1/Asylovergivelse/{id} name it by (never the citizen)
    ekstern_id = models.UUIDField("id", unique=True, default=uuid.uuid4, editable=False)
    cv_edit_end_date = models.DateField("CVEditEndDate", help_text="Frist for CV-opdatering.")
    overgivelsesdato = models.DateField("overgivelsesdato", help_text="AsylumTransitionDate.")
    tidlig_cv_overgivelsesdato = models.DateField(
        "tidlig CV-overgivelsesdato", null=True, blank=True
    )
    tidlig_kontrakt_overgivelsesdato = models.DateField(
        "tidlig kontrakt-overgivelsesdato", null=True, blank=True
    )
    overgivelseskommunekode = models.CharField(
        "overgivelseskommunekode",
        max_length=KOMMUNEKODE_MAX_LENGTH,
        validators=[validate_kommunekode],
    )
    kommentar = models.TextField(
        "kommentar",
        max_length=KOMMENTAR_MAX_LENGTH,
        blank=True,
        help_text="Kommentar til denne ændring (CorrectionComment); påkrævet når "
        "overgivelsesdato ændres (9202). Den forrige kommentar står i historikken.",
    )
    oprettet = models.DateTimeField("oprettet", auto_now_add=True)
    aendret = models.DateTimeField("ændret", auto_now=True)

    history = HistoricalRecords(bases=[HistoryCaller], excluded_fields=["aendret"])

    class Meta:
        verbose_name = "asylovergivelse"
        verbose_name_plural = "asylovergivelser"
        indexes = [
            models.Index(fields=["overgivelseskommunekode", "overgivelsesdato"]),
        ]

    def __str__(self) -> str:
        return f"Overgivelse {self.overgivelsesdato} til {self.overgivelseskommunekode}"
