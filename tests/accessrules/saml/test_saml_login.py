"""Issue 21.2: caseworkers sign in through SAML 2.0, tested over HTTP. The service runs under
the live-server harness (a real gunicorn with the production settings, DEBUG off, SAML set
from environment variables as in production); the identity provider is pysaml2's `Server`
in a thread on another loopback port (tests/accessrules/saml/idp.py), with keys made for the
test. The client follows the bindings as a browser does: the admin's "Log ind med din organisations
login" link, the HTTP-Redirect to the identity provider, its auto-submitting HTTP-POST form
back to /saml2/acs/, the redirect into the admin."""

import base64

import pytest
from django.contrib.auth.models import User

from accessrules.models import Rolle, RolleKilde, Sagsbehandler
from tests.accessrules.saml.browser import Browser, forms_of, link
from tests.accessrules.saml.idp import EMAIL, FULL_NAME, LokalIdP, Svar, make_keypair
from tests.factories import JobcenterFactory, KommuneFactory, StarFactory
from tests.live.harness import fetch, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SAGSBEHANDLER_URI = "urn:dk:star:borgerindsats:rolle:sagsbehandler"
SUPPORT_URI = "urn:dk:star:borgerindsats:rolle:support"
ANDET_SYSTEM_URI = "http://eksempel.dk/roles/usersystemrole/andet-system/1"
CVR_KBH, CVR_JC, CVR_STAR, CVR_UKENDT = "64942212", "11223344", "55667788", "99999999"


@pytest.fixture
def service(live_servers, tmp_path):
    """(the service's base URL, the identity provider, the server): organisations with CVR
    numbers committed, the service started with SAML on, the IdP given its metadata."""
    KommuneFactory(kode="101", navn="Københavns Kommune", cvr=CVR_KBH)
    JobcenterFactory(kode="10100", navn="Jobcenter København", cvr=CVR_JC)
    StarFactory(cvr=CVR_STAR)
    sp_key, sp_cert = make_keypair(tmp_path, "sp")
    idp = LokalIdP(tmp_path, free_port())
    port = free_port()
    env = {
        "SAML_IDP_METADATA": str(idp.metadata_path),
        "SAML_SP_BASE_URL": f"http://127.0.0.1:{port}",
        "SAML_SP_KEY_FILE": str(sp_key),
        "SAML_SP_CERT_FILE": str(sp_cert),
        "STATIC_MANIFEST": "0",  # pages without collectstatic
    }
    [server] = live_servers(workers=1, worker_class="gthread", threads=4, env=env, port=port)
    metadata = fetch("GET", server.url("/saml2/metadata/"))
    assert metadata.status == 200, metadata.body[:500]
    idp.start(metadata.body.decode())
    try:
        yield server.base_url, idp, server
    finally:
        idp.stop()


def sign_in(base: str, idp: LokalIdP, svar: Svar) -> tuple[Browser, object]:
    """The whole flow, as a browser: the login page's SAML link, the redirect to the IdP, its
    form POSTed back, the redirects after. Returns the browser and the last page."""
    idp.next = svar
    browser = Browser()
    login = browser.get(base + "/admin/")  # -> the login page
    assert login.status == 200 and "/admin/login/" in login.url
    at_idp = browser.get(base + link(login.body, "saml-login"))
    assert at_idp.url.startswith(idp.base_url + "/sso/redirect?SAMLRequest="), at_idp.body[:300]
    assert "Signature=" in at_idp.url and "SigAlg=" in at_idp.url  # a signed request
    assert at_idp.status == 200, at_idp.body[:500]
    return browser, browser.submit(at_idp)  # the HTTP-POST binding's form


