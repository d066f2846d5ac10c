import datetime

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class FlytningCursorPagination(CursorPagination):
    """Cursor paging: each page is one index range scan, whatever the number of flows (no
    COUNT, no OFFSET). `limit` sets the page size; follow `next` / `previous`."""

    ordering = ("-flyttedato", "id")
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500

    def decode_cursor(self, request):
        """A cursor that does not decode, or whose position is not a date, is 400 1014."""
        invalid = ValidationError({self.cursor_query_param: ["Invalid cursor."]})
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid from None
        if cursor is not None and cursor.position is not None:
            try:
                datetime.date.fromisoformat(cursor.position)
            except ValueError:
                raise invalid from None
        return cursor
