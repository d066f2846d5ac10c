"""The API's JSON parser: DRF's, with the limits of SPEC 8.

JSON nested deeper than `MAX_DEPTH` and strings with a lone surrogate (`"\\ud800"`, which no
UTF-8 text can hold, so it would fail later when stored or rendered; the check is
`accessrules.core.tekst`'s) are refused as DRF's ParseError (400 1014) with one log line, never
a traceback. Python's parser stops by itself
(RecursionError) near 1,000 levels; below that the parsed value is walked without recursion, and
only when the text could break a limit at all (more than `MAX_DEPTH` brackets, a `\\uD8..`-
`\\uDF..` escape), so an ordinary message costs two counts and one search.
The body's size is bounded before it is read (config.middleware.BodySizeLimitMiddleware).
"""

import logging
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

from accessrules.core.tekst import lone_surrogate

logger = logging.getLogger(__name__)

MAX_DEPTH = 100  # SPEC 8

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # in the text: the JSON escape of one


def violated_limit(data, *, depth: bool = True, surrogates: bool = True) -> str | None:
    """Which limit parsed JSON breaks, if any: arrays and objects nested deeper than
    `MAX_DEPTH` (the outermost is level 1), or a key or string with a lone surrogate."""
    pending = [(data, 1)]
    while pending:
        value, level = pending.pop()
        if isinstance(value, str):
            if surrogates and lone_surrogate(value):
                return "a string with a lone surrogate"
        elif isinstance(value, dict | list):
            if depth and level > MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels"
            if isinstance(value, dict):
                pending.extend((key, level) for key in value)
                value = value.values()
            pending.extend((item, level + 1) for item in value)
    return None


def _refused(reason: str) -> ParseError:
    logger.info("JSON body refused: %s", reason)
    return ParseError(f"JSON parse error - {reason}")


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - not {encoding} text") from exc
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError as exc:
            raise _refused(f"nested deeper than {MAX_DEPTH} levels") from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        deep = text.count("[") + text.count("{") > MAX_DEPTH
        surrogates = _SURROGATE_ESCAPE.search(text) is not None
        if deep or surrogates:
            reason = violated_limit(data, depth=deep, surrogates=surrogates)
            if reason:
                raise _refused(reason)
        return data
