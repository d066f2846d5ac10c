import django_filters
from django.db.models import Q

from borgerflytte.models import Borgerflytning, Tilstand
from borgerflytte.sides import caller_kommune, is_star


class BorgerflytningFilter(django_filters.FilterSet):
    """GET /v1/BorgerFlytte filters: state, the caller's side, flyttedato range."""

    tilstand = django_filters.ChoiceFilter(choices=Tilstand.choices)
    side = django_filters.ChoiceFilter(
        choices=[("fra", "fra"), ("til", "til")],
        method="filter_side",
        help_text="fra: flows where the caller is the fraflytningskommune; til: the "
        "tilflytningskommune. STAR: ignored.",
    )
    flyttedatoFra = django_filters.DateFilter(field_name="flyttedato", lookup_expr="gte")
    flyttedatoTil = django_filters.DateFilter(field_name="flyttedato", lookup_expr="lte")

    class Meta:
        model = Borgerflytning
        fields = []

    def filter_side(self, queryset, name, value):
        organisation = self.request.caller.organisation
        if is_star(organisation):
            return queryset
        return queryset.filter(**{f"{value}flytningskommune": caller_kommune(self.request)})


def flows_visible_to(request, queryset):
    """The caller's flows: where it is A or B; STAR sees all; others none."""
    if is_star(request.caller.organisation):
        return queryset
    kommune = caller_kommune(request)
    if kommune is None:
        return queryset.none()
    return queryset.filter(Q(fraflytningskommune=kommune) | Q(tilflytningskommune=kommune))
