"""djangosaml2's authentication backend for caseworkers: the user is found (or made: staff,
no usable password) by the user name, and the assertion's organisation and role are set on
every sign-in (`accessrules.sagsbehandlere.saet_sagsbehandler`). The view
(`accessrules.saml.views`) has decided before (`tildeling_fra`); deciding again here, on the
same verified assertion, keeps the backend safe on its own."""

from djangosaml2.backends import Saml2Backend

from accessrules.models import RolleKilde
from accessrules.sagsbehandlere import saet_sagsbehandler
from accessrules.saml.tildeling import Afvisning, tildeling_fra


class SagsbehandlerBackend(Saml2Backend):
    def authenticate(self, request, session_info=None, attribute_mapping=None, **kwargs):
        if session_info is None:
            return None  # a password sign-in: ModelBackend's
        try:
            tildeling = tildeling_fra(session_info)
        except Afvisning:
            return None
        user = super().authenticate(
            request, session_info=session_info, attribute_mapping=attribute_mapping, **kwargs
        )
        if user is None:
            return None
        saet_sagsbehandler(
            user,
            organisation=tildeling.organisation,
            rolle=tildeling.rolle,
            kilde=RolleKilde.SAML,
            begrundelse="SAML-login",
        )
        return user

    def clean_user_main_attribute(self, main_attribute):
        return main_attribute.strip() if isinstance(main_attribute, str) else main_attribute
