import django_filters
from django.db.models import Q

from accessrules.caller import Caller
from accessrules.dates import validate_in_range
from borgerflytte.models import Borgerflytning, Tilstand


def synlige_flytninger(caller: Caller):
    """The flows a caller may see: where its kommune is A or B; STAR all; others none."""
    flows = Borgerflytning.objects.all()
    if caller.organisation is not None and caller.organisation.is_star:
        return flows
    if caller.kommune_id is None:
        return flows.none()
    return flows.filter(
        Q(fraflytningskommune=caller.kommune_id) | Q(tilflytningskommune=caller.kommune_id)
    )


class BorgerflytningFilter(django_filters.FilterSet):
    """GET /v1/BorgerFlytte filters: state, the caller's side, flyttedato range."""

    tilstand = django_filters.ChoiceFilter(choices=Tilstand.choices)
    side = django_filters.ChoiceFilter(
        choices=[("fra", "fra"), ("til", "til")],
        method="filter_side",
        help_text="fra: flows where the caller is the fraflytningskommune; til: the "
        "tilflytningskommune. STAR: ignored.",
    )
    flyttedatoFra = django_filters.DateFilter(
        field_name="flyttedato", lookup_expr="gte", validators=[validate_in_range]
    )
    flyttedatoTil = django_filters.DateFilter(
        field_name="flyttedato", lookup_expr="lte", validators=[validate_in_range]
    )

    class Meta:
        model = Borgerflytning
        fields = []

    def filter_side(self, queryset, name, value):
        caller = self.request.caller
        if caller.organisation.is_star:
            return queryset
        return queryset.filter(**{f"{value}flytningskommune": caller.kommune_id})
