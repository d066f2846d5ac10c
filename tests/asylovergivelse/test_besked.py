"""The Asylovergivelse message is defined once (`validators.OPRET_FELTER` / `RET_FELTER`): the
API's POST and PUT, the rules' field names and `ret_asylovergivelse` read it, and a message is
checked once, by `validators.laes_besked`, on every path."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from asylovergivelse import rules, validators
from asylovergivelse.api.serializers import (
    OpretAsylOvergivelseSerializer,
    RetAsylOvergivelseSerializer,
)
from asylovergivelse.management.commands.ret_asylovergivelse import Command
from asylovergivelse.models import Asylovergivelse
from tests.asylovergivelse.conftest import CPR, URL, body, opret, state

pytestmark = pytest.mark.django_db


def test_one_field_list_per_message():
    assert list(OpretAsylOvergivelseSerializer().fields) == [
        f.navn for f in validators.OPRET_FELTER
    ]
    assert list(RetAsylOvergivelseSerializer().fields) == [f.navn for f in validators.RET_FELTER]
    assert {f.attribut: f.navn for f in validators.RET_FELTER} == rules.FIELDS
    parser = Command().create_parser("manage.py", "ret_asylovergivelse")
    for felt in validators.RET_FELTER:
        options = parser.parse_args(["--cpr", "x", f"--{felt.kommandolinje}", "v"])
        assert getattr(options, felt.attribut) == "v", felt.navn


def test_a_put_is_checked_once(jc, borger, monkeypatch):
    opret(borger)
    calls = []
    real = validators.laes_besked
    monkeypatch.setattr(validators, "laes_besked", lambda *a: calls.append(1) or real(*a))
    response = jc.call("put", URL, body(kommentar="ny"), headers={CPR: borger.cpr})
    assert response.status_code == 204, response.content
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--kommentar", "a\x00b", "kommentar"),  # the API's check: NUL is 1014
        ("--kommentar", "x" * 1501, "kommentar"),
        ("--overgivelsesdato", "2200-01-01", "overgivelsesdato"),
        ("--kommunekode", "0x10", "overgivelseskommunekode"),
    ],
)
def test_the_command_refuses_what_the_api_refuses(jc, borger, option, value, field):
    opret(borger)
    before = state()
    with pytest.raises(CommandError) as refusal:
        call_command("ret_asylovergivelse", "--cpr", borger.cpr, option, value, stdout=StringIO())
    assert f"1014 Failed to validate message ({field})" in str(refusal.value)
    assert state() == before
    message = body(**{field: value})
    response = jc.call("put", URL, message, headers={CPR: borger.cpr})
    assert response.status_code == 400
    assert [(e["code"], e.get("field")) for e in response.json()["errors"]] == [(1014, field)]
    assert Asylovergivelse.objects.get().kommentar == ""
