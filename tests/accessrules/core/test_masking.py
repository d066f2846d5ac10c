"""CPR masking (accessrules.core.masking): one CPR, CPR-like numbers in free text, and the
logging filter every log record passes."""

import logging

from accessrules.core.masking import MaskCprFilter, mask_cpr, mask_cpr_text


def test_one_cpr_shows_its_birth_date_only():
    assert mask_cpr("0101901234") == "010190-xxxx"
    assert mask_cpr("") == mask_cpr(None) == ""


def test_cpr_like_numbers_in_text_are_masked_with_or_without_the_hyphen():
    text = "ring om 0101901234 og 020290-4321, ikke 12345678901 eller 123-4567"
    assert mask_cpr_text(text) == (
        "ring om 010190-xxxx og 020290-xxxx, ikke 12345678901 eller 123-4567"
    )


def _record(msg, args=None, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, exc_info)


def test_the_filter_masks_the_message_and_its_arguments_and_keeps_the_record():
    record = _record("opslag på %s", ("0101901234",))
    assert MaskCprFilter().filter(record) is True
    assert record.getMessage() == "opslag på 010190-xxxx"


def test_the_filter_masks_a_traceback():
    try:
        raise ValueError("0101901234 findes ikke")
    except ValueError as exc:
        record = _record("fejl", exc_info=(type(exc), exc, exc.__traceback__))
    MaskCprFilter().filter(record)
    assert "010190-xxxx findes ikke" in record.exc_text and "0101901234" not in record.exc_text


def test_a_broken_format_string_keeps_the_record():
    record = _record("%s %s", ("one",))
    assert MaskCprFilter().filter(record) is True
