"""Organisations (kommune, jobcenter, anden aktør, STAR) and what each type is.

`ORGANISATIONSTYPER` is the one table of what a type means: its row in the seeds' access
tables, which columns of that row it uses, and its kommune. A new type is one row here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models


class OrganisationType(models.IntegerChoices):
    """STAR's ActiveOrganisation type identifiers (SPEC 1)."""

    STAR = 1, "STAR"
    ANDEN_AKTOER = 4, "AndenAktoer"
    KOMMUNE = 7, "Kommune"
    JOBCENTER = 8, "JobCenter"


@dataclass(frozen=True)
class Organisationstype:
    """What one organisation type is, for access and for BorgerFlytte's sides."""

    seed_raekke: str  # its row's name in the seeds' "Tilladte organisationer" tables
    # the row of the seed table whose columns apply: its own, or (an anden aktør) the
    # JobCenter row's "Anden Aktør - ..." columns, as the jobcentre it acts for
    tabel_raekke: str
    kun_anden_aktoer_kolonner: bool
    kommunekode: Callable[[str], str | None]  # the kommune a code of this type belongs to
    # its own citizens ("Egne borgere", SPEC 3) are also those who live in its kommune: a
    # jobcentre serves its kommune's residents as well as those affiliated with it
    egne_via_bopael: bool = False


ORGANISATIONSTYPER: dict[int, Organisationstype] = {
    OrganisationType.STAR: Organisationstype("STAR", "STAR", False, lambda kode: None),
    OrganisationType.KOMMUNE: Organisationstype("Kommune", "Kommune", False, lambda kode: kode),
    # jobcentre xxxNN serves kommune xxx
    OrganisationType.JOBCENTER: Organisationstype(
        "JobCenter", "JobCenter", False, lambda kode: kode[:-2], egne_via_bopael=True
    ),
    OrganisationType.ANDEN_AKTOER: Organisationstype(
        "AndenAktoer", "JobCenter", True, lambda kode: None
    ),
}
SEED_RAEKKER: dict[str, OrganisationType] = {
    typ.seed_raekke: OrganisationType(value) for value, typ in ORGANISATIONSTYPER.items()
}


class OrganisationQuerySet(models.QuerySet):
    def get_by_natural_key(self, reference: str) -> "Organisation":
        type_part, _, kode = reference.partition(":")
        return self.get(type=int(type_part), kode=kode)


class Organisation(models.Model):
    """A kommune, jobcenter, anden aktør or STAR, named `TYPE:CODE` (e.g. `8:10100`)."""

    type = models.PositiveSmallIntegerField("type", choices=OrganisationType.choices)
    kode = models.CharField(
        "kode",
        max_length=20,
        validators=[RegexValidator(r"^\S{1,20}$", "1-20 tegn, ingen mellemrum")],
    )
    navn = models.CharField("navn", max_length=200)
    # SPEC 7a: the CVR number a SAML assertion names the organisation by (its privileges'
    # scope); optional, unique where given.
    cvr = models.CharField(
        "CVR-nummer",
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{8}$", "8 cifre")],
        help_text="Organisationens CVR-nummer: det, som SAML-login nævner den ved.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"
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
    def organisationstype(self) -> Organisationstype:
        return ORGANISATIONSTYPER[self.type]

    @property
    def kommunekode(self) -> str | None:
        """The municipality this organisation belongs to (see ORGANISATIONSTYPER)."""
        return self.organisationstype.kommunekode(self.kode)

    @property
    def is_star(self) -> bool:
        return self.type == OrganisationType.STAR

    def clean(self) -> None:
        if self.type in (OrganisationType.KOMMUNE, OrganisationType.JOBCENTER):
            if not self.kode.isdigit():
                raise ValidationError({"kode": "En kommune- eller jobcenterkode er kun cifre."})
            if self.type == OrganisationType.JOBCENTER and len(self.kode) < 3:
                raise ValidationError({"kode": "En jobcenterkode er kommunekoden + 2 cifre."})
