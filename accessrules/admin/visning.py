"""One CPR display per permission on every page (SPEC 7): a read-only field that names a
citizen shows the CPR the user may see (full for Support, masked otherwise) and links to the
citizen's page, on flows, transitions, CVs and receipts alike.

`BorgerFelt(user)` stands in a ModelAdmin's `get_fields` and `get_readonly_fields` for the
field that names the citizen; two instances for one user and path are equal, so the admin
finds the field of `get_fields` among the read-only ones."""

from django.urls import reverse
from django.utils.html import format_html

from accessrules.admin.cpr import cpr_for


class BorgerFelt:
    def __init__(self, user, path: str = "borger", description: str = "borger"):
        self.user, self.path = user, path
        self.short_description = description
        self.__name__ = f"{path}_vist"

    def __eq__(self, other):
        return isinstance(other, BorgerFelt) and (other.user.pk, other.path) == (
            self.user.pk,
            self.path,
        )

    def __hash__(self):
        return hash((self.user.pk, self.path))

    def __call__(self, obj):
        borger = getattr(obj, self.path, None)
        if borger is None:
            return "—"
        url = reverse("admin:accessrules_borger_change", args=[borger.pk])
        return format_html('<a href="{}">{}</a>', url, cpr_for(self.user, borger.cpr))


def med_borgerfelt(fields, user, name: str, path: str = "borger") -> list:
    """`fields` with `name` (the field naming the citizen) replaced by the user's display."""
    felt = BorgerFelt(user, path)
    return [felt if field == name else field for field in fields]
