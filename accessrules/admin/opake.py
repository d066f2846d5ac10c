"""Opaque ids in the admin's URLs (SPEC 7, issue 20): a record whose primary key is a sequence
number (citizens, transitions, CVs, receipts, access-log rows) is named in every admin URL by
a token, never by its key. Rows made in bulk get their keys in CPR order, so keys in links
would let a user without "se fuldt CPR" order masked citizens by CPR.

The token is the key encrypted with AES-SIV (deterministic and authenticated: one record, one
token; a token made up or taken from another model resolves to nothing) under a key derived
from SECRET_KEY and the model's label. A path converter per model encodes the key when a URL
is built (`reverse`, `{% url %}`: every link, list, breadcrumb and redirect) and decodes it when
one is resolved, so a view sees the key as before. A URL with a bare key matches no pattern:
the admin's Danish 404.
"""

import base64

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from django.conf import settings
from django.urls import path, register_converter

from accessrules.core.noegler import afledt_noegle

_registered: set[str] = set()


def _key(label: str) -> bytes:
    # 64 bytes: AES-256-SIV
    return afledt_noegle(settings.SECRET_KEY, f"borgerindsats admin-id {label}".encode(), 64)


class OpaktId:
    """A path converter for one model's integer keys (`converter_name` makes one per model)."""

    regex = r"[A-Za-z0-9_-]{32}"

    label_lower = ""  # the model's label: each model's converter is a subclass naming it

    def __init__(self):
        self.label = self.label_lower.encode()
        self.cipher = AESSIV(_key(self.label_lower))

    def to_url(self, value) -> str:
        number = int(value).to_bytes(8, "big", signed=True)
        token = self.cipher.encrypt(number, [self.label])
        return base64.urlsafe_b64encode(token).decode()

    def to_python(self, value: str) -> str:
        try:
            number = self.cipher.decrypt(base64.urlsafe_b64decode(value), [self.label])
        except (InvalidTag, ValueError) as error:
            raise ValueError("not a token of this model") from error
        return str(int.from_bytes(number, "big", signed=True))


def converter_name(model) -> str:
    """The registered converter of `model`'s keys (registered on first use)."""
    label = model._meta.label_lower
    name = "opak_" + label.replace(".", "_")
    if name not in _registered:
        register_converter(type(name, (OpaktId,), {"label_lower": label}), name)
        _registered.add(name)
    return name


def har_sekvensnoegle(model) -> bool:
    return model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField")


OBJEKT_SEGMENTER = ("<path:object_id>", "<int:pk>")


def opake_urls(model, urls: list) -> list:
    """`urls` (a ModelAdmin's) with the object's segment through `model`'s converter (for a
    sequential key) and a history version's through its history model's."""
    objekt = f"<{converter_name(model)}:object_id>" if har_sekvensnoegle(model) else None
    rewritten = []
    for pattern in urls:
        route = str(pattern.pattern)
        if pattern.name and pattern.name.endswith("_simple_history"):  # a re_path
            versions = converter_name(model.history.model)
            route = f"{objekt or '<path:object_id>'}/history/<{versions}:version_id>/"
            rewritten.append(path(route, pattern.callback, name=pattern.name))
        elif objekt and any(segment in route for segment in OBJEKT_SEGMENTER):
            route = route.replace("<path:object_id>", objekt)
            route = route.replace("<int:pk>", objekt.replace("object_id", "pk"))
            rewritten.append(path(route, pattern.callback, pattern.default_args, name=pattern.name))
        else:
            rewritten.append(pattern)
    return rewritten
