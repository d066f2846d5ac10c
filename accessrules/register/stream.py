"""The register document read from a file as a stream (ijson's C parser), so that memory does
not grow with the document: never the whole document in memory, one record at a time.

The file is read several times: first a scan (`JsonFile.scan`) that checks the whole
document before anything is written (UTF-8, JSON, a top-level object of known sections, each a
list or null, no lone surrogate in an escape) and counts each section's records; then once per
section, in the sections' order, yielding its records. A file that is not seekable (standard
input) is spooled to a temporary file first.

ijson's C parser reads a lone surrogate escape (`"\\ud800"`) as `?`, so the scan looks for
them (and NULs) in the bytes (`_Surrogates`); when it finds one, a second scan with ijson's
Python parser (which keeps them) names the string, as every other error names its record."""

import codecs
import re
import shutil
import tempfile
from collections.abc import Iterator

import ijson

from accessrules.core.tekst import first_unstorable
from accessrules.register.framework import UNSTORABLE, RecordError, storable

READ_SIZE = 1 << 16


class DocumentError(Exception):
    """The file is not a JSON document (the message says why, without its content)."""


# An escape: a surrogate pair, a lone surrogate or a NUL (group 1), or any other (`\\\\`
# included, so that an escaped backslash followed by `ud800` is not taken for one).
_ESCAPE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    rb"|\\(u[dD][89a-fA-F]|u0000)|\\.",
    re.DOTALL,
)
_LONGEST = 12  # bytes of a surrogate pair's escapes


class _Surrogates:
    """A binary file's reader that raises _LoneSurrogate at the first escape of a lone
    surrogate or a NUL in what it has read (and skips a UTF-8 byte order mark). The only way
    text no database can store gets into the C parser's strings (a raw NUL, a UTF-8-encoded
    surrogate are errors of JSON or UTF-8), so its records need no check of their own."""

    def __init__(self, raw):
        self.raw, self.carry, self.first = raw, b"", True

    def read(self, size: int = READ_SIZE) -> bytes:
        data = self.raw.read(size)
        if self.first:
            self.first = False
            data = data.removeprefix(codecs.BOM_UTF8)
        buffer = self.carry + data
        # escapes starting before `end` are whole in the buffer (at EOF: all of them)
        end = max(len(buffer) - _LONGEST, 0) if data else len(buffer)
        resume = 0
        for match in _ESCAPE.finditer(buffer):
            if match.start() >= end:
                break
            if match.group(1) is not None:
                raise _LoneSurrogate
            resume = match.end()
        self.carry = buffer[max(resume, end) :]
        return data


class _LoneSurrogate(Exception):
    pass


class _Bom:
    """A binary file's reader that skips a UTF-8 byte order mark."""

    def __init__(self, raw):
        self.raw, self.first = raw, True

    def read(self, size: int = READ_SIZE) -> bytes:
        data = self.raw.read(size)
        if self.first:
            self.first, data = False, data.removeprefix(codecs.BOM_UTF8)
        return data


class JsonFile:
    """The register document in a file; `scan()` first, then `records(key)` per section."""

    def __init__(self, handle):
        """handle: a binary file; one that cannot seek is copied to a temporary file."""
        if not handle.seekable():
            spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the document)
            shutil.copyfileobj(handle, spool, READ_SIZE)
            handle = spool
        self.handle = handle
        self.counts: dict[str, int | None] = {}

    def scan(self, known: set[str]) -> dict[str, int | None]:
        """Check the whole document; its sections -> their number of records (None: null).
        DocumentError for a file that is not JSON, RecordError for a document that is not a
        register document."""
        self.handle.seek(0)
        try:
            self.counts = _scan(ijson.basic_parse(_Surrogates(self.handle), use_float=True))
        except _LoneSurrogate:
            raise self._surrogate() from None
        except UnicodeDecodeError as exc:
            raise DocumentError(f"is not UTF-8 text ({exc.reason})") from exc
        except ijson.JSONError as exc:
            raise DocumentError(f"is not valid JSON: {_reason(exc)}") from exc
        unknown = set(self.counts) - known
        if unknown:
            raise RecordError("document", f"unknown section(s) {sorted(unknown)}")
        return self.counts

    def records(self, key: str) -> Iterator:
        """The section's records, one at a time (the scan found no text that cannot be
        stored); None for a section left out or null."""
        if self.counts.get(key) is None:
            return None
        self.handle.seek(0)
        return ijson.items(_Bom(self.handle), f"{key}.item", use_float=True)

    def _surrogate(self) -> Exception:
        """The error naming the first string with a lone surrogate (ijson's Python parser)."""
        try:
            return self._first_unstorable(ijson.get_backend("python"))
        except UnicodeDecodeError as exc:
            return DocumentError(f"is not UTF-8 text ({exc.reason})")
        except ijson.JSONError as exc:
            return DocumentError(f"is not valid JSON: {_reason(exc)}")

    def _first_unstorable(self, python) -> Exception:
        self.handle.seek(0)
        keys = list(_scan(python.basic_parse(_Bom(self.handle), use_float=True)))
        for key in keys:
            self.handle.seek(0)
            path = first_unstorable(key, "a key")
            if path is None:
                items = python.items(_Bom(self.handle), f"{key}.item", use_float=True)
                try:
                    for record in storable(items, key):
                        del record
                except RecordError as exc:
                    return exc
            else:
                return RecordError(path, UNSTORABLE)
        return RecordError("document", UNSTORABLE)


def _scan(events) -> dict[str, int | None]:
    """basic_parse's events -> top-level key -> records in its list (None: null). RecordError
    for a document that is not an object, or a section that is not a list or null."""
    counts: dict[str, int | None] = {}
    depth, key = 0, None
    for event, value in events:
        if depth == 0:
            if event != "start_map":
                raise RecordError("document", "must be a JSON object")
            depth = 1
        elif depth == 1:
            if event == "map_key":
                key = value
                continue
            if event == "end_map":
                depth = 0
                continue
            if event == "null":
                counts[key] = None
            elif event == "start_array":
                counts[key] = 0
                depth = 2
            else:
                raise RecordError(key, "must be a list")
        elif event in ("start_map", "start_array"):
            if depth == 2:
                counts[key] += 1
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
        elif depth == 2:
            counts[key] += 1
    return counts


def _reason(exc: Exception) -> str:
    """ijson's message without the document's text it quotes (it could hold a CPR)."""
    text = exc.args[0] if exc.args else str(exc)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text).strip().splitlines()[0] if str(text).strip() else type(exc).__name__
