"""OIOSAML's basic privilege profile (OIO-BPP): the privilege attribute's value is a
base64-encoded XML `PrivilegeList` of `PrivilegeGroup`s, each with a `Scope` (here the CVR
number of the organisation the roles apply to: `urn:dk:gov:saml:cvrNumberIdentifier:NNNNNNNN`)
and one or more `Privilege`s (role URIs). Read by element names, so both the profile's
namespaces (`http://itst.dk/oiosaml/basic_privilege_profile`, 1.0, and
`http://digst.dk/oiosaml/basic_privilege_profile`, 1.2) are read alike; a group's
`Constraint`s are not used. Parsed with defusedxml (no entities, no external references)."""

import base64
import binascii
import re
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError  # noqa: S405 (the exception type only)
from xml.sax.saxutils import escape, quoteattr  # noqa: S406 (writing, not parsing)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

CVR_SCOPE = re.compile(r"^urn:dk:gov:saml:cvrNumberIdentifier:([0-9]{8})$")
MAX_VALUE_CHARS = 100_000  # a privilege list far longer than any real one is refused unread


class UlaeseligeRettigheder(ValueError):
    """The attribute's value is not a base64-encoded privilege list."""


@dataclass(frozen=True)
class Privilegium:
    scope: str
    rolle_uri: str

    @property
    def cvr(self) -> str | None:
        """The CVR number the scope names, or None for another kind of scope (SE, P, CPR)."""
        found = CVR_SCOPE.match(self.scope)
        return found.group(1) if found else None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def privilegier(values: list[str]) -> list[Privilegium]:
    """Every (scope, role URI) pair in the attribute's values, in order."""
    found = []
    for value in values:
        if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
            raise UlaeseligeRettigheder("not a privilege list")
        try:
            xml = base64.b64decode("".join(value.split()), validate=True)
            root = fromstring(xml, forbid_dtd=True)
        except (binascii.Error, ValueError, ParseError, DefusedXmlException) as exc:
            raise UlaeseligeRettigheder("not a base64-encoded privilege list") from exc
        if _local(root.tag) != "PrivilegeList":
            raise UlaeseligeRettigheder("the root element is not a PrivilegeList")
        for group in root:
            if _local(group.tag) != "PrivilegeGroup":
                continue
            scope = (group.get("Scope") or "").strip()
            for element in group:
                if _local(element.tag) == "Privilege" and (element.text or "").strip():
                    found.append(Privilegium(scope, element.text.strip()))
    return found


def privilegieliste(grupper: dict[str, list[str]], *, namespace: str | None = None) -> str:
    """The attribute value for {scope: [role URI, ...]}, base64-encoded (for the demo, the
    tests' identity provider and the docs' example)."""
    namespace = namespace or "http://digst.dk/oiosaml/basic_privilege_profile"
    body = "".join(
        f"<PrivilegeGroup Scope={quoteattr(scope)}>"
        + "".join(f"<Privilege>{escape(uri)}</Privilege>" for uri in uris)
        + "</PrivilegeGroup>"
        for scope, uris in grupper.items()
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<bpp:PrivilegeList xmlns:bpp="{namespace}">{body}</bpp:PrivilegeList>'
    )
    return base64.b64encode(xml.encode()).decode()


def cvr_scope(cvr: str) -> str:
    return f"urn:dk:gov:saml:cvrNumberIdentifier:{cvr}"
