"""Text that cannot be stored: a lone surrogate (`"\\ud800"`, valid in a JSON escape, held by no
UTF-8 text, so it fails when written to PostgreSQL or printed) or a NUL (which PostgreSQL's text
and jsonb refuse). What the API's JSON parser refuses, for every other reader of JSON (the
commands' files, the CPR feed's validation). No framework: plain Python."""

import re

_SURROGATES = "\ud800-\udfff"
_UNSTORABLE = re.compile(f"[\x00{_SURROGATES}]")
_LONE_SURROGATE = re.compile(f"[{_SURROGATES}]")


def unstorable(text: str) -> bool:
    return _UNSTORABLE.search(text) is not None


def lone_surrogate(text: str) -> bool:
    """The part of `unstorable` that the API's JSON parser refuses for the whole body: a NUL
    it leaves to the message's fields, which name the field at fault."""
    return _LONE_SURROGATE.search(text) is not None


def first_unstorable(value: object, where: str = "") -> str | None:
    """The path (`borgere[3].cv.nummer`) of the first key or string in parsed JSON that
    cannot be stored, or None. Walks without recursion, so any depth is safe."""
    pending = [(value, where)]
    while pending:
        item, path = pending.pop()
        if isinstance(item, str):
            if unstorable(item):
                return path or "the document"
        elif isinstance(item, dict):
            for key, inner in item.items():
                if unstorable(key):
                    return f"{path} (a key)" if path else "a key"
                pending.append((inner, f"{path}.{key}" if path else key))
        elif isinstance(item, list):
            pending.extend((inner, f"{path}[{i}]") for i, inner in enumerate(item))
    return None


def printable(text: str) -> str:
    """`text` with what cannot be printed as UTF-8 written as escapes (`\\ud800`)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
