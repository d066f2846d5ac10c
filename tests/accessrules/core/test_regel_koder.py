"""A rule's code is written once, in its `Regel`; the registry row holds the code's text and
its Danish explanation (accessrules.core.errors, accessrules.core.regler)."""

import ast
import inspect

import pytest

from accessrules.admin.fejl import fejlbesked
from accessrules.core.errors import REGISTRY, Violation
from accessrules.core.regler import Regel, Stage
from asylovergivelse import rules as asyl_rules
from borgerflytte import rules as flyt_rules
from borgerflytte.haendelser import haendelsesregler, validering

RULE_MODULES = (asyl_rules, flyt_rules, haendelsesregler, validering)


def _regler(module) -> list[Regel]:
    return [value for value in vars(module).values() if isinstance(value, Regel)]


def _int_literals(module) -> list[int]:
    tree = ast.parse(inspect.getsource(module))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and type(node.value) is int
    ]


def test_every_code_has_its_seed_text_and_a_danish_explanation():
    lacking = [c for c, e in REGISTRY.items() if not e.text.strip() or not e.forklaring.strip()]
    assert not lacking


@pytest.mark.parametrize("module", RULE_MODULES, ids=lambda m: m.__name__)
def test_a_rules_code_is_written_once_in_its_module(module):
    regler = _regler(module)
    assert regler
    literals = _int_literals(module)
    for regel in regler:
        for code in regel.koder:
            assert code in REGISTRY, (regel.navn, code)
            assert literals.count(code) <= 1, (module.__name__, regel.navn, code)


def test_every_rule_is_in_its_modules_rule_sets():
    """The rule sets the services run name every rule of the module (none forgotten)."""
    in_sets = {*asyl_rules.OPRET, *asyl_rules.RET, *asyl_rules.EFTER_SKRIVNING}
    assert set(_regler(asyl_rules)) == in_sets
    assert set(_regler(haendelsesregler)) | {validering.FORM} == set(
        haendelsesregler.REGLER.values()
    )


def test_a_rule_may_not_name_a_code_it_does_not_have():
    with pytest.raises(KeyError):
        Regel("ukendt", (12345,), Stage.BESKED, lambda k: ())
    regel = Regel("to", (9196,), Stage.BESKED, lambda k: [9197])
    with pytest.raises(ValueError):
        regel(None)
    assert Regel("en", (9196,), Stage.BESKED, lambda k: ["CVEditEndDate"])(None) == [
        Violation(9196, "CVEditEndDate")
    ]


def test_a_violation_carries_its_rule_not_in_the_body():
    [violation] = haendelsesregler.IKKE_BOSAT.fejl().violations
    assert (violation.code, violation.field, violation.regel) == (
        1014,
        "type",
        "Borgeren bor her ikke i forvejen",
    )
    assert "regel" not in violation.as_dict()


@pytest.mark.parametrize("regel", list(haendelsesregler.REGLER.values()), ids=lambda r: r.navn)
def test_a_cpr_event_rejection_tells_its_meaning_by_its_rule(regel):
    violation = regel.brud()
    expected = regel.forklaring or REGISTRY[violation.code].forklaring
    assert haendelsesregler.forklaring(violation) == expected
    assert expected in fejlbesked(violation, haendelsesregler.forklaring(violation))


def test_two_1014_rules_on_one_field_read_differently():
    """The shape of flyttedato and a move not newer than the residence: same code and field,
    each its own meaning."""
    shape = validering.FORM.brud("flyttedato")
    older = haendelsesregler.NYERE_END_BOPAELEN.brud()
    assert (shape.code, shape.field) == (older.code, older.field)
    assert haendelsesregler.forklaring(shape) != haendelsesregler.forklaring(older)
