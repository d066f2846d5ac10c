"""seed_demo makes one admin user per role and organisation kind and prints how to sign in;
its reset deletes only its own users."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from accessrules.models import Rolle, Sagsbehandler
from config import demo
from tests.demo.test_seed_demo import seed

pytestmark = pytest.mark.django_db

PRINTED = re.compile(r"^#   (demo-\S+)\s+(\S+)\s+(Sagsbehandler|Support) for (\S+)$", re.MULTILINE)


def test_one_user_per_role_and_organisation_kind_with_its_printed_password(client):
    other = User.objects.create_user("not-the-demos", password="x")
    printed = PRINTED.findall(seed())
    assert sorted((u, rolle, ref) for u, _p, rolle, ref in printed) == sorted(
        (u, rolle, ref) for u, ref, rolle in demo.ADMIN_USERS
    )
    kinds = {
        (row.organisation.get_type_display(), row.rolle) for row in Sagsbehandler.objects.all()
    }
    assert kinds == {(k, r) for k in ("Kommune", "JobCenter", "STAR") for r in Rolle.values}
    username, password, rolle, reference = printed[0]
    user = User.objects.get(username=username)
    assert user.check_password(password) and user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [rolle]
    with override_settings(DEMO_ALLOWED=True):
        answer = client.post("/admin/login/", {"username": username, "password": password})
    assert answer.status_code == 302

    again = PRINTED.findall(seed())  # new passwords; the same users, once each
    assert {u for u, *_ in again} == {u for u, *_ in printed}
    assert {u: p for u, p, *_ in again} != {u: p for u, p, *_ in printed}
    assert User.objects.filter(username__startswith=demo.USER_PREFIX).count() == 6
    assert User.objects.filter(pk=other.pk).exists()  # not the demo's: left alone


def test_the_users_are_printed_before_the_pasteable_script():
    out = StringIO()
    with override_settings(DEMO_ALLOWED=True):
        call_command("seed_demo", stdout=out, stderr=StringIO())
    first_command = next(
        line for line in out.getvalue().splitlines() if line and not line.startswith("#")
    )
    assert first_command.startswith("TOKEN_")
