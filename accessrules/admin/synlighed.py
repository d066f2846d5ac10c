"""The access tables in the admin (SPEC 7): every list, page, search, filter, count and
history page of a ModelAdmin with `Synlighed` shows only the rows its `synlighed(queryset,
caller)` keeps, through `accessrules.access`'s one visibility mechanism (`restrict` and its
kinds). The caller is the signed-in caseworker's (`caller_for`): their organisation; a user
with none sees nothing. An id outside answers a Danish 404 (config.adminfejl) and leaves an
access-log row as a refused look-up (`admin:ikke_fundet`). Its URLs name a record by an
opaque token, never by a sequential key (`accessrules.admin.opake`)."""

from django.core.exceptions import ValidationError
from django.http import Http404

from accessrules.accesslog import log as accesslog
from accessrules.admin.opake import opake_urls
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.models import Borger
from accessrules.sagsbehandlere import IngenOrganisation, caller_for

IKKE_FUNDET = "admin:ikke_fundet"


def bruger_caller(user) -> Caller | None:
    """The caseworker's Caller, or None for a user without an organisation (sees nothing)."""
    try:
        return caller_for(user)
    except IngenOrganisation:
        return None


def admin_caller(request) -> Caller | None:
    return bruger_caller(request.user)


def synlige(queryset, user, synlighed):
    """`queryset` as `user` may see it by `synlighed` (a panel's or the dashboard's rows)."""
    caller = bruger_caller(user)
    return queryset.none() if caller is None else synlighed(queryset, caller)


class Synlighed:
    """For a ModelAdmin: `synlighed` is `(queryset, caller) -> queryset`."""

    synlighed = None

    def get_urls(self):
        """The object's segment as an opaque token (`opake`), never the key."""
        return opake_urls(self.model, super().get_urls())

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        caller = admin_caller(request)
        return queryset.none() if caller is None else type(self).synlighed(queryset, caller)

    def get_object(self, request, object_id, from_field=None):
        found = super().get_object(request, object_id, from_field)
        if found is None:
            self.afvist_opslag(request, object_id)
            raise Http404("Posten findes ikke, eller din organisation må ikke se den.")
        return found

    def afvist_opslag(self, request, object_id) -> None:
        """The refused look-up's row: with the record's citizen when the record exists."""
        try:
            record = self.model._meta.default_manager.filter(pk=object_id).first()
        except (ValueError, ValidationError):
            record = None
        borger = record if isinstance(record, Borger) else getattr(record, "borger", None)
        caller = admin_caller(request) or Caller(organisation=None, user=request.user)
        accesslog.write(
            handling=IKKE_FUNDET,
            caller=caller,
            borger=borger,
            outcome=404,
            error_code=errors.CITIZEN_NOT_ACCESSIBLE if record is not None else None,
        )

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, object_id)  # simple-history falls back to the history
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
