from accessrules.models.borger import (
    AndenAktoerTildeling,
    Borger,
    Gaesteadgang,
    Kilde,
    Tilknytning,
)
from accessrules.models.client import AccessLogEntry, ApiClient, RequestId
from accessrules.models.organisation import Organisation, OrganisationType
from accessrules.models.sagsbehandler import Rolle, RolleKilde, Sagsbehandler

__all__ = [
    "AccessLogEntry",
    "AndenAktoerTildeling",
    "ApiClient",
    "Borger",
    "Gaesteadgang",
    "Kilde",
    "Organisation",
    "OrganisationType",
    "RequestId",
    "Rolle",
    "RolleKilde",
    "Sagsbehandler",
    "Tilknytning",
]