def test_a_signed_assertion_signs_the_caseworker_in_and_every_sign_in_sets_the_role(service):
    base, idp, server = service
    browser, page = sign_in(base, idp, Svar(roller={CVR_KBH: [SUPPORT_URI, ANDET_SYSTEM_URI]}))
    assert page.status == 200 and page.url == base + "/admin/", page.body[:500]
    [at_idp] = [p for p in browser.history if p.url.startswith(idp.base_url)]
    form = forms_of(at_idp.body)[0]  # the HTTP-POST binding: to the ACS
    assert form["action"] == base + "/saml2/acs/" and form["method"].lower() == "post"
    assert b"EncryptedAssertion" in base64.b64decode(form["fields"]["SAMLResponse"])
    assert "hanne.sagsbehandler" in page.body  # the admin's "Velkommen"
    assert browser.cookie(base, "sessionid")
    user = User.objects.get(username="hanne.sagsbehandler")
    assert user.is_staff and not user.has_usable_password() and not user.is_superuser
    row = Sagsbehandler.objects.get(user=user)
    assert (row.organisation.cvr, row.rolle, row.kilde) == (CVR_KBH, Rolle.SUPPORT, RolleKilde.SAML)
    assert list(user.groups.values_list("name", flat=True)) == ["Support"]
    assert (user.first_name, user.last_name, user.email) == ("", "", "")  # nothing else kept
    assert browser.get(base + "/admin/accessrules/borger/").status == 200
    replay = Browser().submit(at_idp)  # the same answer again, from elsewhere: refused
    assert replay.status == 403 and "hører ikke til et login" in replay.body

    # the IdP now gives only Sagsbehandler, for the jobcentre: the next sign-in says so
    _, page = sign_in(base, idp, Svar(roller={CVR_JC: [SAGSBEHANDLER_URI]}))
    assert page.url == base + "/admin/"
    row.refresh_from_db()
    assert (row.organisation.cvr, row.rolle) == (CVR_JC, Rolle.SAGSBEHANDLER)
    assert list(user.groups.values_list("name", flat=True)) == ["Sagsbehandler"]

    # and then no role at all: refused, and the role is taken away here too
    browser3, page = sign_in(base, idp, Svar(roller={CVR_JC: [ANDET_SYSTEM_URI]}))
    assert page.status == 403 and "ingen rolle i Borgerindsats" in page.body
    assert not browser3.cookie(base, "sessionid")
    assert not Sagsbehandler.objects.filter(user=user).exists()
    assert not user.groups.exists()
    assert Sagsbehandler.history.filter(user_id=user.pk).count() == 3  # made, changed, removed
    log = server.log_path.read_text()
    assert "SAML-login afvist (ukendt rolle): bruger hanne.sagsbehandler" in log
    assert "Hanne Testesen" not in log and "hanne@example.invalid" not in log


REFUSALS = [
    # (what the IdP sends, the log's code, a phrase of the Danish page)
    (Svar(roller={CVR_KBH: [SUPPORT_URI]}, forkert_noegle=True), "signatur", "gyldig signatur"),
    (Svar(roller={CVR_KBH: [SUPPORT_URI]}, udloebet=True), "udloebet", "er udløbet"),
    (Svar(roller={CVR_KBH: [ANDET_SYSTEM_URI]}), "ukendt rolle", "ingen rolle i Borgerindsats"),
    (Svar(roller={}), "ukendt rolle", "ingen rolle i Borgerindsats"),
    (
        Svar(roller={CVR_UKENDT: [SUPPORT_URI]}),
        "ukendt organisation",
        f"CVR-nummer {CVR_UKENDT}",
    ),
    (
        Svar(roller={CVR_KBH: [SUPPORT_URI], CVR_JC: [SAGSBEHANDLER_URI]}),
        "flere organisationer",
        "roller i flere organisationer",
    ),
    (Svar(raa_privilegier=["ikke base64 <xml/>"]), "ulaeselige rettigheder", "kunne ikke læses"),
]


def test_every_refused_assertion_gets_the_danish_page_and_no_session(service):
    """One server for all the cases (each a fresh browser and user name), and a local
    account's user name in an otherwise good assertion."""
    base, idp, server = service
    for number, (svar, kode, phrase) in enumerate(REFUSALS):
        svar.brugernavn = f"afvist.{number}"
        browser, page = sign_in(base, idp, svar)
        assert page.status == 403, (kode, page.status, page.body[:500])
        assert page.url == base + "/saml2/acs/"
        assert phrase in page.body and "Du er ikke logget ind" in page.body, kode
        assert 'lang="da"' in page.body
        assert not browser.cookie(base, "sessionid"), kode
        after = browser.get(base + "/admin/")
        assert "/admin/login/" in after.url, kode  # not signed in
        assert not User.objects.filter(username=svar.brugernavn).exists(), kode
    log = server.log_path.read_text()
    for _svar, kode, _phrase in REFUSALS:
        assert f"SAML-login afvist ({kode})" in log
    assert "Hanne Testesen" not in log and "hanne@example.invalid" not in log
    assert FULL_NAME not in log and EMAIL not in log

    # a local account's user name is not taken over by an assertion
    User.objects.create_superuser("root", password="a-local-password-1")
    browser, page = sign_in(base, idp, Svar(brugernavn="root", roller={CVR_STAR: [SUPPORT_URI]}))
    assert page.status == 403 and "lokal konto" in page.body
    assert not browser.cookie(base, "sessionid")
    assert not Sagsbehandler.objects.filter(user__username="root").exists()
