"""Rule errors as caseworkers read them: the code, the seed's text and the Danish explanation,
both from the code's row in `accessrules.core.errors` (or, for a rule whose code is shared,
its `Regel.forklaring`: pass it as `forklaring`)."""

from accessrules.core.errors import Violation, lookup


def fejlbesked(violation: Violation, forklaring: str | None = None) -> str:
    """`9196 «seed text» – Danish explanation (felt: field)`."""
    forklaring = forklaring or lookup(violation.code).forklaring
    text = f"{violation.code} «{violation.text}» – {forklaring}"
    if violation.field:
        text += f" (felt: {violation.field})"
    return text
