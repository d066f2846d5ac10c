"""Admin helpers for CPR numbers (SPEC 7): masked (DDMMYY-xxxx) unless the user has the
"view full CPR" permission, CPR-like numbers in free text masked the same way, and never a CPR
in a URL: no lookup through a CPR field in a query string (`?cpr__startswith=0505941` would
reveal a masked digit by the result count), no search box for a CPR (a caseworker finds a
citizen by CPR through the POSTed form of `accessrules.admin.borger`), and a query string carrying a
CPR-like number is refused.

For a user without "view full CPR" nothing may uncover a masked digit (issue 20): the query
string carries only the admin's declared filters (`StrengChangeList`: no `?kommentar__regex=`,
no `?request_id__startswith=`), free text is searched by exact match only (`=field` in
`search_fields`), and no list is ordered by a CPR or by free text that may hold one, nor by
anything else that follows CPR order (issue 20): rows made in bulk get their ids in CPR order,
so a list of a model with a random sort key (`accessrules.models.sortering`) is ordered, for
such a user, by the model's own order without its id, then by that key: by the key alone
where the model names no other order (citizens, transitions, CVs), and a column sorted by
`?o=` has its ties broken by the key, not by the id. Users who see full CPRs keep the order.

Usage in a ModelAdmin:

    class FooAdmin(CprAdminMixin, admin.ModelAdmin):
        cpr_path = "borger__cpr"          # how to reach the CPR from the model
        list_display = ["__str__", CPR_COLUMN, ...]   # CPR_COLUMN is replaced per user
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db.models import Model
from django.http import HttpResponseRedirect
from django.utils.html import format_html

from accessrules.core.masking import mask_cpr, mask_cpr_text
from accessrules.models.sortering import SORTERINGSNOEGLE

FULL_CPR_PERMISSION = "accessrules.view_full_cpr"
CPR_COLUMN = "cpr_for_user"
CPR_FIELD = "cpr"


def can_view_full_cpr(user) -> bool:
    return bool(user and user.has_perm(FULL_CPR_PERMISSION))


def cpr_for(user, cpr: str | None) -> str:
    if not cpr:
        return ""
    return cpr if can_view_full_cpr(user) else mask_cpr(cpr)


def tekst_for(user, text: str | None) -> str:
    """Free text (an x-requestId, a kommentar, a begrundelse) with CPR-like numbers masked,
    unless the user may see full CPR numbers."""
    if not text:
        return text or ""
    return text if can_view_full_cpr(user) else mask_cpr_text(text)


def names_cpr(lookup: str) -> bool:
    """Whether an admin lookup (`borger__cpr__in`, `cpr__regex`, ...) goes through a CPR."""
    return CPR_FIELD in lookup.split("__")


def carries_cpr(query) -> bool:
    return any(mask_cpr_text(value) != value for values in query.lists() for value in values[1])


def _resolve(obj: Model, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


LIST_TEXT_LENGTH = 20  # free text in a list column: the key columns fit 1366 px


def kort_tekst(text: str | None):
    """Free text shortened for a list column, the whole (already masked) text as its title."""
    text = text or ""
    if len(text) <= LIST_TEXT_LENGTH:
        return text
    return format_html('<span title="{}">{}…</span>', text, text[: LIST_TEXT_LENGTH - 1])


class StrengChangeList(ChangeList):
    """A changelist whose query string holds only what the admin declares: its list filters'
    parameters and its date hierarchy's (plus paging, ordering, search, the error flag).
    Django accepts any lookup on a model's own fields (`?kommentar__regex=0801601.07`), whose
    result count uncovers masked digits one at a time; such a query is refused like a bad
    filter (the list redirects with `?e=1`). For a user who sees CPRs masked, `?o=` sorts
    by no column whose order may follow CPR order (a CPR, free text, an id): it is ignored."""

    def __init__(self, request, *args, **kwargs):
        self.maskeret = not can_view_full_cpr(request.user)  # read as the list is built
        super().__init__(request, *args, **kwargs)

    def get_ordering_field(self, field_name):
        order = super().get_ordering_field(field_name)
        fritekst = getattr(self.model_admin, "fritekst", {})
        if self.maskeret and isinstance(order, str) and _follows_cpr(order, self.model, fritekst):
            return None
        return order

    def get_filters(self, request):
        given = set(self.get_filters_params())
        specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        undeclared = given & set(remaining)  # what no declared filter took
        hierarchy = self.date_hierarchy
        if hierarchy and f"{hierarchy}__year" in given:  # the hierarchy's own bounds
            undeclared -= {f"{hierarchy}__gte", f"{hierarchy}__lt"}
        datofelt = getattr(self.model_admin, "datofelt", None)  # a large list's old links
        if datofelt:  # (accessrules.admin.skala): a date's parts uncover no masked text
            undeclared -= {f"{datofelt}__{part}" for part in ("year", "month", "day")}
        if undeclared:
            raise IncorrectLookupParameters(f"undeclared filters: {sorted(undeclared)}")
        return specs, has_filters, remaining, duplicates, active


def _names_free_text(name: str, fritekst) -> bool:
    parts = name.lstrip("-").split("__")
    return CPR_FIELD in parts or parts[0] in fritekst


def _follows_cpr(name: str, model, fritekst) -> bool:
    """Whether ordering by `name` may follow CPR order: a CPR, free text, an id (its own, a
    related row's, or the citizen's: `borger` orders by its id)."""
    field = name.lstrip("-")
    last = field.split("__")[-1]
    ids = {"pk", "id", model._meta.pk.name, "borger"}
    return _names_free_text(field, fritekst) or last in ids or last.endswith("_id")


def har_sorteringsnoegle(model) -> bool:
    return any(field.name == SORTERINGSNOEGLE for field in model._meta.concrete_fields)


class CprAdminMixin:
    cpr_path = "cpr"
    # free-text fields shown in the list: CPR-like numbers in them masked per user
    fritekst: dict[str, str] = {}

    @admin.display(description="CPR")
    def cpr_for_user(self, obj):
        """Masked; replaced per request in get_list_display by a column that knows the user."""
        return mask_cpr(_resolve(obj, self.cpr_path))

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        path, user = self.cpr_path, request.user

        full = can_view_full_cpr(user)  # only then may a list be ordered by what is masked

        @admin.display(description="CPR", ordering=path if full else None)
        def cpr_column(obj):
            return cpr_for(user, _resolve(obj, path))

        def fritekst_column(name):
            @admin.display(description=self.fritekst[name], ordering=name if full else None)
            def column(obj):
                return kort_tekst(tekst_for(user, getattr(obj, name)))

            return column

        replaced = {CPR_COLUMN: cpr_column}
        replaced.update({name: fritekst_column(name) for name in self.fritekst})
        return [replaced.get(item, item) if isinstance(item, str) else item for item in display]

    def get_ordering(self, request):
        """For a user who sees CPRs masked, no order by a CPR, by free text or by an id (the
        order of masked numbers that share a birth date would uncover them): the model's
        order without them, then its random key (then the id, for a total order should two
        keys be equal). The changelist puts a column sorted by `?o=` before this order."""
        ordering = list(super().get_ordering(request) or self.model._meta.ordering or [])
        if can_view_full_cpr(request.user):
            return ordering
        ordering = [o for o in ordering if not _follows_cpr(str(o), self.model, self.fritekst)]
        if har_sorteringsnoegle(self.model):
            ordering += [SORTERINGSNOEGLE, "pk"]
        return ordering

    def get_changelist(self, request, **kwargs):
        return StrengChangeList

    def lookup_allowed(self, lookup, value, request=None):
        """No filtering through a CPR field from a URL, for anyone: a CPR never travels in a
        URL, and a prefix or pattern would uncover a masked one."""
        if names_cpr(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def changelist_view(self, request, extra_context=None):
        if carries_cpr(request.GET):
            self.message_user(
                request,
                "Et CPR-nummer hører ikke hjemme i en adresse. Brug «Find borger efter CPR».",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        return super().changelist_view(request, extra_context)
