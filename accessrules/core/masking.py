"""Masking CPR numbers (SPEC 7): one CPR as DDMMYY-xxxx (`mask_cpr`), CPR-like numbers in
free text (`mask_cpr_text`), and a logging filter that masks them in every log record. No
framework: the admin, the API's problems and the log configuration all use these."""

import logging
import re

_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def mask_cpr(cpr: str | None) -> str:
    """DDMMYY-xxxx: what caseworkers without the full-CPR permission, and logs, may show."""
    if not cpr:
        return ""
    return f"{cpr[:6]}-xxxx"


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
