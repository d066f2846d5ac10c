from accessrules.models.borger import (
    AndenAktoerTildeling,
    Borger,
    Gaesteadgang,
    Kilde,
    Tilknytning,
)
from accessrules.models.client import AccessLogEntry, ApiClient, RequestId
from accessrules.models.notifikation import (
    Abonnement,
    Levering,
    LeveringStatus,
    Notifikation,
)
from accessrules.models.organisation import Organisation, OrganisationType
from accessrules.models.sagsbehandler import Rolle, RolleKilde, Sagsbehandler

__all__ = [
    "Abonnement",
    "AccessLogEntry",
    "AndenAktoerTildeling",
    "ApiClient",
    "Borger",
    "Gaesteadgang",
    "Kilde",
    "Levering",
    "LeveringStatus",
    "Notifikation",
    "Organisation",
    "OrganisationType",
    "RequestId",
    "Rolle",
    "RolleKilde",
    "Sagsbehandler",
    "Tilknytning",
]
