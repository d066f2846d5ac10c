from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models


class OrganisationType(models.IntegerChoices):
    """STAR's ActiveOrganisation type identifiers (SPEC 1)."""

    STAR = 1, "STAR"
    ANDEN_AKTOER = 4, "AndenAktoer"
    KOMMUNE = 7, "Kommune"
    JOBCENTER = 8, "JobCenter"


class OrganisationQuerySet(models.QuerySet):
    def get_by_natural_key(self, reference: str) -> "Organisation":
        type_part, _, kode = reference.partition(":")
        return self.get(type=int(type_part), kode=kode)


class Organisation(models.Model):
    """A kommune, jobcenter, anden aktør or STAR, named `TYPE:CODE` (e.g. `8:10100`)."""

    type = models.PositiveSmallIntegerField(choices=OrganisationType.choices)
    kode = models.CharField(
        max_length=20, validators=[RegexValidator(r"^\S{1,20}$", "1-20 chars, no spaces")]
    )
    navn = models.CharField(max_length=200)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["type", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["type", "kode"], name="organisation_type_kode_unique")
        ]

    def __str__(self) -> str:
        return f"{self.navn} ({self.reference})"

    @property
    def reference(self) -> str:
        return f"{self.type}:{self.kode}"

    @property
    def kommunekode(self) -> str | None:
        """The municipality this organisation belongs to: a kommune's own code, a jobcentre's
        code without its last two digits (jobcentre xxxNN belongs to kommune xxx)."""
        if self.type == OrganisationType.KOMMUNE:
            return self.kode
        if self.type == OrganisationType.JOBCENTER:
            return self.kode[:-2]
        return None

    def clean(self) -> None:
        if self.type in (OrganisationType.KOMMUNE, OrganisationType.JOBCENTER):
            if not self.kode.isdigit():
                raise ValidationError({"kode": "A kommune or jobcenter code is digits only."})
            if self.type == OrganisationType.JOBCENTER and len(self.kode) < 3:
                raise ValidationError({"kode": "A jobcenter code is the kommune code + 2 digits."})
