from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from accessrules.dates import strict_iso_date


class FlytningCursorPagination(CursorPagination):
    """Cursor paging: each page is one index range scan, whatever the number of flows (no
    COUNT, no OFFSET). `limit` sets the page size; follow `next` / `previous`."""

    ordering = ("-flyttedato", "id")
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500

    def get_page_size(self, request):
        """`limit` is a whole number 1-500, else 400 1014 (DRF would silently use 50)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError({self.page_size_query_param: ["A whole number 1-500."]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=50)
        return parameters

    def decode_cursor(self, request):
        """A cursor that does not decode, or whose position is not a date `YYYY-MM-DD` within
        1900-01-01..2199-12-31, is 400 1014."""
        invalid = ValidationError({self.cursor_query_param: ["Invalid cursor."]})
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid from None
        position = cursor.position if cursor is not None else None
        if position is not None and strict_iso_date(position) is None:
            raise invalid
        return cursor
