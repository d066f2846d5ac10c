import uuid

from django.db import models
from simple_history.models import HistoricalRecords

from accessrules.core.masking import mask_cpr_text
from accessrules.models import Borger
from accessrules.models.historik import HistoryCaller
from accessrules.models.sortering import SORTERINGSNOEGLE, noegleindeks, sorteringsnoegle
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
        "frist for CV-rettelser",
        null=True,
        blank=True,
        help_text="Sættes af asylovergivelsesservicen. Element og JSON: CVEditEndDate.",
    )
    sorteringsnoegle = sorteringsnoegle()  # a masked list's order (accessrules.models.sortering)

    class Meta:
        verbose_name = "jobnet-CV"
        verbose_name_plural = "jobnet-CV'er"
        indexes = [noegleindeks("jobnetcv_sortering_idx")]

    def __str__(self) -> str:
        return f"{mask_cpr_text(self.nummer)} ({self.status})"  # admin titles: masked for all


class Asylovergivelse(models.Model):
    """A refugee's transition dates from the asylum system to a municipality (seed 002)."""

    borger = models.OneToOneField(
        Borger, verbose_name="borger", on_delete=models.PROTECT, related_name="asylovergivelse"
    )
    # the opaque id events and GET /v1/Asylovergivelse/{id} name it by (never the citizen)
    ekstern_id = models.UUIDField("id", unique=True, default=uuid.uuid4, editable=False)
    cv_edit_end_date = models.DateField(
        "frist for CV-rettelser",
        help_text="Dato for hvornår jobcentret ikke længere kan rette i CV'et. "
        "Element: CVEditEndDate; JSON: CVEditEndDate.",
    )
    overgivelsesdato = models.DateField(
        "overgivelsesdato",
        help_text="Overgivelsesdato til kommunen. "
        "Element: AsylumTransitionDate; JSON: overgivelsesdato.",
    )
    tidlig_cv_overgivelsesdato = models.DateField(
        "tidlig CV-overgivelsesdato",
        null=True,
        blank=True,
        help_text="Hvornår kommunen tidligst kan begynde at opdatere CV'et. "
        "Element: EarlyCVTransitionDate; JSON: tidligCvOvergivelsesdato.",
    )
    tidlig_kontrakt_overgivelsesdato = models.DateField(
        "tidlig kontrakt-overgivelsesdato",
        null=True,
        blank=True,
        help_text="Hvornår kommunen tidligst kan begynde at opdatere kontrakten efter "
        "integrationsloven. Element: EarlyIntegrationContractTransitionDate; "
        "JSON: tidligKontraktOvergivelsesdato.",
    )
    overgivelseskommunekode = models.CharField(
        "overgivelseskommune",
        max_length=KOMMUNEKODE_MAX_LENGTH,
        validators=[validate_kommunekode],
        help_text="Kommunekoden på den kommune, borgeren overgives til. "
        "Element: TransitionMunicipality; JSON: overgivelseskommunekode.",
    )
    kommentar = models.TextField(
        "kommentar",
        max_length=KOMMENTAR_MAX_LENGTH,
        blank=True,
        help_text="Kommentar til denne ændring; påkrævet når overgivelsesdatoen ændres (9202). "
        "Den forrige kommentar står i historikken. Element: CorrectionComment; JSON: kommentar.",
    )
    oprettet = models.DateTimeField("oprettet", auto_now_add=True)
    aendret = models.DateTimeField("ændret", auto_now=True)
    sorteringsnoegle = sorteringsnoegle()  # a masked list's order (accessrules.models.sortering)

    history = HistoricalRecords(
        bases=[HistoryCaller],
        excluded_fields=["aendret", SORTERINGSNOEGLE],
        verbose_name="historik for asylovergivelse",
        verbose_name_plural="historik for asylovergivelser",
        history_change_reason_field=models.TextField(null=True),  # the whole reason
    )

    borger_sti = "borger"  # the transition's citizen, for `accessrules.access.restrict`

    class Meta:
        verbose_name = "asylovergivelse"
        verbose_name_plural = "asylovergivelser"
        indexes = [
            models.Index(fields=["overgivelseskommunekode", "overgivelsesdato"]),
            # the dashboard's count of CV edit periods ending soon (issue 23)
            models.Index(fields=["cv_edit_end_date"], name="asyl_cv_edit_end_idx"),
            noegleindeks("asyl_sortering_idx"),
        ]

    def __str__(self) -> str:
        return f"Overgivelse {self.overgivelsesdato} til {self.overgivelseskommunekode}"
