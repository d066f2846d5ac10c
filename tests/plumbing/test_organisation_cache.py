"""The in-process cache of organisations by id (accessrules.organisations)."""

import pytest

from accessrules import organisations
from accessrules.models import Organisation
from accessrules.organisations import clear_organisation_cache, organisations_by_id
from tests.factories import JobcenterFactory, KommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.ORGANISATION_CACHE_SECONDS = 30
    clear_organisation_cache()
    yield
    clear_organisation_cache()


def test_a_second_read_makes_no_query(cache_on, django_assert_num_queries):
    kommune, jobcenter = KommuneFactory(kode="101"), JobcenterFactory(kode="10100")
    with django_assert_num_queries(1):
        first = organisations_by_id([kommune.pk, jobcenter.pk])
    with django_assert_num_queries(0):
        again = organisations_by_id([jobcenter.pk, kommune.pk])
    assert again == first == {kommune.pk: kommune, jobcenter.pk: jobcenter}
    other = KommuneFactory(kode="147")
    with django_assert_num_queries(1):  # only the one not cached yet
        assert organisations_by_id([kommune.pk, other.pk]) == {kommune.pk: kommune, other.pk: other}


def test_a_change_in_this_process_is_seen_at_once(cache_on):
    kommune = KommuneFactory(kode="101", navn="Gammelt navn")
    organisations_by_id([kommune.pk])
    kommune.navn = "Nyt navn"
    kommune.save()
    assert organisations_by_id([kommune.pk])[kommune.pk].navn == "Nyt navn"
    kommune.delete()
    assert organisations_by_id([kommune.pk]) == {}


def test_another_process_change_is_seen_after_the_bound(cache_on, monkeypatch):
    kommune = KommuneFactory(kode="101", navn="Gammelt navn")
    organisations_by_id([kommune.pk])
    Organisation.objects.filter(pk=kommune.pk).update(navn="Nyt navn")  # no signal
    assert organisations_by_id([kommune.pk])[kommune.pk].navn == "Gammelt navn"
    later = organisations.time.monotonic() + 31
    monkeypatch.setattr(organisations.time, "monotonic", lambda: later)
    assert organisations_by_id([kommune.pk])[kommune.pk].navn == "Nyt navn"


def test_zero_seconds_reads_every_time(settings, django_assert_num_queries):
    settings.ORGANISATION_CACHE_SECONDS = 0
    kommune = KommuneFactory(kode="101")
    for _ in range(2):
        with django_assert_num_queries(1):
            assert organisations_by_id([kommune.pk]) == {kommune.pk: kommune}
