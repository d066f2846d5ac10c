"""Rules as objects (accessrules.core.regler): kontroller runs them by stage, every rule of
the message stage, the first failing rule elsewhere; `force` skips codes."""

import pytest

from accessrules.core.errors import DomainError, Violation
from accessrules.core.regler import Regel, Stage, forceable_koder, koder, kontroller


def regel(navn, code, stage, *, fails=True, forceable=False, seen=None):
    def check(kontekst):
        if seen is not None:
            seen.append(navn)
        return [Violation(code, navn)] if fails else []

    return Regel(navn, (code,), stage, check, forceable=forceable)


def test_the_message_stage_reports_every_violation_and_stops_the_later_stages():
    seen = []
    regler = [
        regel("tilstand", 9302, Stage.TILSTAND, seen=seen),
        regel("a", 9196, Stage.BESKED, seen=seen),
        regel("b", 9243, Stage.BESKED, seen=seen),
    ]
    with pytest.raises(DomainError) as refused:
        kontroller(regler, None)
    assert refused.value.codes == [9196, 9243]
    assert seen == ["a", "b"]


def test_a_stage_but_the_message_answers_with_its_first_failing_rule():
    seen = []
    regler = [
        regel("ok", 9302, Stage.TILSTAND, fails=False, seen=seen),
        regel("first", 9201, Stage.TILSTAND, seen=seen),
        regel("second", 9200, Stage.TILSTAND, seen=seen),
    ]
    with pytest.raises(DomainError) as refused:
        kontroller(regler, None)
    assert refused.value.codes == [9201] and seen == ["ok", "first"]


def test_the_caller_stage_comes_first_and_nothing_fails_when_all_pass():
    regler = [regel("besked", 9196, Stage.BESKED), regel("kalder", 9244, Stage.KALDER)]
    with pytest.raises(DomainError) as refused:
        kontroller(regler, None)
    assert refused.value.codes == [9244]
    assert kontroller([regel("ok", 9196, Stage.BESKED, fails=False)], None) is None


def test_force_skips_a_code_and_the_code_lists_derive_from_the_rules():
    regler = [regel("a", 9200, Stage.TILSTAND, forceable=True), regel("b", 9196, Stage.BESKED)]
    with pytest.raises(DomainError) as refused:
        kontroller(regler, None, force=frozenset({9196}))
    assert refused.value.codes == [9200]
    kontroller(regler, None, force=frozenset({9196, 9200}))
    assert koder(regler) == {9200, 9196}
    assert forceable_koder(regler) == (9200,)
