"""Admin pages that stay fast at national scale (issue 23 item 2): no changelist counts a large
table exactly, and no list filter reads DISTINCT over one.

- `StorTabel`: a changelist's total is counted up to GRAENSE + 1 rows (`SELECT COUNT(*) FROM
  (... LIMIT 10001)`) and shown as "mere end 10.000" beyond (`mere_end`,
  templates/admin/pagination.html);
  the unfiltered total beside a filtered one (`show_full_result_count`) is not counted at all.
  Such a list has no date hierarchy (its `SELECT DISTINCT DATE_TRUNC(...)` reads every row):
  a date filter of fixed periods takes its place.
- `NyestePeriode`: the date filter of a list that opens on its newest rows (the access log):
  without a period chosen it shows the last STANDARD_DAGE days, so that PostgreSQL reads only
  those days' partitions (pruning) through the created_at index, for every other filter too;
  "Alle datoer" lifts the bound.
- `faste_valg(felt, titel, valg)`: a list filter with fixed choices (a code list known to the
  service, not read from the table); its parameter is the field's name (`?felt=value`, as
  the lists' links already wrote it).
"""

import datetime
import hmac
from functools import cached_property

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone

from accessrules.admin.base import Periodefilter
from accessrules.core.dates import DATE_MIN

GRAENSE = 10_000
STANDARD_DAGE = 7
ALLE_DATOER = f"{DATE_MIN.isoformat()}T00:00:00+00:00"  # the first moment SPEC 8 allows


class BegraensetPaginator(Paginator):
    """Counts at most GRAENSE + 1 rows: the pages beyond the 10,000th row are not offered
    (narrow the list with its filters instead). With a `cache_key` (StorTabel: the user and
    the list's URL), a count beyond GRAENSE is remembered ADMIN_STOR_ANTAL_SECONDS: such a
    list stays "mere end 10.000" while it is paged and sorted, without counting it again; a
    smaller count is cheap and always counted afresh."""

    cache_key = ""

    @cached_property
    def count(self) -> int:
        if self.cache_key and cache.get(self.cache_key):
            return GRAENSE + 1
        count = self.object_list.order_by()[: GRAENSE + 1].count()
        if count > GRAENSE and self.cache_key and settings.ADMIN_STOR_ANTAL_SECONDS:
            cache.set(self.cache_key, 1, settings.ADMIN_STOR_ANTAL_SECONDS)
        return count

    @property
    def mere_end(self) -> str:
        """'10.000' when there are more rows than counted, else ''."""
        return f"{GRAENSE:,}".replace(",", ".") if self.count > GRAENSE else ""


class StorTabel:
    paginator = BegraensetPaginator
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(
            request, queryset, per_page, orphans, allow_empty_first_page
        )
        # Who (their organisation's visibility) and which list: its filters and search, not
        # its page or order (`p`, `o`). Keyed with SECRET_KEY: a query string may hold a
        # searched value, which the cache must not hold in a form one could test guesses on.
        query = sorted((k, v) for k, v in request.GET.lists() if k not in ("p", "o"))
        material = f"{request.user.pk}|{queryset.model._meta.label_lower}|{query}"
        digest = hmac.new(settings.SECRET_KEY.encode(), material.encode(), "sha256").hexdigest()
        paginator.cache_key = f"admin-antal:{digest}"
        return paginator


def faste_valg(felt: str, titel: str, valg):
    """A SimpleListFilter on `felt` with the (value, label) pairs `valg` (a callable is asked
    on each page, for choices from settings or a small table)."""

    class FasteValg(admin.SimpleListFilter):
        title = titel
        parameter_name = felt

        def lookups(self, request, model_admin):
            choices = [(str(v), label) for v, label in (valg() if callable(valg) else valg)]
            value = self.value()  # a value not among the choices still filters (and shows)
            if value is not None and value not in {v for v, _ in choices}:
                choices.append((value, value))
            return choices

        def queryset(self, request, queryset):
            value = self.value()
            return queryset if value is None else queryset.filter(**{felt: value})

    FasteValg.__name__ = f"FasteValg_{felt}"
    return FasteValg


class NyestePeriode(Periodefilter):
    """Today, this month, this year or every date, and by default (no period in the URL) the
    last STANDARD_DAGE days: the list's page and its bounded count then read only the
    partitions of those days (measured: bench/README.md). An old link's `?<field>__year=`
    (accessrules.admin.base.SikkertDatohierarki) is a period chosen too."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        _any, today, _past_7_days, this_month, this_year = self.links[:5]
        self.links = (
            (f"Seneste {STANDARD_DAGE} dage", {}),
            today,
            this_month,
            this_year,
            ("Alle datoer", {self.lookup_kwarg_since: ALLE_DATOER}),
        )

    def queryset(self, request, queryset):
        if self.date_params:
            return super().queryset(request, queryset)
        now = timezone.now()  # and a day ahead: the partitions made ahead are not read either
        return queryset.filter(
            **{
                self.lookup_kwarg_since: now - datetime.timedelta(days=STANDARD_DAGE),
                self.lookup_kwarg_until: now + datetime.timedelta(days=1),
            }
        )
