"""accessrules.core.tekst: text no database can store, found anywhere in parsed JSON."""

import pytest

from accessrules.core.tekst import first_unstorable, lone_surrogate, printable, unstorable


@pytest.mark.parametrize(("text", "bad"), [("x-\ud800", True), ("a\x00", True), ("æøå 😀", False)])
def test_unstorable(text, bad):
    assert unstorable(text) is bad


def test_the_path_of_the_first_unstorable_key_or_string():
    assert first_unstorable({"a": [{"b": "ok"}, {"c": "\udfff"}]}) == "a[1].c"
    assert first_unstorable({"a": {"\ud800": 1}}) == "a (a key)"
    assert first_unstorable([{"x": "\x00"}], "haendelser") == "haendelser[0].x"
    assert first_unstorable({"a": ["ok", 1, None, 2.5]}) is None


def test_any_depth_is_walked_without_recursion():
    deep = "\ud800"
    for _ in range(5000):
        deep = [deep]
    assert first_unstorable(deep).endswith("[0]")


def test_printable_escapes_what_utf8_cannot_hold():
    assert printable("x-\ud800") == "x-\\ud800"
    assert printable("æ") == "æ"


@pytest.mark.parametrize(
    ("text", "lone"), [("x-\ud800", True), ("a\x00", False), ("æøå 😀", False)]
)
def test_a_lone_surrogate_is_the_part_the_json_parser_refuses(text, lone):
    assert lone_surrogate(text) is lone
    assert unstorable(text) is (lone or "\x00" in text)
