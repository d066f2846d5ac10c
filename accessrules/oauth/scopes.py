"""The OAuth2 scopes of the API, declared once with their descriptions.

Endpoints (`accessrules.api.endpoints`) name them, the token endpoint offers them
(`accessrules.oauth.toolkit.ScopesBackend`), `create_api_client` checks against them and the
OpenAPI document lists them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    navn: str
    beskrivelse: str

    def __str__(self) -> str:
        return self.navn


JOBCENTERTILKNYTNING_READ = Scope(
    "borgerkommunikation.jobcentertilknytning.read", "BorgerFlytte: læs borgerflytninger"
)
JOBCENTERTILKNYTNING_WRITE = Scope(
    "borgerkommunikation.jobcentertilknytning.write",
    "BorgerFlytte: bekræft fraflytning og tilflytning",
)
ASYLOVERGIVELSE_READ = Scope(
    "borgerindsats.asylovergivelse.read", "Asylovergivelse: læs overgivelsesdatoer"
)
ASYLOVERGIVELSE_WRITE = Scope(
    "borgerindsats.asylovergivelse.write", "Asylovergivelse: opret og opdater overgivelsesdatoer"
)

CPRHAENDELSER_WRITE = Scope(
    "borgerkommunikation.cprhaendelser.write",
    "CPR-hændelser: indberet flytninger, indrejser og dødsfald (kun systemklienter)",
)
ABONNEMENTER_WRITE = Scope(
    "borgerindsats.abonnementer.write",
    "Notifikationer: abonnér på hændelser, se og ophør egne abonnementer, hent hændelser",
)

ALL: dict[str, Scope] = {
    scope.navn: scope
    for scope in (
        JOBCENTERTILKNYTNING_READ,
        JOBCENTERTILKNYTNING_WRITE,
        ASYLOVERGIVELSE_READ,
        ASYLOVERGIVELSE_WRITE,
        CPRHAENDELSER_WRITE,
        ABONNEMENTER_WRITE,
    )
}


def descriptions() -> dict[str, str]:
    return {name: scope.beskrivelse for name, scope in ALL.items()}
