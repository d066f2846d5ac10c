"""Reading OIOSAML's basic privilege profile, and deciding organisation and role from a
verified assertion's attributes (in-process; the HTTP flow is test_saml_login.py)."""

import base64

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from accessrules.models import Rolle, RolleKilde, Sagsbehandler
from accessrules.sagsbehandlere import saet_sagsbehandler
from accessrules.saml.rettigheder import (
    Privilegium,
    UlaeseligeRettigheder,
    cvr_scope,
    privilegieliste,
    privilegier,
)
from accessrules.saml.tildeling import Afvisning, tag_rolle_fra, tildeling_fra
from tests.factories import AndenAktoerFactory, KommuneFactory, StarFactory

ATTR = "https://data.gov.dk/model/core/eid/privilegesIntermediate"
SB, SUPPORT = (
    "urn:dk:star:borgerindsats:rolle:sagsbehandler",
    "urn:dk:star:borgerindsats:rolle:support",
)

OIO_BPP_1_0 = """<?xml version="1.0" encoding="UTF-8"?>
<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:12345678">
    <Constraint Name="urn:dk:kombit:KLE">25.*</Constraint>
    <Privilege> urn:dk:some_domain:myPrivilege1A </Privilege>
    <Privilege>urn:dk:some_domain:myPrivilege1B</Privilege>
  </PrivilegeGroup>
  <PrivilegeGroup Scope="urn:dk:gov:saml:seNumberIdentifier:27384223">
    <Privilege>urn:dk:some_domain:myPrivilege1C</Privilege>
  </PrivilegeGroup>
</bpp:PrivilegeList>"""


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_both_profile_namespaces_are_read_with_their_scopes():
    found = privilegier([b64(OIO_BPP_1_0)])
    assert found == [
        Privilegium(
            "urn:dk:gov:saml:cvrNumberIdentifier:12345678", "urn:dk:some_domain:myPrivilege1A"
        ),
        Privilegium(
            "urn:dk:gov:saml:cvrNumberIdentifier:12345678", "urn:dk:some_domain:myPrivilege1B"
        ),
        Privilegium(
            "urn:dk:gov:saml:seNumberIdentifier:27384223", "urn:dk:some_domain:myPrivilege1C"
        ),
    ]
    assert [p.cvr for p in found] == ["12345678", "12345678", None]
    value = privilegieliste({cvr_scope("87654321"): [SB, SUPPORT]})
    assert privilegier([value]) == [
        Privilegium(cvr_scope("87654321"), SB),
        Privilegium(cvr_scope("87654321"), SUPPORT),
    ]
    spaced = "\n".join(value[i : i + 64] for i in range(0, len(value), 64))  # as some IdPs wrap
    assert privilegier([spaced]) == privilegier([value])


@pytest.mark.parametrize(
    "value",
    [
        "not base64!",
        b64("<not-closed>"),
        b64("<Other/>"),
        b64('<!DOCTYPE x [<!ENTITY e "boom">]><PrivilegeList>&e;</PrivilegeList>'),
        "A" * 100_004,
    ],
)
def test_anything_else_is_refused_unread(value):
    with pytest.raises(UlaeseligeRettigheder):
        privilegier([value])


class NameID:
    def __init__(self, text: str):
        self.text = text


def info(roller: dict[str, list[str]], *, name="jens", value=None, **extra) -> dict:
    """session_info as djangosaml2 gives it: the NameID, and the attributes (ava)."""
    value = value or privilegieliste({cvr_scope(c): uris for c, uris in roller.items()})
    return {"name_id": NameID(name), "ava": {ATTR: [value], **extra}}


