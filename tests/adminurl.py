"""Admin URLs in tests as the admin builds them: by name, so a record is named by its opaque
token (accessrules.admin.opake), never by its key."""

from django.urls import reverse


def admin_url(obj, side: str = "change", *args) -> str:
    """The admin's `side` page (change, history, ...) of `obj`."""
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{side}", args=[obj.pk, *args])
