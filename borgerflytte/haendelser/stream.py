"""Reading a file of CPR events one event at a time, so that a file of 100,000 events is never
held in memory: either the API's document `{"haendelser": [EVENT, ...]}` (read with the
standard library's JSON decoder, one array element at a time) or JSON Lines, one event per
line. Each item names where it stands (`line 17`, `haendelser[16] (line 17)`) for messages.

The document form is recognised by its start, `{"haendelser":`; anything else is read as JSON
Lines. A syntax error in the document stops the reading (what follows cannot be placed); in
JSON Lines a bad line is one bad item and the next line is read. An element or line longer
than MAX_EVENT_CHARS is refused, which bounds the memory either way.
"""

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

READ_SIZE = 1 << 16
MAX_EVENT_CHARS = 1 << 20  # an event is some 150 characters
_DOCUMENT = re.compile(r'\A\s*\{\s*"haendelser"\s*:')
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


@dataclass(frozen=True)
class Item:
    """One event as read: `where` for messages, `felt` to prefix its field paths, and either
    its JSON value or, when the text was not JSON, the `error`."""

    where: str
    felt: str
    value: object = None
    error: str | None = None


class StreamError(Exception):
    """The document cannot be read on from here."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")


def read_events(handle: TextIO) -> Iterator[Item]:
    """The events of a seekable text file, in order, from its start."""
    head = handle.read(4096)
    handle.seek(0)
    if _DOCUMENT.match(head):
        return _Document(handle).events()
    return _lines(handle)


def _lines(handle: TextIO) -> Iterator[Item]:
    number = 0
    while line := handle.readline(MAX_EVENT_CHARS):
        number += 1
        where = f"line {number}"
        if len(line) == MAX_EVENT_CHARS and not line.endswith("\n"):
            while (rest := handle.readline(MAX_EVENT_CHARS)) and not rest.endswith("\n"):
                pass
            yield Item(where, "", error=f"longer than {MAX_EVENT_CHARS} characters")
            continue
        if not line.strip():
            continue
        try:
            value = _DECODER.decode(line)
        except json.JSONDecodeError as exc:
            yield Item(where, "", error=f"not valid JSON ({exc.msg}, column {exc.colno})")
        except (ValueError, RecursionError) as exc:
            yield Item(where, "", error=f"not valid JSON ({exc})")
        else:
            yield Item(where, "", value)


class _Document:
    """`{"haendelser": [ ... ]}` through a window of the text: `buffer[pos:]` is unread,
    `line` is the line number at `buffer[0]`."""

    def __init__(self, handle: TextIO):
        self.handle, self.buffer, self.pos, self.line, self.eof = handle, "", 0, 1, False

    def events(self) -> Iterator[Item]:
        self._expect("{")
        if self._value("the key") != "haendelser":
            raise StreamError(self._where(), 'expected the key "haendelser"')
        self._expect(":")
        self._expect("[")
        if self._peek() == "]":
            self.pos += 1
        else:
            for index in itertools.count():
                felt = f"haendelser[{index}]"
                self._skip_whitespace()
                where = f"{felt} ({self._where()})"
                yield Item(where, felt, self._value(where))
                if self._peek() == "]":
                    self.pos += 1
                    break
                self._expect(",", after=where)
        self._expect("}")
        if self._peek():
            raise StreamError(self._where(), "more after the document's end")

    def _more(self) -> bool:
        """Read on; keep the unread part. False at the end of the file."""
        chunk = self.handle.read(READ_SIZE)
        if not chunk:
            self.eof = True
            return False
        self.line += self.buffer.count("\n", 0, self.pos)
        self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0
        return True

    def _where(self, at: int | None = None) -> str:
        lines = self.buffer.count("\n", 0, self.pos if at is None else at)
        return f"line {self.line + lines}"

    def _skip_whitespace(self) -> None:
        while True:
            self.pos = _WHITESPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer) or not self._more():
                return

    def _peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        self._skip_whitespace()
        return self.buffer[self.pos : self.pos + 1]

    def _expect(self, char: str, *, after: str = "") -> None:
        if self._peek() != char:
            found = repr(self._peek()) if self._peek() else "the end of the file"
            context = f" after {after}" if after else ""
            raise StreamError(self._where(), f"expected {char!r}{context}, found {found}")
        self.pos += 1

    def _value(self, where: str) -> object:
        """The JSON value at pos, reading on while it may be incomplete."""
        self._skip_whitespace()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof or len(self.buffer) - self.pos > MAX_EVENT_CHARS or not self._more():
                    message = f"not valid JSON ({exc.msg}, {self._where(exc.pos)})"
                    raise StreamError(where, message) from None
                continue
            except (ValueError, RecursionError) as exc:
                raise StreamError(where, f"not valid JSON ({exc})") from None
            # a value that ends with the window may go on (a number): read on and decode again
            if end == len(self.buffer) and not self.eof and self._more():
                continue
            self.pos = end
            return value
