"""Organisations (kommune, jobcenter, anden aktør, STAR), named by their type's identifier.

What a type means (its row in the access tables, its kommune, ...) is its row of
`accessrules.core.organisationstyper.TYPER`, read through
`accessrules.access.organisationstyper.ORGANISATIONSTYPER`; the choices are built from it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from accessrules.core.organisationstyper import TYPER

# STAR's ActiveOrganisation type identifiers (SPEC 1), one per row of the types' table.
OrganisationType = models.IntegerChoices(
    "OrganisationType",
    [(typ.navn, (typ.nummer, typ.seed_raekke)) for typ in sorted(TYPER, key=lambda t: t.nummer)],
)


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

    def clean(self) -> None:
        if self.type in (OrganisationType.KOMMUNE, OrganisationType.JOBCENTER):
            if not self.kode.isdigit():
                raise ValidationError({"kode": "En kommune- eller jobcenterkode er kun cifre."})
            if self.type == OrganisationType.JOBCENTER and len(self.kode) < 3:
                raise ValidationError({"kode": "En jobcenterkode er kommunekoden + 2 cifre."})
