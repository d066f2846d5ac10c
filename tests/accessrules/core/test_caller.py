"""Who performs a call (accessrules.core.caller): named in history and messages; what is
looked up about it once is kept with it (accessrules.access.organisationstyper.kommune_id)."""

import dataclasses
from types import SimpleNamespace

from accessrules.core.caller import Caller


def test_a_caller_is_named_by_what_it_has():
    org = SimpleNamespace(reference="8:10100")
    client = SimpleNamespace(navn="fagsystem")
    assert str(Caller(org, client=client)) == "client fagsystem, for 8:10100"
    assert str(Caller(None, user="sagsbehandler", label="admin")) == "user sagsbehandler, admin"
    assert str(Caller(None)) == "system"


def test_the_memo_is_the_callers_own_and_not_part_of_its_identity():
    caller = Caller(None, request_id="r1")
    caller.memo["kommune_id"] = 7
    assert caller == Caller(None, request_id="r1")
    replaced = dataclasses.replace(caller, request_id="r2")
    assert replaced.request_id == "r2" and replaced.memo == {}
