"""djangosaml2's views with this service's refusals: a sign-in that is not accepted (a bad
signature, an expired assertion, no known role, an unknown organisation, more than one
organisation, a local account's user name) gets a Danish page, status 403, no session, and one
log line with the reason and at most the user name. Mounted only where SAML sign-in is set
up (urls.py); otherwise, too, they answer a Danish 404."""

import logging

from django.conf import settings
from djangosaml2 import views
from saml2.response import StatusError, UnsolicitedResponse, VerificationError
from saml2.sigver import MissingKey, SignatureError
from saml2.validate import ResponseLifetimeExceed, ToEarly

from accessrules.saml.sider import afvist_side, ikke_sat_op
from accessrules.saml.tildeling import Afvisning, tag_rolle_fra, tildeling_fra

logger = logging.getLogger("accessrules.saml")

# pysaml2's refusal of the answer itself (before anything in it is read) -> (log code, page)
_PROTOKOLFEJL = [
    (
        (SignatureError, MissingKey),
        "signatur",
        "Svaret fra din organisations login har ikke en gyldig signatur, så det kan ikke bruges.",
    ),
    (
        (ResponseLifetimeExceed, ToEarly),
        "udloebet",
        "Svaret fra din organisations login er udløbet (eller endnu ikke gyldigt). "
        "Prøv at logge ind igen.",
    ),
    (
        (UnsolicitedResponse,),
        "uopfordret",
        "Svaret fra din organisations login hører ikke til et login, der er begyndt her. "
        "Begynd forfra.",
    ),
    (
        (VerificationError,),
        "betingelser",
        "Svaret fra din organisations login opfylder ikke betingelserne for at blive brugt her "
        "(gyldighedsperiode eller modtager). Prøv at logge ind igen.",
    ),
    ((StatusError,), "idp-afvist", "Din organisations login afviste at logge dig ind."),
]
_ANDEN_FEJL = ("fejl", "Login mislykkedes. Prøv igen, eller kontakt en administrator.")


class LoginView(views.LoginView):
    def get(self, request, *args, **kwargs):
        if not settings.SAML_ENABLED:
            return ikke_sat_op(request)
        return super().get(request, *args, **kwargs)


class MetadataView(views.MetadataView):
    def get(self, request, *args, **kwargs):
        if not settings.SAML_ENABLED:
            return ikke_sat_op(request)
        return super().get(request, *args, **kwargs)


class AssertionConsumerServiceView(views.AssertionConsumerServiceView):
    def post(self, request, *args, **kwargs):
        if not settings.SAML_ENABLED:
            return ikke_sat_op(request)
        return super().post(request, *args, **kwargs)

    def authenticate_user(self, request, session_info, *args, **kwargs):
        """Decide before djangosaml2 signs anyone in (its own refusal would log the whole
        assertion); a refusal on what the assertion says takes a stored role away."""
        try:
            tildeling_fra(session_info)
        except Afvisning as afvisning:
            tag_rolle_fra(afvisning)
            raise
        return super().authenticate_user(request, session_info, *args, **kwargs)

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        if isinstance(exception, Afvisning):
            logger.warning(
                "SAML-login afvist (%s): bruger %s", exception.kode, exception.brugernavn or "-"
            )
            return afvist_side(request, exception.besked)
        kode, besked = next(
            ((k, b) for typer, k, b in _PROTOKOLFEJL if isinstance(exception, typer)), _ANDEN_FEJL
        )
        logger.warning("SAML-login afvist (%s)", kode)
        return afvist_side(request, besked)
