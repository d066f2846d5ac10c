"""Who performs a call: an API client acting for an organisation, or a person/operator."""

from dataclasses import dataclass
from functools import cached_property

from accessrules.models import ApiClient, Organisation
from accessrules.organisations import kommune_organisation_id


@dataclass(frozen=True)
class Caller:
    organisation: Organisation | None
    client: ApiClient | None = None
    request_id: str | None = None
    user: object | None = None  # a django User (admin) or None (API, management command)
    label: str = ""  # free text for operators, e.g. "ret_asylovergivelse"

    def __str__(self) -> str:
        parts = []
        if self.client is not None:
            parts.append(f"client {self.client.navn}")
        if self.organisation is not None:
            parts.append(f"for {self.organisation.reference}")
        if self.user is not None:
            parts.append(f"user {self.user}")
        if self.label:
            parts.append(self.label)
        return ", ".join(parts) or "system"

    @cached_property
    def kommune_id(self) -> int | None:
        """The id of the kommune organisation the acting organisation belongs to (itself for a
        kommune), read once per caller; None when there is none."""
        return kommune_organisation_id(self.organisation) if self.organisation else None
