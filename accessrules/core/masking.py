"""A logging filter that masks anything shaped like a CPR number in every log record."""

import logging
import re

_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def mask_cpr_text(text: str) -> str:
    return _CPR_LIKE.sub(r"\1-xxxx", text)


class MaskCprFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            return True
        masked = mask_cpr_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_cpr_text(logging.Formatter().formatException(record.exc_info))
        return True
