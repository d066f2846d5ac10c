"""What each code means to an integrator and how to fix it, in a short English sentence: the
`detail` of a problem's `errors` entry when the check that found the violation gave none of its
own (a check names the exact format, limit or key where it knows it), and the "how to fix it"
of the code's page (`/fejl/<code>`). Each sentence is its code's registry row's `raad`
(accessrules.core.errors), written there once."""

from accessrules.core import errors

HINTS: dict[int, str] = {code: entry.raad for code, entry in errors.REGISTRY.items()}


def hint(code: int) -> str | None:
    return HINTS.get(code)