@pytest.mark.django_db
def test_the_organisation_is_found_by_cvr_and_support_includes_sagsbehandler():
    kommune = KommuneFactory(kode="101", cvr="64942212")
    tildeling = tildeling_fra(info({"64942212": [SB, SUPPORT, "urn:other:system"]}))
    assert (tildeling.brugernavn, tildeling.organisation, tildeling.rolle) == (
        "jens",
        kommune,
        Rolle.SUPPORT,
    )
    assert tildeling_fra(info({"64942212": [SB]})).rolle == Rolle.SAGSBEHANDLER


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roller", "kode"),
    [
        ({}, "ukendt rolle"),
        ({"64942212": ["urn:other:system"]}, "ukendt rolle"),
        ({"99999999": [SUPPORT]}, "ukendt organisation"),
        ({"30000001": [SUPPORT]}, "ukendt organisation"),  # an anden aktør has no caseworkers
        ({"64942212": [SB], "18210202": [SUPPORT]}, "flere organisationer"),
    ],
)
def test_refusals(roller, kode):
    KommuneFactory(kode="101", cvr="64942212")
    StarFactory(cvr="18210202")
    AndenAktoerFactory(kode="30000001", cvr="30000001")
    with pytest.raises(Afvisning) as refused:
        tildeling_fra(info(roller))
    assert refused.value.kode == kode and refused.value.brugernavn == "jens"
    assert refused.value.tag_rolle


@pytest.mark.django_db
def test_a_scope_that_is_not_a_cvr_number_names_no_organisation():
    KommuneFactory(kode="101", cvr="64942212")
    value = privilegieliste({"urn:dk:gov:saml:seNumberIdentifier:64942212": [SUPPORT]})
    with pytest.raises(Afvisning) as refused:
        tildeling_fra(info({}, value=value))
    assert refused.value.kode == "ukendt organisation"


@pytest.mark.django_db
def test_a_local_account_or_a_locked_user_is_not_signed_in_by_an_assertion():
    KommuneFactory(kode="101", cvr="64942212")
    User.objects.create_user("lokal", password="x")
    with pytest.raises(Afvisning) as refused:
        tildeling_fra(info({"64942212": [SB]}, name="lokal"))
    assert refused.value.kode == "lokal konto" and not refused.value.tag_rolle
    spaerret = User.objects.create_user("spaerret", is_active=False)
    spaerret.set_unusable_password()
    spaerret.save()
    with pytest.raises(Afvisning) as refused:
        tildeling_fra(info({"64942212": [SB]}, name="spaerret"))
    assert refused.value.kode == "spaerret bruger"


@pytest.mark.django_db
def test_the_user_name_may_come_from_an_attribute_and_must_fit():
    KommuneFactory(kode="101", cvr="64942212")
    uuid_attr = "https://data.gov.dk/model/core/eid/professional/uuid/persistent"
    with override_settings(SAML_USERNAME_ATTRIBUTE=uuid_attr):
        given = info({"64942212": [SB]}, **{uuid_attr: ["urn:uuid:1234"]})
        assert tildeling_fra(given).brugernavn == "urn:uuid:1234"
    with pytest.raises(Afvisning) as refused:
        tildeling_fra(info({"64942212": [SB]}, name="x" * 151))
    assert refused.value.kode == "brugernavn"


@pytest.mark.django_db
def test_the_role_mapping_is_a_setting():
    KommuneFactory(kode="101", cvr="64942212")
    with override_settings(
        SAML_ROLLER={"http://kombit.dk/roles/usersystemrole/bi-support/1": "Support"}
    ):
        assert (
            tildeling_fra(
                info({"64942212": ["http://kombit.dk/roles/usersystemrole/bi-support/1"]})
            ).rolle
            == Rolle.SUPPORT
        )
        with pytest.raises(Afvisning):
            tildeling_fra(info({"64942212": [SUPPORT]}))


@pytest.mark.django_db
def test_a_refusal_takes_a_saml_users_role_away_but_never_a_local_accounts():
    kommune = KommuneFactory(kode="101", cvr="64942212")
    saml_user = User.objects.create_user("saml")  # no usable password
    local = User.objects.create_user("lokal", password="x")
    for user, kilde in ((saml_user, RolleKilde.SAML), (local, RolleKilde.LOKAL)):
        saet_sagsbehandler(
            user, organisation=kommune, rolle=Rolle.SUPPORT, kilde=kilde, begrundelse="t"
        )
    for name in ("saml", "lokal"):
        with pytest.raises(Afvisning) as refused:
            tildeling_fra(info({"64942212": ["urn:other:system"]}, name=name))
        tag_rolle_fra(refused.value)
    assert list(Sagsbehandler.objects.values_list("user__username", flat=True)) == ["lokal"]
    assert list(local.groups.values_list("name", flat=True)) == ["Support"]
    assert not saml_user.groups.exists()
