"""Who performs a call: an API client acting for an organisation, or a person/operator.

The core names no model (the models import the core): `organisation` is an
`accessrules.models.Organisation` or None, `client` an `accessrules.models.ApiClient` or None.
What is looked up about a caller once per call (its kommune: `accessrules.access.kommune_id`)
is kept in `memo`.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Caller:
    organisation: object | None
    client: object | None = None
    request_id: str | None = None
    user: object | None = None  # a django User (admin) or None (API, management command)
    label: str = ""  # free text for operators, e.g. "ret_asylovergivelse"
    memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

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
