"""The event serializers (one per type) document what `validering` checks: their limits are
read from there."""

from borgerflytte.api.serializers import (
    CprHaendelserSerializer,
    DoedsfaldSerializer,
    FlytningSerializer,
    IndrejseSerializer,
)
from borgerflytte.haendelser import validering


def test_the_documented_limits_are_validerings():
    flytning, indrejse = FlytningSerializer().fields, IndrejseSerializer().fields
    assert flytning["haendelseId"].max_length == validering.ID_MAX_LENGTH
    assert indrejse["kontaktgruppe"].max_length == validering.KONTAKTGRUPPE_MAX_LENGTH
    types = [list(s().fields["type"].choices) for s in (FlytningSerializer, IndrejseSerializer)]
    types.append(list(DoedsfaldSerializer().fields["type"].choices))
    assert [t for [t] in types] == list(validering.TYPES)
    for fields, name in ((flytning, "fraKommunekode"), (flytning, "tilKommunekode")):
        [validator] = [v for v in fields[name].validators if hasattr(v, "regex")]
        assert validator.regex.pattern == validering.KOMMUNEKODE_PATTERN
    batch = CprHaendelserSerializer().fields["haendelser"]
    assert batch.max_length == validering.MAX_BATCH
    assert f"1-{validering.MAX_BATCH} " in CprHaendelserSerializer.__doc__


def test_the_api_reads_each_event_once(monkeypatch):
    """The batch is validated once; the intake gets the events read and checks none again."""
    calls = []
    real = validering.valider_haendelse
    monkeypatch.setattr(validering, "valider_haendelse", lambda *a: calls.append(a) or real(*a))
    event = {
        "haendelseId": "h-1",
        "type": "doedsfald",
        "cpr": "0101901234",
        "doedsdato": "2026-01-01",
    }
    serializer = CprHaendelserSerializer(
        data={"haendelser": [event, dict(event, haendelseId="h-2")]}
    )
    assert serializer.is_valid(), serializer.errors
    read = serializer.validated_data["haendelser"]
    assert [h.haendelse_id for h in read] == ["h-1", "h-2"]
    assert all(isinstance(h, validering.Haendelse) for h in read)
    assert len(calls) == 2
