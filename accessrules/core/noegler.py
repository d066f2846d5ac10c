"""Keys derived from one secret (SECRET_KEY): HKDF-SHA256 with the key's purpose as its
`info`, so each use (the admin's opaque ids per model, the notification secrets' Fernet key)
gets its own independent key and none can be computed from another."""

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def afledt_noegle(secret: str, formaal: bytes, laengde: int) -> bytes:
    """`laengde` bytes of key for `formaal` (a fixed, distinct context per use) from `secret`."""
    return HKDF(algorithm=hashes.SHA256(), length=laengde, salt=None, info=formaal).derive(
        secret.encode()
    )
