"""Citizens and their relations to organisations. Every period is inclusive: it applies from
`fra` up to and including `til`; `til` empty means open-ended."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accessrules.core.cpr import is_valid_cpr
from accessrules.core.masking import mask_cpr
from accessrules.models.organisation import Organisation, OrganisationType
from accessrules.models.sortering import noegleindeks, sorteringsnoegle


def validate_cpr(value: str) -> None:
    if not is_valid_cpr(value):
        raise ValidationError("Ikke et gyldigt CPR-nummer (DDMMÅÅSSSS, en rigtig dato).")


class Borger(models.Model):
    cpr = models.CharField("CPR", max_length=10, unique=True, validators=[validate_cpr])
    doedsdato = models.DateField("dødsdato", null=True, blank=True)
    kontaktgruppe = models.CharField(
        "kontaktgruppe", max_length=50, blank=True, db_index=True, help_text="F.eks. flygtning."
    )
    sorteringsnoegle = sorteringsnoegle()  # a masked list's order (accessrules.models.sortering)

    class Meta:
        verbose_name = "borger"
        verbose_name_plural = "borgere"
        indexes = [noegleindeks("borger_sortering_idx")]
        permissions = [
            ("view_full_cpr", "Kan se fulde CPR-numre"),
            ("indsigt", "Kan danne en borgers indsigtsrapport (adgangslog)"),
        ]

    def __str__(self) -> str:
        return mask_cpr(self.cpr)

    @property
    def is_dead(self) -> bool:
        return self.doedsdato is not None


class PeriodQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(til__isnull=True) | Q(til__gte=day), fra__lte=day)


class Period(models.Model):
    fra = models.DateField("fra")
    til = models.DateField("til", null=True, blank=True, help_text="Tom: uden slutdato.")

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.fra} - {self.til or '…'}"

    def clean(self) -> None:
        if self.til is not None and self.fra is not None and self.til < self.fra:
            raise ValidationError({"til": "Perioden kan ikke slutte, før den begynder."})


def _period_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(til__isnull=True) | Q(til__gte=models.F("fra")), name=name
    )


class Kilde(models.TextChoices):
    """Who last set a tilknytning. The register document is the initial load: it never changes
    or reopens a tilknytning that the CPR register or a completed flow has changed (SPEC 7)."""

    REGISTER = "register", "Registerindlæsning"
    CPR = "cpr", "CPR-hændelse"
    BORGERFLYTNING = "borgerflytning", "Afsluttet borgerflytning"
    SAGSBEHANDLER = "sagsbehandler", "Sagsbehandler"


class Tilknytning(Period):
    """A residence municipality (to a kommune) or a jobcentre affiliation (to a jobcenter)."""

    borger = models.ForeignKey(Borger, on_delete=models.CASCADE, related_name="tilknytninger")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="tilknytninger",
        limit_choices_to={"type__in": [OrganisationType.KOMMUNE, OrganisationType.JOBCENTER]},
    )
    kilde = models.CharField(
        "kilde", max_length=20, choices=Kilde.choices, default=Kilde.REGISTER, editable=False
    )

    class Meta:
        verbose_name = "tilknytning"
        verbose_name_plural = "tilknytninger"
        constraints = [_period_check("tilknytning_til_after_fra")]
        indexes = [models.Index(fields=["borger", "organisation", "til"])]

    def clean(self) -> None:
        super().clean()
        if self.organisation_id and self.organisation.type not in (
            OrganisationType.KOMMUNE,
            OrganisationType.JOBCENTER,
        ):
            raise ValidationError({"organisation": "Kun en kommune eller et jobcenter."})


class Gaesteadgang(Period):
    """A time-limited guest access of an organisation to a citizen."""

    borger = models.ForeignKey(Borger, on_delete=models.CASCADE, related_name="gaesteadgange")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="gaesteadgange"
    )
    til = models.DateField("til")

    class Meta:
        verbose_name = "gæsteadgang"
        verbose_name_plural = "gæsteadgange"
        constraints = [_period_check("gaesteadgang_til_after_fra")]
        indexes = [models.Index(fields=["borger", "organisation", "til"])]


class AndenAktoerTildeling(Period):
    """A jobcentre's assignment of a citizen to an anden aktør for a period."""

    borger = models.ForeignKey(Borger, on_delete=models.CASCADE, related_name="tildelinger")
    anden_aktoer = models.ForeignKey(
        Organisation,
        verbose_name="anden aktør",
        on_delete=models.PROTECT,
        related_name="tildelinger",
        limit_choices_to={"type": OrganisationType.ANDEN_AKTOER},
    )
    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name="jobcenter",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": OrganisationType.JOBCENTER},
    )

    class Meta:
        verbose_name = "anden aktør-tildeling"
        verbose_name_plural = "anden aktør-tildelinger"
        constraints = [_period_check("tildeling_til_after_fra")]
        indexes = [models.Index(fields=["borger", "anden_aktoer", "til"])]

    def clean(self) -> None:
        super().clean()
        if self.anden_aktoer_id and self.anden_aktoer.type != OrganisationType.ANDEN_AKTOER:
            raise ValidationError({"anden_aktoer": "Skal være en anden aktør (type 4)."})
        if self.jobcenter_id and self.jobcenter.type != OrganisationType.JOBCENTER:
            raise ValidationError({"jobcenter": "Skal være et jobcenter (type 8)."})
