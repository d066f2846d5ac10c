import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from accessrules.core.noegler import afledt_noegle
from accessrules.models.krypteret import afledt_noegle as fernet_noegle


def test_a_purpose_gets_its_own_key_of_the_length_asked():
    one = afledt_noegle("hemmelig", b"formaal-a", 64)
    assert len(one) == 64 and one == afledt_noegle("hemmelig", b"formaal-a", 64)
    assert one != afledt_noegle("hemmelig", b"formaal-b", 64)
    assert one != afledt_noegle("en anden", b"formaal-a", 64)


def test_the_derivation_is_hkdf_sha256_with_the_purpose_as_info():
    expected = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"x").derive(b"s")
    assert afledt_noegle("s", b"x", 32) == expected


def test_the_notification_secrets_key_is_unchanged_so_stored_secrets_still_decrypt():
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"borgerindsats-notifikationer"
    ).derive(b"k" * 50)
    assert fernet_noegle("k" * 50) == base64.urlsafe_b64encode(raw).decode()
