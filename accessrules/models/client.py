from django.conf import settings
from django.db import models

from accessrules.core.caller import REQUEST_ID_MAX_LENGTH
from accessrules.core.masking import mask_cpr_text
from accessrules.models.borger import Borger
from accessrules.models.organisation import Organisation


class ApiClient(models.Model):
    """An integrator: an OAuth2 application, the organisations it may act for, and whether it is
    a system client ("System - alle borgere")."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        verbose_name="OAuth-applikation",
        on_delete=models.CASCADE,
        related_name="api_client",
    )
    navn = models.CharField("navn", max_length=200, unique=True)
    organisationer = models.ManyToManyField(
        Organisation, verbose_name="organisationer", related_name="api_clients"
    )
    system = models.BooleanField("systemklient", default=False, help_text="System - alle borgere")
    scopes = models.TextField(
        "scopes", blank=True, help_text="De scopes klienten må bede om, adskilt af mellemrum."
    )

    class Meta:
        verbose_name = "API-klient"
        verbose_name_plural = "API-klienter"

    def __str__(self) -> str:
        return self.navn

    @property
    def allowed_scopes(self) -> set[str]:
        return set(self.scopes.split())


class RequestId(models.Model):
    """An x-requestId a client used on a write that committed (SPEC 2). Inserted in the write's
    own transaction; the unique constraint makes a reuse fail, also under concurrency."""

    client = models.ForeignKey(
        ApiClient, verbose_name="API-klient", on_delete=models.CASCADE, related_name="request_ids"
    )
    request_id = models.CharField("x-requestId", max_length=REQUEST_ID_MAX_LENGTH)
    operation = models.CharField("operation", max_length=64)
    created_at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "request-id"
        verbose_name_plural = "request-id'er"
        constraints = [
            models.UniqueConstraint(fields=["client", "request_id"], name="request_id_per_client")
        ]

    def __str__(self) -> str:
        # the admin's titles, breadcrumbs and history: a CPR in the id masked for everyone
        return mask_cpr_text(self.request_id)


class AccessLogEntry(models.Model):
    """One API read or write of a citizen's data, allowed or not, or a caseworker opening or
    finding a citizen in the admin (SPEC 7): then `user` names the caseworker."""

    created_at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)
    client = models.ForeignKey(
        ApiClient, verbose_name="API-klient", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bruger",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Sagsbehandleren i admin (tom for API-kald).",
    )
    # what was done: an Operation's value for an API call, or an admin look-up; the column kept
    # its first name (a state-only rename: the table is partitioned and large)
    handling = models.CharField("handling", max_length=64, db_column="operation")
    borger = models.ForeignKey(
        Borger,
        verbose_name="borger",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the (borger, created_at) index below leads with it
    )
    outcome = models.PositiveSmallIntegerField("udfald", help_text="Svarets HTTP-status.")
    error_code = models.PositiveIntegerField("fejlkode", null=True, blank=True)
    request_id = models.CharField("x-requestId", max_length=REQUEST_ID_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "adgangslog"
        verbose_name_plural = "adgangslog"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["borger", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.handling} {self.outcome}"
