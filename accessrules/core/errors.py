"""The error registry: every code the service answers with, its text and its HTTP status.

Each row is the one place a code is described: its text, its status and its Danish
explanation. Seed codes carry the seed's Fejltekst verbatim (seeds/000_*, seeds/002_*);
statuses follow SPEC 4. Codes >= 40000 are this service's generic codes for what the seeds do
not name (authentication, scopes, the active organisation, routing, reused request ids,
internal errors).
Rules, services and access raise `DomainError` (one or more `Violation`s); the API layer maps it
to problem+json (`accessrules.api.problems`), the admin to form errors, a command to a message.
Nothing here knows a web framework.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field


@dataclass(frozen=True)
class ErrorCode:
    """One code: the seed's text (English, verbatim), its HTTP status, what it means to a
    caseworker (Danish: what happened, what to do), shown with it in the admin and commands, and
    how an integrator fixes it (`raad`, one English sentence)."""

    code: int
    text: str
    status: int
    forklaring: str
    raad: str  # how to fix it, in English: the `detail` when a check gave none, `/fejl/<code>`


_CODES = [
    # --- seed 000: BorgerFlytte ---
    ErrorCode(
        3,
        "Elementet findes ikke",
        404,
        "Borgerflytningen findes ikke.",
        "No such element for you: the flow does not exist, is cancelled, belongs to "
        "another citizen, or you are not on the side you confirm. Check "
        "borgerflytningId, the CPR header and the active organisation.",
    ),
    ErrorCode(
        60007,
        "The person with specified cpr is dead",
        409,
        "Borgeren er død; flytningen kan ikke bekræftes.",
        "The citizen is dead, so the flow cannot be confirmed; a caseworker cancels it.",
    ),
    # --- seed 002: Asylovergivelse ---
    ErrorCode(
        1010,
        "Unknown cpr",
        404,
        "CPR-nummeret kendes ikke af tjenesten.",
        "No citizen has this CPR number; check the number (only a caller who may see "
        "all citizens is told so).",
    ),
    ErrorCode(
        1014,
        "Failed to validate message",
        400,
        "Oplysningerne har ikke den rigtige form; ret det markerede felt.",
        "The message is not valid: the field of this entry names what is at fault (a "
        "field, header or parameter). Send it as the OpenAPI document describes it.",
    ),
    ErrorCode(
        4753,
        "The clients jobnet cv has been archived",
        409,
        "Borgerens jobnet-CV er arkiveret, så datoerne kan ikke sættes.",
        "The citizen's jobnet CV is archived; it must be reopened in Jobnet before the "
        "dates can be set.",
    ),
    ErrorCode(
        4754,
        "The clients jobnet cv has been disabled",
        409,
        "Borgerens jobnet-CV er deaktiveret, så datoerne kan ikke sættes.",
        "The citizen's jobnet CV is disabled; it must be enabled in Jobnet before the "
        "dates can be set.",
    ),
    ErrorCode(
        4823,
        "The clients jobnet cv is locked",
        409,
        "Borgerens jobnet-CV er låst, så datoerne kan ikke sættes.",
        "The citizen's jobnet CV is locked; it must be unlocked in Jobnet before the "
        "dates can be set.",
    ),
    ErrorCode(
        6005,
        "The person with specified cpr does not belong to the jobcenter specified in "
        "ActiveOrganisationHeader",
        403,
        "Borgeren hører ikke til den organisation, der handles for.",
        "The citizen is not one your active organisation may see for this operation "
        "(see the operation's access table); act for the organisation the citizen "
        "belongs to.",
    ),
    ErrorCode(
        9196,
        "The CVEditEndDate must be greater than or equal to the AsylumTransitionDate",
        400,
        "CVEditEndDate skal være samme dag som eller efter overgivelsesdatoen.",
        "CVEditEndDate is before overgivelsesdato; send a CVEditEndDate on or after it.",
    ),
    ErrorCode(
        9197,
        "The period between AsylumTransitionDate and CVEditEndDate is too long",
        400,
        "Der er for mange dage mellem overgivelsesdatoen og CVEditEndDate.",
        "CVEditEndDate is too long after overgivelsesdato; bring it within the allowed "
        "number of days (92 by default).",
    ),
    ErrorCode(
        9198,
        "AsylumTransitionDate and CVEditEndDate is not allowed to be set for this contact group",
        409,
        "Borgerens kontaktgruppe giver ikke ret til en asylovergivelse.",
        "The citizen's contact group does not allow an asylum transition (allowed: "
        "flygtning, familiesammenfoert).",
    ),
    ErrorCode(
        9200,
        "CVEditEndDate has passed and updates to CVEditEndDate and AsylumTransitionDate are not "
        "allowed",
        409,
        "CVEditEndDate er passeret; datoerne kan ikke længere ændres.",
        "The stored CVEditEndDate has passed, so CVEditEndDate and overgivelsesdato can"
        " no longer change; send them as stored.",
    ),
    ErrorCode(
        9201,
        "CVEditEndDate and AsylumTransitionDate is not registered for this citizen and cannot be "
        "updated",
        409,
        "Borgeren har ingen asylovergivelse at rette; opret den først.",
        "The citizen has no transition to update; create it with POST first.",
    ),
    ErrorCode(
        9202,
        "A correction comment is mandatory when changing the AsylumTransitionDate",
        400,
        "Skriv en kommentar, når overgivelsesdatoen ændres.",
        "overgivelsesdato changes, so kommentar is required; say why in kommentar.",
    ),
    ErrorCode(
        9243,
        "The early transition dates must be equal to or before the AsylumTransitionDate",
        400,
        "De tidlige overgivelsesdatoer skal ligge på eller før overgivelsesdatoen.",
        "An early date is after overgivelsesdato; send it on or before "
        "overgivelsesdato, or leave it out.",
    ),
    ErrorCode(
        9244,
        "The municipality code is incoherent with the caller",
        403,
        "Kommunekoden passer ikke til den, der handler.",
        "overgivelseskommunekode must be your own kommune's code (a jobcentre xxxNN "
        "names kommune xxx); only STAR may name another, or -1.",
    ),
    ErrorCode(
        9295,
        "Deadline for CV update and transitiondate on Create/Update (AsylumTransitionDate) is not "
        "the same",
        400,
        "Datoerne passer ikke sammen ved oprettelse/rettelse.",
        "For a familiesammenført citizen CVEditEndDate must equal overgivelsesdato.",
    ),
    ErrorCode(
        9296,
        "The former transition dates is not supposed to be present",
        400,
        "De tidlige overgivelsesdatoer må ikke angives her.",
        "For a familiesammenført citizen leave the early dates out (or null).",
    ),
    ErrorCode(
        9302,
        "An asylum transition for the specified citizen already exists",
        409,
        "Borgeren har allerede en asylovergivelse; ret den i stedet.",
        "The citizen already has a transition; change it with PUT instead.",
    ),
    ErrorCode(
        9336,
        "CV number has to be specified",
        409,
        "Borgeren har intet jobnet-CV-nummer.",
        "The citizen has no jobnet CV; one must exist in Jobnet before the dates can be set.",
    ),
    ErrorCode(
        9338,
        "Call to GetCV failed",
        502,
        "Kaldet til CV-tjenesten (GetCV) fejlede; prøv igen senere.",
        "Reading the citizen's CV from the CV service failed; nothing was stored. Retry"
        " later with the same x-requestId.",
    ),
    # 9344/9345 are listed by the seed but no SPEC rule raises them; kept for completeness.
    ErrorCode(
        9344,
        "Missing or incorrect data, profile cannot be retrieved",
        502,
        "CV-tjenesten mangler data; profilen kan ikke hentes.",
        "The CV service could not return the profile; retry later.",
    ),
    ErrorCode(
        9345,
        "Missing or incorrect data gives warning",
        409,
        "CV-tjenesten advarer om manglende eller forkerte data.",
        "The CV service warned about missing or incorrect data.",
    ),
    ErrorCode(
        9346,
        "Call to CVServiceForDFDG failed",
        502,
        "Kaldet til CV-tjenesten fejlede; intet blev gemt. Prøv igen senere.",
        "Telling the CV service the deadline failed; nothing was stored. Retry later "
        "with the same x-requestId.",
    ),
    # --- generic codes of this service (not in the seeds) ---
    ErrorCode(
        40100,
        "Authentication credentials were not provided or are invalid",
        401,
        "Kalderen er ikke logget ind, eller adgangsnøglen er ugyldig.",
        "Send a valid, unexpired token: Authorization: Bearer <the access_token from "
        "POST /oauth/token/>.",
    ),
    ErrorCode(
        40300,
        "The access token does not carry the scope this operation requires",
        403,
        "Adgangsnøglen giver ikke ret til denne handling.",
        "The token lacks the scope this operation needs; get a token with it (the "
        "operator must give your client the scope).",
    ),
    ErrorCode(
        40301,
        "The API client may not act for the active organisation",
        403,
        "API-klienten må ikke handle for den angivne organisation.",
        "Your API client is not bound to the active organisation named by "
        "x-activeOrganisationTypeIdentifier and x-activeOrganisationCode; name one it "
        "is bound to.",
    ),
    ErrorCode(
        40302,
        "The API client may not perform this operation",
        403,
        "API-klienten må ikke udføre denne handling.",
        "This API client may not perform this operation.",
    ),
    ErrorCode(
        40400,
        "The requested resource does not exist",
        404,
        "Adressen findes ikke.",
        "No such path; GET /v1/ lists the operations.",
    ),
    ErrorCode(
        40500,
        "Method not allowed",
        405,
        "Adressen tillader ikke denne metode.",
        "This path does not take this method; see the Allow header.",
    ),
    ErrorCode(
        40600,
        "The requested response format is not available",
        406,
        "Svaret findes ikke i det ønskede format.",
        "Accept application/json (errors come as application/problem+json).",
    ),
    ErrorCode(
        41200,
        "The x-requestId has already been used by this API client",
        412,
        "Kaldets x-requestId er brugt før af samme API-klient.",
        "This x-requestId was used by a write of yours that committed: the first "
        "attempt succeeded. Send a fresh id with a new write.",
    ),
    ErrorCode(
        41300,
        "The request body is too large",
        413,
        "Kaldets indhold er for stort.",
        "The body is larger than the service accepts; send a smaller one.",
    ),
    ErrorCode(
        41500,
        "Unsupported media type: send application/json",
        415,
        "Kaldets indhold skal være JSON (application/json).",
        "Send the body as JSON with Content-Type: application/json.",
    ),
    ErrorCode(
        42900,
        "Too many requests",
        429,
        "For mange kald; vent lidt og prøv igen.",
        "Too many requests; wait as long as Retry-After says, then retry.",
    ),
    ErrorCode(
        50000,
        "An internal error occurred",
        500,
        "Der skete en intern fejl.",
        "The service failed; retry later (with the same x-requestId for a write).",
    ),
    ErrorCode(
        50300,
        "The service is temporarily unavailable",
        503,
        "Tjenesten er midlertidigt utilgængelig; prøv igen senere.",
        "The service is temporarily unavailable; retry later (with the same x-requestId"
        " for a write).",
    ),
]

REGISTRY: dict[int, ErrorCode] = {entry.code: entry for entry in _CODES}
assert len(REGISTRY) == len(_CODES), "duplicate error code in the registry"

# Named constants for the generic codes, so call sites read as words.
NOT_AUTHENTICATED = 40100
SCOPE_MISSING = 40300
ORGANISATION_NOT_BOUND = 40301
OPERATION_FORBIDDEN = 40302
NOT_FOUND = 40400
METHOD_NOT_ALLOWED = 40500
NOT_ACCEPTABLE = 40600
REQUEST_ID_REUSED = 41200
BODY_TOO_LARGE = 41300
UNSUPPORTED_MEDIA_TYPE = 41500
THROTTLED = 42900
INTERNAL_ERROR = 50000
UNAVAILABLE = 50300
VALIDATION_FAILED = 1014
ELEMENT_NOT_FOUND = 3
UNKNOWN_CPR = 1010
CITIZEN_NOT_ACCESSIBLE = 6005


def lookup(code: int) -> ErrorCode:
    return REGISTRY[code]


@dataclass(frozen=True)
class Violation:
    """One entry of a problem's `errors` list: a registry code, optionally the field at fault
    (as the seed spells it, or a header name) and a short English `detail` saying what is wrong
    and how to fix it (the expected format, the limit, "unknown key"; never a CPR)."""

    code: int
    field: str | None = None
    detail: str | None = None
    # the name of the `Regel` that found it, when one did: what it means is that rule's (the
    # admin's explanation); never in the body
    regel: str | None = dataclass_field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        return lookup(self.code).text

    def as_dict(self) -> dict:
        entry = {"code": self.code, "text": self.text}
        if self.field:
            entry["field"] = self.field
        if self.detail:
            entry["detail"] = self.detail
        return entry

    def __str__(self) -> str:
        return f"{self.code} {self.text}" + (f" ({self.field})" if self.field else "")


class DomainError(Exception):
    """A refusal by the rules, a service or the access decision: its violations, all of one
    stage (so of one HTTP status: the first violation's). `borger` is the citizen the refused
    call concerned, once known (for its access-log row; `accessrules.access.concerning`)."""

    borger: object | None = None

    def __init__(self, *violations: Violation | int):
        self.violations = [v if isinstance(v, Violation) else Violation(v) for v in violations]
        if not self.violations:
            raise ValueError("DomainError needs at least one violation")
        super().__init__("; ".join(str(v) for v in self.violations))

    @classmethod
    def of(cls, code: int, field: str | None = None) -> "DomainError":
        return cls(Violation(code, field))

    @property
    def status(self) -> int:
        return lookup(self.violations[0].code).status

    @property
    def codes(self) -> list[int]:
        return [v.code for v in self.violations]
