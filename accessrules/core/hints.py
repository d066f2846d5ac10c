"""What each code means to an integrator and how to fix it, in a short English sentence: the
`detail` of a problem's `errors` entry when the check that found the violation gave none of its
own (a check names the exact format, limit or key where it knows it), and the "how to fix it"
of the code's page (`/fejl/<code>`). One sentence per code of the registry; a test fails on a
code without one."""

from accessrules.core import errors

HINTS: dict[int, str] = {
    3: "No such element for you: the flow does not exist, is cancelled, belongs to another "
    "citizen, or you are not on the side you confirm. Check borgerflytningId, the CPR header and "
    "the active organisation.",
    1010: "No citizen has this CPR number; check the number (only a caller who may see all "
    "citizens is told so).",
    1014: "The message is not valid: the field of this entry names what is at fault (a field, "
    "header or parameter). Send it as the OpenAPI document describes it.",
    4753: "The citizen's jobnet CV is archived; it must be reopened in Jobnet before the dates "
    "can be set.",
    4754: "The citizen's jobnet CV is disabled; it must be enabled in Jobnet before the dates "
    "can be set.",
    4823: "The citizen's jobnet CV is locked; it must be unlocked in Jobnet before the dates can "
    "be set.",
    6005: "The citizen is not one your active organisation may see for this operation (see the "
    "operation's access table); act for the organisation the citizen belongs to.",
    9196: "CVEditEndDate is before overgivelsesdato; send a CVEditEndDate on or after it.",
    9197: "CVEditEndDate is too long after overgivelsesdato; bring it within the allowed number "
    "of days (92 by default).",
    9198: "The citizen's contact group does not allow an asylum transition (allowed: flygtning, "
    "familiesammenfoert).",
    9200: "The stored CVEditEndDate has passed, so CVEditEndDate and overgivelsesdato can no "
    "longer change; send them as stored.",
    9201: "The citizen has no transition to update; create it with POST first.",
    9202: "overgivelsesdato changes, so kommentar is required; say why in kommentar.",
    9243: "An early date is after overgivelsesdato; send it on or before overgivelsesdato, or "
    "leave it out.",
    9244: "overgivelseskommunekode must be your own kommune's code (a jobcentre xxxNN names "
    "kommune xxx); only STAR may name another, or -1.",
    9295: "For a familiesammenført citizen CVEditEndDate must equal overgivelsesdato.",
    9296: "For a familiesammenført citizen leave the early dates out (or null).",
    9302: "The citizen already has a transition; change it with PUT instead.",
    9336: "The citizen has no jobnet CV; one must exist in Jobnet before the dates can be set.",
    9338: "Reading the citizen's CV from the CV service failed; nothing was stored. Retry later "
    "with the same x-requestId.",
    9344: "The CV service could not return the profile; retry later.",
    9345: "The CV service warned about missing or incorrect data.",
    9346: "Telling the CV service the deadline failed; nothing was stored. Retry later with the "
    "same x-requestId.",
    60007: "The citizen is dead, so the flow cannot be confirmed; a caseworker cancels it.",
    errors.NOT_AUTHENTICATED: "Send a valid, unexpired token: Authorization: Bearer <the "
    "access_token from POST /oauth/token/>.",
    errors.SCOPE_MISSING: "The token lacks the scope this operation needs; get a token with it "
    "(the operator must give your client the scope).",
    errors.ORGANISATION_NOT_BOUND: "Your API client is not bound to the active organisation "
    "named by x-activeOrganisationTypeIdentifier and x-activeOrganisationCode; name one it is "
    "bound to.",
    errors.OPERATION_FORBIDDEN: "This API client may not perform this operation.",
    errors.NOT_FOUND: "No such path; GET /v1/ lists the operations.",
    errors.METHOD_NOT_ALLOWED: "This path does not take this method; see the Allow header.",
    errors.NOT_ACCEPTABLE: "Accept application/json (errors come as application/problem+json).",
    errors.REQUEST_ID_REUSED: "This x-requestId was used by a write of yours that committed: "
    "the first attempt succeeded. Send a fresh id with a new write.",
    errors.BODY_TOO_LARGE: "The body is larger than the service accepts; send a smaller one.",
    errors.UNSUPPORTED_MEDIA_TYPE: "Send the body as JSON with Content-Type: application/json.",
    errors.THROTTLED: "Too many requests; wait as long as Retry-After says, then retry.",
    errors.INTERNAL_ERROR: "The service failed; retry later (with the same x-requestId for a "
    "write).",
    errors.UNAVAILABLE: "The service is temporarily unavailable; retry later (with the same "
    "x-requestId for a write).",
}


def hint(code: int) -> str | None:
    return HINTS.get(code)
