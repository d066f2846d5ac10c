"""What every caseworker page shares: nothing deleted, no history revert, a readable history
(every field, also those the form cannot edit), date filters for dates that lie ahead, and
SPEC 8's date range (1900-01-01..2199-12-31, `accessrules.core.dates`) in every form, date
filter and date hierarchy: a Danish form error or a refused filter, never a 500."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange, ModelDelta
from simple_history.template_utils import HistoricalRecordContextHelper

from accessrules.admin.cpr import tekst_for
from accessrules.core.dates import DATE_MAX, DATE_MIN, in_range, parse_iso_date, parse_iso_datetime

DATO_UDENFOR = f"Datoen skal ligge mellem {DATE_MIN} og {DATE_MAX}."


def dato_i_interval(value) -> None:
    """A form field's validator: SPEC 8's range, as the API applies it."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if isinstance(day, datetime.date) and not in_range(day):
        raise ValidationError(DATO_UDENFOR, code="dato_udenfor")


class DatoInterval:
    """A form mixin: every date field of the form keeps to SPEC 8's range (Support saved a
    transition with 9999-12-31, which rule 9200 then locked for good)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(dato_i_interval)


def filterdato_i_interval(value: str) -> bool:
    """A date filter's value: a date, or a date-time (the dashboard's links), in the range."""
    return parse_iso_date(value) is not None or parse_iso_datetime(value) is not None


class DatoIntervalFilter:
    """A date list filter whose values keep to SPEC 8's range; any other value is refused
    like a bad filter (`?e=1`), never a 500."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        for name, value in self.used_parameters.items():
            if name.endswith("__isnull"):
                continue
            values = value if isinstance(value, list | tuple) else [value]
            if not all(filterdato_i_interval(str(v)) for v in values):
                raise IncorrectLookupParameters(f"{name}: {DATO_UDENFOR}")


class Periodefilter(DatoIntervalFilter, admin.DateFieldListFilter):
    """Django's date filter (today, the past 7 days, this month, this year), in the range."""


class IngenSletning:
    """Nothing is ever deleted: flows, transitions, history, access log, request ids, receipts
    (SPEC 7), not even by a superuser. Retention is `manage.py purge`'s job."""

    def has_delete_permission(self, request, obj=None):
        return False


class SikkertDatohierarki:
    """`?<date_hierarchy>__year=9999` (or 99999999999999999999, or a month 13) is refused like
    any bad filter (`?e=1`) instead of overflowing the date arithmetic (a 500): a year, month
    and day that name a date in SPEC 8's range, nothing else. A list with no hierarchy (a
    large table's, accessrules.admin.skala) names its date field `datofelt`: its old links'
    `?<field>__year=` still filter, and a bad one is refused the same way."""

    datofelt = None

    def changelist_view(self, request, extra_context=None):
        field = self.get_date_hierarchy(request) if hasattr(self, "get_date_hierarchy") else None
        field = field or self.date_hierarchy or self.datofelt
        if field and not _gyldig_dato(request.GET, field):
            self.message_user(
                request, "Ugyldigt år, måned eller dag i datofilteret.", messages.ERROR
            )
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return super().changelist_view(request, extra_context)


def _gyldig_dato(query, field: str) -> bool:
    parts = [query.get(f"{field}__{part}") for part in ("year", "month", "day")]
    if not any(parts):
        return True
    if not all(p is None or (p.isascii() and p.isdigit() and len(p) <= 4) for p in parts):
        return False
    try:
        day = datetime.date(*(int(p) if p else 1 for p in parts))
    except (TypeError, ValueError, OverflowError):
        return False
    return in_range(day)


class Fremtidsdatofilter(DatoIntervalFilter, admin.FieldListFilter):
    """Periods that suit dates ahead (flyttedato, overgivelsesdato, CVEditEndDate): passed,
    today, the next 7, 14 and 30 days, later."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.since, self.until = f"{field_path}__gte", f"{field_path}__lt"
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self):
        return [self.since, self.until]

    def _links(self):
        today = timezone.localdate()

        def day(n):
            return str(today + datetime.timedelta(days=n))

        return [
            ("Alle", {}),
            ("Passeret", {self.until: day(0)}),
            ("I dag", {self.since: day(0), self.until: day(1)}),
            ("Næste 7 dage", {self.since: day(0), self.until: day(8)}),
            ("Næste 14 dage", {self.since: day(0), self.until: day(15)}),
            ("Næste 30 dage", {self.since: day(0), self.until: day(31)}),
            ("Senere", {self.since: day(31)}),
        ]

    def choices(self, changelist):
        current = {k: v[-1] if isinstance(v, list) else v for k, v in self.used_parameters.items()}
        for title, params in self._links():
            yield {
                "selected": current == params,
                "query_string": changelist.get_query_string(params, [self.since, self.until]),
                "display": title,
            }


HISTORIK_TEKST = 5000  # a change's values are shown whole (a kommentar is up to 1500)


class MaskeretHistorik(HistoricalRecordContextHelper):
    """History values as a caseworker reads them: a choice by its label, a time in local time
    to the minute, a date as DD.MM.ÅÅÅÅ, nothing as "—", free text whole with CPR-like
    numbers masked for users without the full-CPR permission."""

    def __init__(self, model, record, *, user):
        super().__init__(model, record, max_displayed_delta_change_chars=HISTORIK_TEKST)
        self.user = user

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return laesbar_vaerdi(self.model._meta.get_field(change.field), value, self.user)


def laesbar_vaerdi(field, value, user) -> str:
    if value is None or value == "":
        return "—"
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return tekst_for(user, value if isinstance(value, str) else str(value))


class LaesbarHistorik(IngenSletning, SimpleHistoryAdmin):
    """History that can be read and never reverted: a revert would undo what the rules made
    final (a confirmed or cancelled flow back to AFVENTER), so the old-version page is
    read-only for everyone and refuses a POST."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_view_title(self, request, obj):
        return f"Historik for {force_str(obj)}"

    def history_form_view_title(self, request, obj):
        return f"Tidligere version af {force_str(obj)}"

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_view(self, request, object_id, extra_context=None):
        """The extra columns headed by their Danish descriptions, not their method names."""
        kolonner = [
            getattr(getattr(self, name, None), "short_description", name.replace("_", " "))
            for name in self.history_list_display
        ]
        extra_context = {"historik_kolonner": kolonner, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Historikken kan ikke gendannes.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskeretHistorik(self.model, historical_record, user=request.user)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Every tracked field, also those no form edits (state, stamps, cancellation), which
        simple-history's diff leaves out."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(current, foreign_keys_are_objs=foreign_keys_are_objs)
                changes = list(delta.changes)
                for field in previous.tracked_fields:
                    if field.editable:
                        continue
                    old, new = getattr(current, field.name), getattr(previous, field.name)
                    if old != new:
                        changes.append(ModelChange(field.name, old, new))
                delta = ModelDelta(
                    changes, [c.field for c in changes], delta.old_record, delta.new_record
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current
