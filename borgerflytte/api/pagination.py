from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from accessrules.core.dates import parse_iso_datetime, strict_iso_date
from borgerflytte.api.filters import DEFAULT_ORDERING, ORDERINGS


class FlytningCursorPagination(CursorPagination):
    """Cursor paging: each page is one index range scan, whatever the number of flows (no
    COUNT, no OFFSET). `limit` sets the page size; follow `next` / `previous`."""

    ordering = ("-flyttedato", "id")
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500

    def get_ordering(self, request, queryset, view):
        """`?ordering=oprettet` pages by creation time (polling), else newest flyttedato first;
        each ordering has its index (borgerflytte.models). An unknown value is refused by the
        filter set before the page is read."""
        return ORDERINGS.get(request.query_params.get("ordering"), ORDERINGS[DEFAULT_ORDERING])

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
                parameter["description"] = "Antal flows pr. side, 1-500 (standard 50)."
            if parameter["name"] == self.cursor_query_param:
                parameter["description"] = (
                    "Positionen i listen: tag den fra `next` eller `previous` i forrige svar; "
                    "lav den ikke selv."
                )
        return parameters

    def get_paginated_response_schema(self, schema):
        found = super().get_paginated_response_schema(schema)
        properties = found["properties"]
        properties["next"].update(
            description="Link til næste side, eller null på sidste side",
            example="https://borgerindsats.example.dk/v1/BorgerFlytte?cursor=cD0yMDI2LTExLTIy",
        )
        properties["previous"].update(
            description="Link til forrige side, eller null på første side",
            example=None,
        )
        return found

    def decode_cursor(self, request):
        """A cursor that does not decode, or whose position is not a date `YYYY-MM-DD` within
        1900-01-01..2199-12-31 (a date-time in the `oprettet` ordering), is 400 1014."""
        invalid = ValidationError({self.cursor_query_param: ["Invalid cursor."]})
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise invalid from None
        position = cursor.position if cursor is not None else None
        if position is not None:
            oprettet = request.query_params.get("ordering") == "oprettet"
            parse = parse_iso_datetime if oprettet else strict_iso_date
            if parse(position) is None:
                raise invalid
        return cursor
