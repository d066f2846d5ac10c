"""Admin helpers for CPR numbers (SPEC 7): masked (DDMMYY-xxxx) unless the user has the
"view full CPR" permission, and search by exact CPR only.

Usage in a ModelAdmin:

    class FooAdmin(CprAdminMixin, admin.ModelAdmin):
        cpr_path = "borger__cpr"          # how to reach the CPR from the model
        list_display = ["__str__", CPR_COLUMN, ...]   # CPR_COLUMN is replaced per user
"""

import re

from django.contrib import admin
from django.db.models import Model

from accessrules.cpr import mask_cpr

FULL_CPR_PERMISSION = "accessrules.view_full_cpr"
CPR_COLUMN = "cpr_for_user"
_CPR_SEARCH = re.compile(r"^(\d{6})-?(\d{4})$")


def can_view_full_cpr(user) -> bool:
    return bool(user and user.has_perm(FULL_CPR_PERMISSION))


def cpr_for(user, cpr: str | None) -> str:
    if not cpr:
        return ""
    return cpr if can_view_full_cpr(user) else mask_cpr(cpr)


def _resolve(obj: Model, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class CprAdminMixin:
    cpr_path = "cpr"

    @admin.display(description="CPR")
    def cpr_for_user(self, obj):
        """Masked; replaced per request in get_list_display by a column that knows the user."""
        return mask_cpr(_resolve(obj, self.cpr_path))

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        if CPR_COLUMN not in display:
            return display
        path = self.cpr_path

        @admin.display(description="CPR", ordering=path)
        def cpr_column(obj):
            return cpr_for(request.user, _resolve(obj, path))

        return [cpr_column if item == CPR_COLUMN else item for item in display]

    def get_search_fields(self, request):
        return [self.cpr_path]  # a non-empty list shows the search box

    def get_search_results(self, request, queryset, search_term):
        """Exact CPR only (DDMMYYXXXX or DDMMYY-XXXX); anything else finds nothing."""
        term = search_term.strip()
        if not term:
            return queryset, False
        match = _CPR_SEARCH.match(term)
        if not match:
            return queryset.none(), False
        return queryset.filter(**{self.cpr_path: match.group(1) + match.group(2)}), False
