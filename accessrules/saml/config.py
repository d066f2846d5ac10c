"""The service provider's pysaml2 configuration, built from the settings (config/settings.py,
"Caseworkers' sign-in"): djangosaml2 calls `sp_config` (its SAML_CONFIG_LOADER) per request.
The configuration, with the identity provider's metadata read, is kept per process and read
again after METADATA_REFRESH_SECONDS (metadata from a URL is fetched then, not per request).

OIOSAML's Web SSO profile as pysaml2 states it: requests signed (RSA-SHA256) and sent with
the HTTP-Redirect binding, the answer POSTed to /saml2/acs/, the assertion signed (an
encrypted one is decrypted with the service provider's key), persistent NameIDs, no
unsolicited responses.
"""

import shutil
import time
from functools import lru_cache

import saml2
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

METADATA_REFRESH_SECONDS = 3600


def sp_config(request=None) -> SPConfig:
    if not settings.SAML_ENABLED:
        raise ImproperlyConfigured("SAML sign-in is off: SAML_IDP_METADATA is not set.")
    return _loaded(_settings_key(), int(time.monotonic() // METADATA_REFRESH_SECONDS))


def _settings_key() -> tuple:
    return (
        settings.SAML_IDP_METADATA,
        settings.SAML_SP_BASE_URL,
        settings.SAML_SP_ENTITY_ID,
        settings.SAML_SP_KEY_FILE,
        settings.SAML_SP_CERT_FILE,
        tuple(sorted(settings.SAML_ROLLER)),
        settings.SAML_PRIVILEGE_ATTRIBUTE,
        settings.SAML_ACCEPTED_TIME_DIFF_SECONDS,
    )


@lru_cache(maxsize=4)
def _loaded(key: tuple, _period: int) -> SPConfig:
    config = SPConfig()
    config.load(sp_settings())
    return config


def _metadata(source: str) -> dict:
    if source.startswith("https://"):
        return {"remote": [{"url": source}]}
    return {"local": [source]}


def sp_settings() -> dict:
    """pysaml2's configuration dictionary for this service provider."""
    base = settings.SAML_SP_BASE_URL
    keypair = {"key_file": settings.SAML_SP_KEY_FILE, "cert_file": settings.SAML_SP_CERT_FILE}
    return {
        "entityid": settings.SAML_SP_ENTITY_ID,
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "allow_unknown_attributes": True,
        "accepted_time_diff": settings.SAML_ACCEPTED_TIME_DIFF_SECONDS,
        "service": {
            "sp": {
                "name": "Borgerindsats",
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "endpoints": {
                    "assertion_consumer_service": [(f"{base}/saml2/acs/", saml2.BINDING_HTTP_POST)]
                },
                "authn_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "required_attributes": [settings.SAML_PRIVILEGE_ATTRIBUTE],
            }
        },
        "metadata": _metadata(settings.SAML_IDP_METADATA),
        **keypair,
        "encryption_keypairs": [keypair],
    }
