"""The contact groups' one table: Danish labels, an unknown code as itself (SPEC 7a)."""

from django.conf import settings

from accessrules.core.kontaktgrupper import INGEN, KONTAKTGRUPPER, kontaktgruppe_navn


def test_known_codes_have_danish_labels_and_unknown_show_as_themselves():
    assert kontaktgruppe_navn("familiesammenfoert") == "Familiesammenført"
    assert kontaktgruppe_navn("noget-nyt") == "noget-nyt"
    assert kontaktgruppe_navn("") == INGEN


def test_the_groups_allowed_an_asylum_transition_are_in_the_table():
    assert set(settings.ASYLOVERGIVELSE_KONTAKTGRUPPER) <= set(KONTAKTGRUPPER)
