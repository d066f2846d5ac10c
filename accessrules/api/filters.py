"""A django-filter backend that refuses what it does not understand: an unknown query
parameter or an invalid filter value is 400 1014 naming the parameter."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        allowed = set(filterset.filters) if filterset is not None else set()
        paginator = getattr(view, "paginator", None)
        for name in (
            "limit_query_param",
            "offset_query_param",
            "page_query_param",
            "page_size_query_param",
            "cursor_query_param",
        ):
            if paginator is not None and getattr(paginator, name, None):
                allowed.add(getattr(paginator, name))
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({name: ["Unknown query parameter."] for name in unknown})
        return filterset
