"""/v1/Abonnementer (SPEC 9): a client's subscriptions for its active organisation."""

import uuid

from rest_framework.response import Response

from accessrules.api.views import Answer, EndpointViewSet, serves
from accessrules.core import errors
from accessrules.core.errors import DomainError, Violation
from accessrules.models import Abonnement
from accessrules.notifikationer import cloudevents, selectors, services
from accessrules.notifikationer.api import endpoints, serializers

_LIMIT_DEFAULT, _LIMIT_MAX = 100, 500


class AbonnementViewSet(EndpointViewSet):
    queryset = Abonnement.objects.none()  # for the schema's path parameter; never read
    pagination_class = None  # a client has few subscriptions: one list

    def _id(self) -> uuid.UUID:
        return self.kwargs["pk"]

    @serves(endpoints.OPRET)
    def create(self, request, message):
        abonnement = services.opret_abonnement(
            caller=self.caller,
            callback_url=message.data["callbackUrl"],
            haendelsestyper=message.data["haendelsestyper"],
        )
        body = serializers.AbonnementMedHemmelighedSerializer(abonnement).data
        return Answer(Response(body, status=201))

    @serves(endpoints.LISTE)
    def list(self, request, message):
        services.kraev_slaaet_til()
        found = selectors.egne_abonnementer(self.caller).select_related("organisation")
        return Answer(Response(serializers.AbonnementSerializer(found, many=True).data))

    @serves(endpoints.OPHOER)
    def destroy(self, request, message):
        services.ophoer_eget(caller=self.caller, abonnement_id=self._id())
        return Answer(Response(status=204))

    @serves(endpoints.NY_HEMMELIGHED)
    def ny_hemmelighed(self, request, message):
        abonnement = services.ny_hemmelighed(caller=self.caller, abonnement_id=self._id())
        return Answer(Response(serializers.AbonnementMedHemmelighedSerializer(abonnement).data))

    @serves(endpoints.HAENDELSER)
    def haendelser(self, request, message):
        services.kraev_slaaet_til()
        efter, limit = _query(request.query_params)
        abonnement = selectors.eget_abonnement(self.caller, self._id())
        found, flere = selectors.haendelser_efter(abonnement, efter, limit)
        return Answer(
            Response({"haendelser": [cloudevents.event(n) for n in found], "flere": flere})
        )


def _query(params) -> tuple[uuid.UUID | None, int]:
    """`efter` (a UUID) and `limit` (1-500); any other parameter is refused (1014)."""
    violations = [
        Violation(errors.VALIDATION_FAILED, key, "unknown query parameter; use efter, limit")
        for key in sorted(set(params) - {"efter", "limit"})
    ]
    efter = None
    if params.get("efter"):
        try:
            efter = uuid.UUID(params["efter"])
        except ValueError:
            violations.append(Violation(errors.VALIDATION_FAILED, "efter", "expected a UUID"))
    limit = _LIMIT_DEFAULT
    if "limit" in params:
        raw = params["limit"]
        if raw.isdigit() and 1 <= int(raw) <= _LIMIT_MAX:
            limit = int(raw)
        else:
            violations.append(
                Violation(errors.VALIDATION_FAILED, "limit", f"an integer 1-{_LIMIT_MAX}")
            )
    if violations:
        raise DomainError(*violations)
    return efter, limit
