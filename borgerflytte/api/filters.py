import django_filters
from django import forms
from django.utils import timezone

from accessrules.access.organisationstyper import Flytninger, kommune_id, ser_flytninger
from accessrules.core.dates import DATE_FORMAT_TEXT, parse_iso_date, parse_iso_datetime
from borgerflytte.models import Borgerflytning, Tilstand

ORDERINGS = {"-flyttedato": ("-flyttedato", "id"), "oprettet": ("oprettet", "id")}
DEFAULT_ORDERING = "-flyttedato"


class IsoDateFormField(forms.Field):
    """A date as `parse_iso_date` reads it (SPEC 6: a midnight date-time names its date)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        parsed = parse_iso_date(value)
        if parsed is None:
            raise forms.ValidationError("A date YYYY-MM-DD.", code="invalid")
        return parsed


class DateTimeOrDateFormField(forms.Field):
    """An ISO 8601 date-time (`2026-11-25T08:00:00Z`, an offset, or the service's time zone
    when it has none) or a date (its first moment in the service's time zone), as
    `parse_iso_datetime` reads it (SPEC 8's range)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        moment = parse_iso_datetime(value)
        if moment is None:
            raise forms.ValidationError("An ISO date-time or date.", code="invalid")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


class IsoDateFilter(django_filters.DateFilter):  # documented as a date
    field_class = IsoDateFormField


class DateTimeOrDateFilter(django_filters.IsoDateTimeFilter):  # documented as a date-time
    field_class = DateTimeOrDateFormField


class BorgerflytningFilter(django_filters.FilterSet):
    """GET /v1/BorgerFlytte filters: state, the caller's side, flyttedato range, creation
    time; and the order (read by the paginator, which needs it for its cursor)."""

    tilstand = django_filters.ChoiceFilter(
        choices=Tilstand.choices,
        help_text="Flytteflowets tilstand: AFVENTER (afventer bekræftelser), AFSLUTTET (begge "
        "sider har bekræftet) eller ANNULLERET.",
    )
    side = django_filters.ChoiceFilter(
        choices=[("fra", "fra"), ("til", "til")],
        method="filter_side",
        help_text="fra: flytteflows hvor den aktive organisation er fraflytningskommunen; til: "
        "hvor den er tilflytningskommunen (et jobcenter regnes som sin kommune). Ignoreres for "
        "STAR.",
    )
    flyttedatoFra = IsoDateFilter(
        field_name="flyttedato",
        lookup_expr="gte",
        help_text=f"Flyttedato fra og med denne dato. {DATE_FORMAT_TEXT}",
    )
    flyttedatoTil = IsoDateFilter(
        field_name="flyttedato",
        lookup_expr="lte",
        help_text=f"Flyttedato til og med denne dato. {DATE_FORMAT_TEXT}",
    )
    oprettetFra = DateTimeOrDateFilter(
        field_name="oprettet",
        lookup_expr="gte",
        help_text="Flytteflows oprettet i servicen på eller efter dette tidspunkt (ISO 8601: "
        "`2026-11-25T08:00:00Z`, med tidszone, eller uden: servicens tidszone "
        "Europe/Copenhagen; en dato læses som dens første øjeblik). Til polling: en flytning "
        "der registreres sent, med en gammel flyttedato, kommer med. Brug sammen med "
        "`ordering=oprettet`.",
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(name, name) for name in ORDERINGS],
        method="filter_ordering",
        help_text="Rækkefølgen: `-flyttedato` (standard: nyeste flyttedato først) eller "
        "`oprettet` (ældste oprettelse først: til polling med `oprettetFra`).",
    )

    class Meta:
        model = Borgerflytning
        fields = []

    def filter_ordering(self, queryset, name, value):
        return queryset  # the paginator orders (FlytningCursorPagination.get_ordering)

    def filter_side(self, queryset, name, value):
        caller = self.request.parser_context["view"].caller  # built once, by the view
        if ser_flytninger(caller.organisation) == Flytninger.ALLE:
            return queryset
        return queryset.filter(**{f"{value}flytningskommune": kommune_id(caller)})
