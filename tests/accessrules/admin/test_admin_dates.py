"""Issue 20, item 4: SPEC 8's date range in the admin's date hierarchies and date filters: an
out-of-range or overflowing date is a refused filter (`?e=1`), never a 500; the edges pass."""

import pytest
from django.apps import apps
from django.contrib import admin

pytestmark = pytest.mark.django_db


def lists_with_a_date_hierarchy() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models():
        if admin.site.is_registered(model):
            model_admin = admin.site.get_model_admin(model)
            # a large table's list has no hierarchy but its date field (accessrules.admin.skala)
            hierarchy = model_admin.date_hierarchy or getattr(model_admin, "datofelt", None)
            if hierarchy:
                opts = model._meta
                found.append((f"/admin/{opts.app_label}/{opts.model_name}/", hierarchy))
    return found


def test_every_list_with_a_date_hierarchy_is_covered():
    assert len(lists_with_a_date_hierarchy()) >= 5


@pytest.mark.parametrize("year", ["99999999999999999999", "9999", "1899", "2200", "0", "-1", "x"])
def test_a_year_outside_the_range_is_refused_on_every_hierarchy(client, staff_login, year):
    staff_login()
    for url, field in lists_with_a_date_hierarchy():
        response = client.get(url, {f"{field}__year": year})
        assert (response.status_code, response["Location"]) == (302, f"{url}?e=1"), url
        follow = client.get(response["Location"])
        assert follow.status_code == 200, url


def test_the_edges_of_the_range_are_shown(client, staff_login):
    staff_login()
    for url, field in lists_with_a_date_hierarchy():
        for year, month in (("1900", "1"), ("2199", "12")):
            query = {f"{field}__year": year, f"{field}__month": month}
            assert client.get(url, query).status_code == 200, (url, year)
        too_large = {f"{field}__year": "2026", f"{field}__month": "99999999999999999999"}
        assert client.get(url, too_large).status_code == 302, url


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/admin/borgerflytte/borgerflytning/", {"flyttedato__gte": "0001-01-01"}),
        ("/admin/borgerflytte/borgerflytning/", {"flyttedato__lt": "9999-12-31"}),
        ("/admin/borgerflytte/borgerflytning/", {"flyttedato__lt": "99999999-01-01"}),
        ("/admin/borgerflytte/borgerflytning/", {"oprettet__gte": "0001-01-01 00:00:00+00:00"}),
        ("/admin/borgerflytte/borgerflytning/", {"oprettet__lt": "9999-12-31"}),
        ("/admin/asylovergivelse/asylovergivelse/", {"cv_edit_end_date__gte": "2200-01-01"}),
        ("/admin/asylovergivelse/asylovergivelse/", {"overgivelsesdato__lt": "1899-12-31"}),
    ],
)
def test_a_date_filter_outside_the_range_is_refused(client, staff_login, url, query):
    staff_login()
    response = client.get(url, query)
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


def test_a_date_filter_in_the_range_answers(client, staff_login):
    staff_login()
    url = "/admin/borgerflytte/borgerflytning/"
    assert client.get(url, {"flyttedato__gte": "1900-01-01"}).status_code == 200
    assert client.get(url, {"flyttedato__lt": "2199-12-31"}).status_code == 200
