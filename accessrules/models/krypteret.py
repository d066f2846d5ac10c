"""Values encrypted at rest: a subscription's signing secrets must be read back to sign (an
HMAC needs the secret itself, so it cannot be hashed), so the database holds them encrypted
with Fernet (AES-128-CBC and HMAC-SHA256, from `cryptography`) under
`NOTIFICATION_SECRET_KEY`, or a key derived from `SECRET_KEY` when that is empty. Keys in
`NOTIFICATION_SECRET_OLD_KEYS` still decrypt (a rotation: docs/operations.md); the command
`rekrypter_hemmeligheder` re-encrypts every stored secret under the current key."""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from accessrules.core.noegler import afledt_noegle as hkdf

TOKEN_PREFIX = "gAAAAA"  # every Fernet token (version byte 0x80, then the timestamp)


def afledt_noegle(secret_key: str) -> str:
    """A Fernet key derived from Django's SECRET_KEY (HKDF-SHA256, its own context)."""
    raw = hkdf(secret_key, b"borgerindsats-notifikationer", 32)
    return base64.urlsafe_b64encode(raw).decode()


def noegler() -> MultiFernet:
    current = settings.NOTIFICATION_SECRET_KEY or afledt_noegle(settings.SECRET_KEY)
    return _noegler(current, tuple(settings.NOTIFICATION_SECRET_OLD_KEYS))


@functools.lru_cache(maxsize=4)
def _noegler(current: str, old: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in (current, *old)])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "NOTIFICATION_SECRET_KEY and NOTIFICATION_SECRET_OLD_KEYS must be Fernet keys "
            "(32 url-safe base64-encoded bytes: Fernet.generate_key())"
        ) from exc


def krypter(value: str) -> str:
    return noegler().encrypt(value.encode()).decode()


def dekrypter(token: str) -> str:
    try:
        return noegler().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored notification secret does not decrypt with NOTIFICATION_SECRET_KEY or "
            "NOTIFICATION_SECRET_OLD_KEYS (was the key changed without keeping the old one?)"
        ) from exc


def rekrypter(token: str) -> str:
    """The same value encrypted under the current key."""
    return noegler().rotate(token.encode()).decode()


class KrypteretTekst(models.CharField):
    """A CharField stored encrypted (`krypter`), read decrypted; '' stays ''. Not for
    filtering: the same value encrypts differently each time."""

    def from_db_value(self, value, expression, connection):
        return dekrypter(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return krypter(value) if value else value
