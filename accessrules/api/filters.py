"""A django-filter backend that refuses what it does not understand: an unknown query
parameter, an empty value or an invalid filter value is 400 1014 naming the parameter."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

UNKNOWN_PARAMETER = (
    "Unknown query parameter (names are case-sensitive); remove it. The operation's parameters "
    "are in the OpenAPI document."
)
EMPTY_PARAMETER = "Empty value: give the parameter a value, or leave it out."
_PAGINATOR_PARAMETERS = (
    "limit_query_param",
    "offset_query_param",
    "page_query_param",
    "page_size_query_param",
    "cursor_query_param",
)


class StrictFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        filters = set(filterset_class.base_filters) if filterset_class else set()
        paginator = getattr(view, "paginator", None)
        allowed = filters | {
            getattr(paginator, name)
            for name in _PAGINATOR_PARAMETERS
            if paginator is not None and getattr(paginator, name, None)
        }
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({name: [UNKNOWN_PARAMETER] for name in unknown})
        # `?tilstand=` would mean "no filter" to django-filter and `?cursor=` the first page:
        # a parameter given is given a value
        empty = sorted(
            name
            for name, values in request.query_params.lists()
            if any(value.strip() == "" for value in values)
        )
        if empty:
            raise ValidationError({name: [EMPTY_PARAMETER] for name in empty})
        if not filters & set(request.query_params):
            return queryset  # no filter given: no filter form to build and validate
        return super().filter_queryset(request, queryset, view)
