"""A small SAML 2.0 identity provider for the tests, built on pysaml2's `Server`: it serves
HTTP on a free loopback port in a thread of the test process, with keys and certificates made
at test time (`cryptography`). It takes the service provider's AuthnRequest by the
HTTP-Redirect binding (checking its signature), and answers with a signed assertion in the
HTTP-POST binding's auto-submitting form, as OIOSAML identity providers do.

What the next answer says is set on `idp.next` (a `Svar`): the user name, the privileges
(OIO-BPP, base64, in the OIOSAML 3 attribute), and whether the assertion is signed with a key
the service provider does not know, or has already expired.

    idp = LokalIdP(tmp_path)                      # keys, metadata file (idp.metadata_path)
    ... start the service provider with SAML_IDP_METADATA=idp.metadata_path ...
    idp.start(sp_metadata_xml)                   # then GET the SP's /saml2/login/
    ...
    idp.stop()                                   # or use it as a context manager
"""

import contextlib
import datetime
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import AUTHN_PASSWORD_PROTECTED, NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

from accessrules.saml.rettigheder import cvr_scope, privilegieliste

PRIVILEGES = "https://data.gov.dk/model/core/eid/privilegesIntermediate"
FULL_NAME = "https://data.gov.dk/model/core/eid/fullName"
EMAIL = "https://data.gov.dk/model/core/eid/email"


def make_keypair(directory: Path, name: str) -> tuple[Path, Path]:
    """An RSA key and a self-signed certificate (PEM files), valid from yesterday for a year."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@dataclass
class Svar:
    """What the next assertion says. `roller`: {CVR: [role URI, ...]} (one privilege group per
    CVR); `attributter`: other attributes (names, e-mail), which the service must never log or
    keep."""

    brugernavn: str = "hanne.sagsbehandler"
    roller: dict[str, list[str]] = field(default_factory=dict)
    attributter: dict[str, list[str]] = field(
        default_factory=lambda: {FULL_NAME: ["Hanne Testesen"], EMAIL: ["hanne@example.invalid"]}
    )
    forkert_noegle: bool = False  # signed with a key the service provider does not know
    udloebet: bool = False  # issued 15 minutes ago, valid until ten minutes ago
    krypteret: bool = True  # the assertion encrypted to the service provider's certificate
    raa_privilegier: list[str] | None = None  # the attribute's values as given, not built


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class LokalIdP:
    def __init__(self, directory: Path, port: int):
        self.directory = directory
        self.base_url = f"http://127.0.0.1:{port}"
        self.port = port
        self.key, self.cert = make_keypair(directory, "idp")
        self.foreign_key, self.foreign_cert = make_keypair(directory, "forfalsker")
        self.metadata_path = directory / "idp-metadata.xml"
        self.metadata_path.write_text(str(entity_descriptor(self._config(None, self.key))))
        self.next = Svar()
        self.requests: list = []  # the AuthnRequests received (parsed)
        self._httpd = None
        self._thread = None

    def _config(self, sp_metadata: Path | None, key: Path) -> IdPConfig:
        cert = self.cert if key == self.key else self.foreign_cert
        settings = {
            "entityid": f"{self.base_url}/metadata",
            "xmlsec_binary": shutil.which("xmlsec1"),
            "service": {
                "idp": {
                    "name": "Test-IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base_url}/sso/redirect", BINDING_HTTP_REDIRECT)
                        ]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": True,
                    "policy": {
                        "default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}
                    },
                }
            },
            "key_file": str(key),
            "cert_file": str(cert),
        }
        if sp_metadata is not None:
            settings["metadata"] = {"local": [str(sp_metadata)]}
        config = IdPConfig()
        config.load(settings)
        return config

    # --- serving ---------------------------------------------------------------------------

    def start(self, sp_metadata_xml: str) -> "LokalIdP":
        path = self.directory / "sp-metadata.xml"
        path.write_text(sp_metadata_xml)
        self.server = Server(config=self._config(path, self.key))
        self.forger = Server(config=self._config(path, self.foreign_key))
        self._httpd = make_server("127.0.0.1", self.port, self._app, handler_class=_Quiet)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(10)
            self._httpd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def _app(self, environ, start_response):
        try:
            if environ["PATH_INFO"] != "/sso/redirect" or environ["REQUEST_METHOD"] != "GET":
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"not found"]
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            html = self.answer(query)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [html.encode()]
        except Exception as exc:  # the test reads it
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [f"{type(exc).__name__}: {exc}".encode()]

    def answer(self, query: dict) -> str:
        """The HTML form that POSTs the answer to the service provider's ACS."""
        request = self.server.parse_authn_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query.get("SigAlg"),
            signature=query.get("Signature"),
        )
        self.requests.append(request)
        svar = self.next
        server = self.forger if svar.forkert_noegle else self.server
        args = server.response_args(request.message)
        args.pop("binding", None)
        lifetime = {"minutes": -10} if svar.udloebet else {"minutes": 5}
        with _issued(15 * 60 if svar.udloebet else 0):
            return self._answer(server, svar, args, lifetime, query)

    def _answer(self, server, svar, args, lifetime, query) -> str:
        policy = Policy(
            {"default": {"lifetime": lifetime, "name_form": NAME_FORMAT_URI}}, mds=server.metadata
        )
        values = svar.raa_privilegier
        if values is None:
            values = [privilegieliste({cvr_scope(c): uris for c, uris in svar.roller.items()})]
        identity = {PRIVILEGES: values, **svar.attributter}
        response = server.create_authn_response(
            identity,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=svar.brugernavn),
            authn={"class_ref": AUTHN_PASSWORD_PROTECTED},
            sign_assertion=True,
            sign_response=False,
            encrypt_assertion=svar.krypteret,
            encrypt_cert_assertion=None,
            release_policy=policy,
            **args,
        )
        http = server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            args["destination"],
            query.get("RelayState", ""),
            response=True,
        )
        return http["data"]


@contextlib.contextmanager
def _issued(seconds_ago: int):
    """pysaml2 stamps IssueInstant and NotBefore with `instant()`: moved back for an assertion
    that was issued a while ago (the identity provider runs in this process only)."""
    if not seconds_ago:
        yield
        return

    def then(format="%Y-%m-%dT%H:%M:%SZ", time_stamp=0):
        return time.strftime(format, time.gmtime(time.time() - seconds_ago))

    with mock.patch("saml2.assertion.instant", then), mock.patch("saml2.entity.instant", then):
        yield


@contextlib.contextmanager
def running(idp: LokalIdP, sp_metadata_xml: str):
    idp.start(sp_metadata_xml)
    try:
        yield idp
    finally:
        idp.stop()
