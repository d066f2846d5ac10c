"""Who performs a call: an API client acting for an organisation, or a person/operator.

The core names no model (the models import the core): `organisation` is an
`accessrules.models.Organisation` or None, `client` an `accessrules.models.ApiClient` or None.
What is looked up about a caller once per call (its kommune: `accessrules.access.kommune_id`)
is kept in `memo`.
"""

from dataclasses import dataclass, field

# SPEC 2: a client's id for one write, used once. Read once per request (accessrules.api.headers,
# first by the log lines' middleware); the models store it in a column of this length.
REQUEST_ID_HEADER = "x-requestId"
REQUEST_ID_MAX_LENGTH = 46


def is_valid_request_id(value: str) -> bool:
    return 1 <= len(value) <= REQUEST_ID_MAX_LENGTH and value.isprintable()


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
