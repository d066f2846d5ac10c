"""Notifications to case systems (SPEC 9): subscriptions, the events recorded in a write's
transaction, and one delivery per event and subscription (what the worker sends, retries,
and an operator can send again). The code that uses them is `accessrules.notifikationer`."""

import uuid

from django.db import models

from accessrules.models.client import ApiClient
from accessrules.models.krypteret import KrypteretTekst
from accessrules.models.organisation import Organisation


class Abonnement(models.Model):
    """An API client's subscription for one organisation it acts for: where to deliver which
    event types, and the secret that signs them (the previous one too, during a rotation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    klient = models.ForeignKey(
        ApiClient, verbose_name="API-klient", on_delete=models.CASCADE, related_name="abonnementer"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        related_name="abonnementer",
    )
    callback_url = models.URLField("callback-URL", max_length=500)
    haendelsestyper = models.JSONField("hændelsestyper", default=list)
    # encrypted at rest (krypteret.py): a secret is ~50 characters, its token ~140
    hemmelighed = KrypteretTekst("hemmelighed", max_length=300, editable=False)
    forrige_hemmelighed = KrypteretTekst(
        "forrige hemmelighed", max_length=300, blank=True, editable=False
    )
    forrige_udloeber = models.DateTimeField("forrige hemmelighed udløber", null=True, blank=True)
    oprettet = models.DateTimeField("oprettet", auto_now_add=True)
    ophoert = models.DateTimeField("ophørt", null=True, blank=True)
    ophoert_af = models.CharField("ophørt af", max_length=200, blank=True)
    # after a failed try the subscription's other deliveries wait until then (no connection)
    pause_til = models.DateTimeField("pause til", null=True, blank=True)

    class Meta:
        verbose_name = "abonnement"
        verbose_name_plural = "abonnementer"
        indexes = [models.Index(fields=["organisation", "ophoert"])]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.callback_url}"


class Notifikation(models.Model):
    """One event (a CloudEvent): recorded in the transaction of the change it reports."""

    nummer = models.BigAutoField("nummer", primary_key=True)  # the order of recording
    id = models.UUIDField("hændelses-id", unique=True, default=uuid.uuid4, editable=False)
    type = models.CharField("type", max_length=64)
    subject = models.CharField("subject", max_length=64)
    data = models.JSONField("data", default=dict)
    tidspunkt = models.DateTimeField("tidspunkt", db_index=True)
    # the recording transaction's id (PostgreSQL's pg_current_xact_id(), set by a trigger of
    # migration 0011; 0 on SQLite): the catch-up list's order (selectors.haendelser_efter)
    xid = models.BigIntegerField("transaktion", default=0, editable=False)

    class Meta:
        verbose_name = "notifikation"
        verbose_name_plural = "notifikationer"
        indexes = [models.Index(fields=["xid", "nummer"], name="notifikation_i_orden")]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"


class LeveringStatus(models.TextChoices):
    AFVENTER = "afventer", "afventer"
    LEVERET = "leveret", "leveret"
    FEJLET = "fejlet", "fejlet"
    OPHOERT = "ophoert", "abonnement ophørt"


class Levering(models.Model):
    """One event to one subscription: tried by the worker until a 2xx, or failed."""

    notifikation = models.ForeignKey(
        Notifikation, verbose_name="notifikation", on_delete=models.CASCADE, related_name="+"
    )
    abonnement = models.ForeignKey(
        Abonnement, verbose_name="abonnement", on_delete=models.CASCADE, related_name="leveringer"
    )
    status = models.CharField(
        "status", max_length=10, choices=LeveringStatus.choices, default=LeveringStatus.AFVENTER
    )
    forsoeg = models.PositiveIntegerField("forsøg", default=0)
    sidste_forsoeg = models.DateTimeField("sidste forsøg", null=True, blank=True)
    sidste_fejl = models.CharField("sidste fejl", max_length=300, blank=True)
    # when its tries began: with the change, or again when an operator resends it
    oprettet = models.DateTimeField("oprettet", db_index=True)
    leveret = models.DateTimeField("leveret", null=True, blank=True)

    class Meta:
        verbose_name = "levering"
        verbose_name_plural = "leveringer"
        constraints = [
            models.UniqueConstraint(
                fields=["abonnement", "notifikation"], name="levering_per_abonnement"
            )
        ]
        indexes = [models.Index(fields=["status", "oprettet"])]

    def __str__(self) -> str:
        return f"{self.notifikation} → {self.abonnement_id} ({self.status})"
