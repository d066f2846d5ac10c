import uuid

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from accessrules.core.masking import mask_cpr_text
from accessrules.models import ApiClient, Borger, Organisation, OrganisationType
from accessrules.models.historik import HistoryCaller
from accessrules.models.sortering import SORTERINGSNOEGLE, sorteringsnoegle


class Tilstand(models.TextChoices):
    AFVENTER = "AFVENTER", "Afventer bekræftelser"
    AFSLUTTET = "AFSLUTTET", "Afsluttet"
    ANNULLERET = "ANNULLERET", "Annulleret"


def _kommune(related_name: str, help_text: str) -> models.ForeignKey:
    return models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=related_name[:-2] + "skommune",
        limit_choices_to={"type": OrganisationType.KOMMUNE},
        help_text=help_text,
        db_index=False,  # the composite indexes below lead with this column
    )


def _stamp_organisation(side: str) -> models.ForeignKey:
    return models.ForeignKey(
        Organisation,
        verbose_name=f"{side} bekræftet for",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )


def _stamp_klient(side: str) -> models.ForeignKey:
    return models.ForeignKey(
        ApiClient,
        verbose_name=f"{side} bekræftet af API-klient",
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
    borger = models.ForeignKey(
        Borger, verbose_name="borger", on_delete=models.PROTECT, related_name="flytninger"
    )
    fraflytningskommune = _kommune(
        "fraflytninger", "A: kommunen borgeren flyttede fra. JSON: fraflytningskommunekode."
    )
    tilflytningskommune = _kommune(
        "tilflytninger", "B: kommunen borgeren flyttede til. JSON: tilflytningskommunekode."
    )
    flyttedato = models.DateField("flyttedato", help_text="Flyttedatoen fra CPR. JSON: flyttedato.")
    tilstand = models.CharField(
        "tilstand",
        max_length=10,
        choices=Tilstand.choices,
        default=Tilstand.AFVENTER,
        editable=False,
        help_text="JSON: tilstand (AFVENTER, AFSLUTTET, ANNULLERET).",
    )
    # The two confirmation stamps: when, for which organisation, by which API client.
    fraflytning_tidspunkt = models.DateTimeField(
        "fraflytning bekræftet",
        null=True,
        blank=True,
        editable=False,
        help_text="JSON: fraflytningsbekraeftelse.tidspunkt.",
    )
    fraflytning_organisation = _stamp_organisation("fraflytning")
    fraflytning_klient = _stamp_klient("fraflytning")
    tilflytning_tidspunkt = models.DateTimeField(
        "tilflytning bekræftet",
        null=True,
        blank=True,
        editable=False,
        help_text="JSON: tilflytningsbekraeftelse.tidspunkt.",
    )
    tilflytning_organisation = _stamp_organisation("tilflytning")
    tilflytning_klient = _stamp_klient("tilflytning")
    annulleret_tidspunkt = models.DateTimeField("annulleret", null=True, blank=True, editable=False)
    annulleret_af = models.CharField("annulleret af", max_length=200, blank=True, editable=False)
    annulleret_begrundelse = models.TextField("begrundelse", blank=True, editable=False)
    oprettet = models.DateTimeField(
        "oprettet", auto_now_add=True, help_text="Oprettet i servicen. JSON: oprettet."
    )
    # A masked list's order after flyttedato (accessrules.models.sortering): the id may come
    # from a register extract, so it need not be random. Read through the (-flyttedato, id)
    # index, the key sorting only the flows of one date.
    sorteringsnoegle = sorteringsnoegle()

    history = HistoricalRecords(
        bases=[HistoryCaller],
        excluded_fields=[SORTERINGSNOEGLE],
        verbose_name="historik for borgerflytning",
        verbose_name_plural="historik for borgerflytninger",
        history_change_reason_field=models.TextField(null=True),  # the whole begrundelse
    )

    # for `accessrules.access.restrict`: the flow's citizen and its two sides
    borger_sti = "borger"
    kommune_stier = ("fraflytningskommune", "tilflytningskommune")

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
            # `?ordering=oprettet` (polling with oprettetFra): STAR's page by a range scan; a
            # kommune's two sides each by a range from oprettetFra, combined (BitmapOr) and
            # sorted: only the flows created since oprettetFra are read. Three more indexes
            # to maintain per flow written: flows are written rarely, read often.
            models.Index(fields=["oprettet", "id"]),
            models.Index(fields=["fraflytningskommune", "oprettet", "id"]),
            models.Index(fields=["tilflytningskommune", "oprettet", "id"]),
            # The dashboard's counts of waiting flows by age (borgerflytte.admin.panels), each
            # from a small partial index of the flows still waiting (issue 23).
            models.Index(
                fields=["oprettet"],
                condition=models.Q(tilstand="AFVENTER", fraflytning_tidspunkt__isnull=True),
                name="flytning_venter_fra_idx",
            ),
            models.Index(
                fields=["oprettet"],
                condition=models.Q(tilstand="AFVENTER", tilflytning_tidspunkt__isnull=True),
                name="flytning_venter_til_idx",
            ),
            models.Index(
                fields=["oprettet"],
                condition=models.Q(tilstand="AFVENTER"),
                name="flytning_venter_idx",
            ),
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
                errors[name] = "Ikke en kommune."
        fra, til = self.fraflytningskommune_id, self.tilflytningskommune_id
        if fra is not None and fra == til:
            errors["tilflytningskommune"] = "En flytning er mellem to forskellige kommuner."
        if errors:
            raise ValidationError(errors)


class HaendelseStatus(models.TextChoices):
    """The result of a CPR event (SPEC 5a). `allerede behandlet` is only ever an answer (a
    replay of an applied event), never a stored status."""

    BEHANDLET = "behandlet", "Behandlet"
    ALLEREDE_BEHANDLET = "allerede behandlet", "Allerede behandlet"
    AFVIST = "afvist", "Afvist"


_STORED_STATUSES = [(s.value, s.label) for s in (HaendelseStatus.BEHANDLET, HaendelseStatus.AFVIST)]


class HaendelseKvittering(models.Model):
    """The receipt of one CPR event (SPEC 5a): what arrived, from where, and its latest result,
    so that caseworkers and operators can see what the register told the service.

    One row per `haendelse_id` for all time. A replay of an applied event is answered from this
    row and changes nothing, the row neither. An event that was rejected may be sent again:
    its row then keeps the latest result (status, errors, citizen, flow, `resultat_tidspunkt`,
    `kilde`), while `modtaget` stays the first arrival. Another event under a used id is
    answered 1014 and not stored: the id names the first."""

    haendelse_id = models.CharField("hændelses-id", max_length=64, unique=True)
    type = models.CharField("type", max_length=20)
    indhold = models.JSONField("indhold", help_text="Hændelsen som modtaget.")
    fingeraftryk = models.CharField(
        "fingeraftryk", max_length=64, help_text="SHA-256 af indholdet som kanonisk JSON."
    )
    status = models.CharField("status", max_length=20, choices=_STORED_STATUSES)
    fejl = models.JSONField("fejl", default=list, blank=True, help_text="En afvisnings fejl.")
    borger = models.ForeignKey(
        Borger,
        verbose_name="borger",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cpr_haendelser",
    )
    borgerflytning = models.ForeignKey(
        Borgerflytning,
        verbose_name="borgerflytning",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cpr_haendelser",
    )
    modtaget = models.DateTimeField("modtaget", help_text="Første modtagelse.")
    resultat_tidspunkt = models.DateTimeField(
        "seneste resultat", help_text="Hvornår det seneste resultat blev givet."
    )
    kilde = models.CharField(
        "kilde", max_length=200, help_text="Hvem der leverede den: API-klient, kommando, bruger."
    )
    sorteringsnoegle = sorteringsnoegle()  # a masked list's order (accessrules.models.sortering)

    class Meta:
        verbose_name = "hændelseskvittering"
        verbose_name_plural = "hændelseskvitteringer"
        permissions = [("registrer_flytning", "Kan registrere en flytning manuelt")]
        ordering = ["-modtaget", "haendelse_id"]
        indexes = [
            models.Index(fields=["status", "-modtaget"]),
            # a masked list's order: the newest first, a chunk's receipts at random
            models.Index(fields=["-modtaget", SORTERINGSNOEGLE], name="kvittering_sortering_idx"),
        ]

    def __str__(self) -> str:
        # the admin's titles, breadcrumbs and links: a CPR in the id masked for everyone
        return f"{mask_cpr_text(self.haendelse_id)} ({self.type}: {self.status})"
