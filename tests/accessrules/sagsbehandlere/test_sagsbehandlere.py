"""Issue 21: a caseworker belongs to one organisation and has one role; `caller_for` turns a
signed-in user into the service's Caller; local accounts sign in with a password only with
DEBUG/DEMO or break-glass; `opret_sagsbehandler` makes and changes them."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from accessrules.admin.login import IKKE_MED_ADGANGSKODE
from accessrules.models import Rolle, RolleKilde, Sagsbehandler
from accessrules.sagsbehandlere import (
    IngenOrganisation,
    SagsbehandlerFejl,
    adgangskode_tilladt,
    caller_for,
    fjern_rolle,
    saet_sagsbehandler,
)
from tests.factories import AndenAktoerFactory, JobcenterFactory, KommuneFactory, StarFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db
PASSWORD = "en-lang-adgangskode-til-test"


def groups(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def test_a_role_sets_the_organisation_and_the_group_and_a_change_replaces_both():
    kommune, jobcenter = KommuneFactory(kode="101"), JobcenterFactory(kode="10100")
    user = User.objects.create_user("jens")
    row, changed = saet_sagsbehandler(
        user, organisation=kommune, rolle=Rolle.SUPPORT, kilde=RolleKilde.SAML, begrundelse="t"
    )
    assert changed and (row.organisation, row.rolle, row.break_glass) == (kommune, "Support", False)
    assert groups(user) == ["Support"] and User.objects.get(pk=user.pk).is_staff
    assert set(Group.objects.values_list("name", flat=True)) == {
        "Sagsbehandler",
        "Support",
        "STAR-support",
    }
    _, changed = saet_sagsbehandler(
        user, organisation=kommune, rolle=Rolle.SUPPORT, kilde=RolleKilde.SAML, begrundelse="t"
    )
    assert not changed  # the same again writes no history
    saet_sagsbehandler(
        user, organisation=jobcenter, rolle="Sagsbehandler", kilde=RolleKilde.SAML, begrundelse="t"
    )
    assert groups(user) == ["Sagsbehandler"]
    assert Sagsbehandler.objects.get(user=user).organisation == jobcenter
    assert Sagsbehandler.history.filter(user_id=user.pk).count() == 2
    assert fjern_rolle(user, begrundelse="t") and groups(user) == []
    assert not Sagsbehandler.objects.filter(user=user).exists()


def test_an_anden_aktoer_has_no_caseworkers():
    user = User.objects.create_user("jens")
    with pytest.raises(SagsbehandlerFejl):
        saet_sagsbehandler(
            user,
            organisation=AndenAktoerFactory(),
            rolle=Rolle.SUPPORT,
            kilde=RolleKilde.LOKAL,
            begrundelse="t",
        )


def test_caller_for_a_caseworker_a_superuser_and_anyone_else():
    kommune = KommuneFactory(kode="101")
    user = User.objects.create_user("jens")
    saet_sagsbehandler(
        user, organisation=kommune, rolle=Rolle.SUPPORT, kilde=RolleKilde.SAML, begrundelse="t"
    )
    signed_in = User.objects.get(pk=user.pk)  # as the request's user
    with statements() as sent:
        caller = caller_for(signed_in)
        assert caller_for(signed_in).organisation == caller.organisation
    assert len(sent) == 2, sent  # the row, its organisation; then kept on the user
    assert (caller.organisation, caller.user, caller.client) == (kommune, signed_in, None)

    root = User.objects.create_superuser("root", password="x")
    with pytest.raises(IngenOrganisation):  # no STAR in the register yet
        caller_for(User.objects.get(pk=root.pk))
    star = StarFactory()
    assert caller_for(User.objects.get(pk=root.pk)).organisation == star  # STAR sees all
    saet_sagsbehandler(
        root, organisation=kommune, rolle=Rolle.SUPPORT, kilde=RolleKilde.LOKAL, begrundelse="t"
    )
    assert caller_for(User.objects.get(pk=root.pk)).organisation == kommune  # its own row wins

    nobody = User.objects.create_user("nobody", is_staff=True)
    with pytest.raises(IngenOrganisation, match="hører ikke til en organisation"):
        caller_for(nobody)


def login(client, username):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": PASSWORD})


def local_account(username: str, *, break_glass: bool) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    saet_sagsbehandler(
        user,
        organisation=KommuneFactory(kode="101"),
        rolle=Rolle.SAGSBEHANDLER,
        kilde=RolleKilde.LOKAL,
        break_glass=break_glass,
        begrundelse="t",
    )
    return user


@override_settings(DEBUG=False, DEMO_ALLOWED=False)
def test_without_debug_or_demo_only_a_break_glass_account_signs_in_with_a_password(client):
    local_account("almindelig", break_glass=False)
    local_account("noedadgang", break_glass=True)
    User.objects.create_superuser("root", password=PASSWORD)
    for refused in ("almindelig", "root"):
        answer = login(client, refused)
        assert answer.status_code == 200  # the form again, with the Danish message
        assert IKKE_MED_ADGANGSKODE in answer.content.decode()
        assert "_auth_user_id" not in client.session
    answer = login(client, "noedadgang")
    assert answer.status_code == 302 and answer["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(User.objects.get(username="noedadgang").pk)


@pytest.mark.parametrize("setting", ["DEBUG", "DEMO_ALLOWED"])
def test_with_debug_or_demo_every_local_account_signs_in_with_a_password(client, setting):
    local_account("almindelig", break_glass=False)
    with override_settings(**{setting: True}):
        assert adgangskode_tilladt(User.objects.get(username="almindelig"))
        answer = login(client, "almindelig")
    assert answer.status_code == 302


def test_a_wrong_password_says_nothing_about_the_policy(client):
    local_account("almindelig", break_glass=False)
    answer = client.post("/admin/login/", {"username": "almindelig", "password": "forkert"})
    assert IKKE_MED_ADGANGSKODE not in answer.content.decode()


def test_the_login_page_offers_saml_when_it_is_set_up(client):
    page = client.get("/admin/login/?next=/admin/borgerflytte/").content.decode()
    assert 'id="saml-login"' not in page and 'id="login-form"' in page
    assert 'id="noedadgang"' not in page
    with override_settings(SAML_ENABLED=True, DEBUG=False, DEMO_ALLOWED=False):
        page = client.get("/admin/login/?next=/admin/borgerflytte/").content.decode()
    assert "Log ind med din organisations login" in page
    assert 'href="/saml2/login/?next=/admin/borgerflytte/"' in page
    assert '<details id="noedadgang">' in page  # the password form, folded away
    with override_settings(SAML_ENABLED=True, DEMO_ALLOWED=True):
        page = client.get("/admin/login/").content.decode()
    assert 'id="saml-login"' in page and 'id="noedadgang"' not in page


def test_the_saml_pages_say_in_danish_when_saml_is_off(client):
    for path in ("/saml2/login/", "/saml2/metadata/"):
        answer = client.get(path)
        assert answer.status_code == 404 and "ikke sat op" in answer.content.decode()
    answer = Client(enforce_csrf_checks=True).post("/saml2/acs/", {"SAMLResponse": "x"})
    assert answer.status_code == 404 and "ikke sat op" in answer.content.decode()


# --- opret_sagsbehandler ------------------------------------------------------------------


def run(*args, stdin="", **kwargs) -> str:
    out = StringIO()
    call_command("opret_sagsbehandler", *args, stdin=StringIO(stdin), stdout=out, **kwargs)
    return out.getvalue()


def test_opret_sagsbehandler_makes_and_changes_a_local_account():
    KommuneFactory(kode="101", navn="Københavns Kommune")
    StarFactory()
    out = run("mette", "--organisation", "7:101", "--rolle", "Sagsbehandler", stdin=PASSWORD + "\n")
    assert "Oprettet" in out and "7:101" in out and "break-glass: nej" in out
    user = User.objects.get(username="mette")
    assert user.check_password(PASSWORD) and user.is_staff and groups(user) == ["Sagsbehandler"]
    row = Sagsbehandler.objects.get(user=user)
    assert (row.kilde, row.break_glass) == (RolleKilde.LOKAL, False)

    out = run("mette", "--organisation", "1:STAR", "--rolle", "Support", "--break-glass")
    assert "Rettet" in out and "adgangskode: uændret" in out
    row.refresh_from_db()
    assert (row.organisation.reference, row.rolle, row.break_glass) == ("1:STAR", "Support", True)
    assert User.objects.get(username="mette").check_password(PASSWORD)  # kept
    assert groups(user) == ["STAR-support", "Support"]  # insight reports, moves by hand
    run("mette", "--organisation", "1:STAR", "--rolle", "Support")  # break-glass kept
    assert Sagsbehandler.objects.get(user=user).break_glass
    run("mette", "--organisation", "1:STAR", "--rolle", "Support", "--no-break-glass")
    assert not Sagsbehandler.objects.get(user=user).break_glass


def test_opret_sagsbehandler_dry_run_writes_nothing():
    KommuneFactory(kode="101")
    out = run("mette", "--organisation", "7:101", "--rolle", "Support", "--dry-run", stdin=PASSWORD)
    assert "Dry run" in out and "intet er skrevet" in out
    assert not User.objects.filter(username="mette").exists()
    assert not Sagsbehandler.objects.exists()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--organisation", "7:999", "--rolle", "Support"], PASSWORD, "Ukendt organisation"),
        (["--organisation", "101", "--rolle", "Support"], PASSWORD, "Ukendt organisation"),
        (["--organisation", "4:30000001", "--rolle", "Support"], PASSWORD, "Kommune, et JobCenter"),
        (["--organisation", "7:101", "--rolle", "Support"], "", "skal have en adgangskode"),
        (["--organisation", "7:101", "--rolle", "Support"], "123", "Adgangskoden afvist"),
    ],
)
def test_opret_sagsbehandler_refuses_bad_input_and_writes_nothing(args, stdin, message):
    KommuneFactory(kode="101")
    AndenAktoerFactory(kode="30000001")
    with pytest.raises(CommandError, match=message):
        run("mette", *args, stdin=stdin)
    assert not User.objects.filter(username="mette").exists()


def test_opret_sagsbehandler_refuses_an_unknown_role_and_a_saml_user():
    with pytest.raises(CommandError):
        run("mette", "--organisation", "7:101", "--rolle", "Admin", stdin=PASSWORD)
    saml_user = User.objects.create_user("saml")
    saet_sagsbehandler(
        saml_user,
        organisation=KommuneFactory(kode="101"),
        rolle=Rolle.SUPPORT,
        kilde=RolleKilde.SAML,
        begrundelse="t",
    )
    with pytest.raises(CommandError, match="SAML-bruger"):
        run("saml", "--organisation", "7:101", "--rolle", "Support", stdin=PASSWORD)


def test_caseworkers_do_not_see_who_the_other_caseworkers_are():
    call_command("opret_grupper", stdout=StringIO())
    for name in ("Sagsbehandler", "Support"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert "view_sagsbehandler" not in codenames
        assert "view_historicalsagsbehandler" not in codenames
        assert "view_borger" in codenames


def test_the_admin_shows_caseworkers_in_danish_and_read_only(client):
    user = local_account("mette", break_glass=True)
    row = Sagsbehandler.objects.get(user=user)
    client.force_login(User.objects.create_superuser("root", password="x"))
    listing = client.get("/admin/accessrules/sagsbehandler/").content.decode()
    assert "mette" in listing and "Sagsbehandler (læse)" in listing and "7:101" in listing
    page = client.get(f"/admin/accessrules/sagsbehandler/{row.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(f"/admin/accessrules/sagsbehandler/{row.pk}/history/").status_code == 200
    assert client.get("/admin/accessrules/sagsbehandler/add/").status_code == 403
    user_page = client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "Organisation og rolle" in user_page and "Lokal konto (opret_sagsbehandler)" in user_page
    assert 'name="groups"' not in user_page  # groups follow the role, never edited by hand
    users = client.get("/admin/auth/user/").content.decode()
    assert "7:101" in users
