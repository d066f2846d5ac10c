"""Log lines as JSON (`LOG_FORMAT=json`), and the request id they carry.

A record is masked by accessrules.core.masking.MaskCprFilter on the handler before it is formatted
here; the request id is the caller's x-requestId (config.middleware.LogContextMiddleware), masked
too since a client chooses it.
"""

import contextlib
import contextvars
import datetime
import json
import logging

from accessrules.core.masking import mask_cpr_text

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "borgerindsats_request_id", default=None
)


@contextlib.contextmanager
def request_id_context(request_id: str):
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Sets `record.request_id`: the id of the request being served in this context, or None."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and request_id
    and exception when there are any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = mask_cpr_text(request_id)
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_cpr_text(self.formatException(record.exc_info))
        if record.exc_text:
            entry["exception"] = record.exc_text
        # ASCII: a lone surrogate in a message is escaped, never a failed write
        return json.dumps(entry, default=str)
