"""From a verified assertion to the caseworker's organisation and role, or a refusal.

Only the role URIs that `SAML_ROLLER` maps count (an identity provider may carry roles for
other systems). Then: no such role → refused; the roles name more than one scope → refused
(a caseworker belongs to one organisation); a scope that is not a CVR number, or a CVR number
that no organisation of the register carries (SPEC 7a), or one of an organisation that has no
caseworkers (an anden aktør) → refused. Support and Sagsbehandler for the same organisation
is Support (it includes reading). The user name is the NameID, or `SAML_USERNAME_ATTRIBUTE`.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from accessrules.models import Organisation, Rolle
from accessrules.models.sagsbehandler import SAGSBEHANDLER_TYPER
from accessrules.sagsbehandlere import er_lokal_konto, fjern_rolle
from accessrules.saml.rettigheder import UlaeseligeRettigheder, privilegier


@dataclass(frozen=True)
class Tildeling:
    brugernavn: str
    organisation: Organisation
    rolle: Rolle


class Afvisning(PermissionDenied):
    """A sign-in refused after the assertion was verified: `kode` for the log line, `besked`
    (Danish) for the page; `tag_rolle` when what the assertion says takes a stored role away.
    A PermissionDenied, as djangosaml2's view expects of a refused sign-in."""

    def __init__(self, kode: str, besked: str, *, brugernavn: str = "", tag_rolle: bool = True):
        super().__init__(kode)
        self.kode, self.besked, self.brugernavn = kode, besked, brugernavn
        self.tag_rolle = tag_rolle


INGEN_ROLLE = (
    "Dit login giver dig ingen rolle i Borgerindsats (hverken Sagsbehandler eller Support). "
    "Bed din organisations administrator om at tildele dig en af dem."
)


def brugernavn_fra(session_info: dict) -> str:
    if settings.SAML_USERNAME_ATTRIBUTE:
        values = session_info.get("ava", {}).get(settings.SAML_USERNAME_ATTRIBUTE) or [""]
        return str(values[0] or "").strip()
    name_id = session_info.get("name_id")
    return (getattr(name_id, "text", "") or "").strip()


def tildeling_fra(session_info: dict) -> Tildeling:
    """The organisation and role that the verified assertion gives, else `Afvisning`."""
    brugernavn = brugernavn_fra(session_info)
    max_length = get_user_model()._meta.get_field("username").max_length
    if not brugernavn or len(brugernavn) > max_length:
        raise Afvisning(
            "brugernavn",
            "Dit login har intet brugernavn, som Borgerindsats kan bruge. Kontakt din "
            "organisations administrator.",
            tag_rolle=False,
        )
    values = session_info.get("ava", {}).get(settings.SAML_PRIVILEGE_ATTRIBUTE, [])
    try:
        fundne = [
            (p, Rolle(settings.SAML_ROLLER[p.rolle_uri]))
            for p in privilegier(values)
            if p.rolle_uri in settings.SAML_ROLLER
        ]
    except UlaeseligeRettigheder:
        raise Afvisning(
            "ulaeselige rettigheder",
            "Rettighederne i dit login kunne ikke læses. Kontakt din organisations administrator.",
            brugernavn=brugernavn,
        ) from None
    if not fundne:
        raise Afvisning("ukendt rolle", INGEN_ROLLE, brugernavn=brugernavn)
    scopes = sorted({p.scope for p, _ in fundne})
    if len(scopes) > 1:
        navne = ", ".join(p.cvr or p.scope for p in dict.fromkeys(p for p, _ in fundne))
        raise Afvisning(
            "flere organisationer",
            f"Dit login giver dig roller i flere organisationer ({navne}). En sagsbehandler "
            "hører til én organisation: bed din administrator om at give dig rollen i én.",
            brugernavn=brugernavn,
        )
    privilegium = fundne[0][0]  # every role found has this one scope
    organisation = (
        Organisation.objects.filter(cvr=privilegium.cvr).first() if privilegium.cvr else None
    )
    if organisation is None or organisation.type not in SAGSBEHANDLER_TYPER:
        hvem = f"CVR-nummer {privilegium.cvr}" if privilegium.cvr else f"'{privilegium.scope}'"
        raise Afvisning(
            "ukendt organisation",
            f"Organisationen med {hvem}, som dit login giver dig en rolle i, kender "
            "Borgerindsats ikke som en Kommune, et JobCenter eller STAR.",
            brugernavn=brugernavn,
        )
    roller = {rolle for _, rolle in fundne}
    rolle = Rolle.SUPPORT if Rolle.SUPPORT in roller else Rolle.SAGSBEHANDLER
    bruger = get_user_model().objects.filter(username=brugernavn).first()
    if bruger is not None and not bruger.is_active:
        raise Afvisning(
            "spaerret bruger",
            "Din bruger er spærret i Borgerindsats. Kontakt en administrator.",
            brugernavn=brugernavn,
            tag_rolle=False,
        )
    if bruger is not None and er_lokal_konto(bruger):
        raise Afvisning(
            "lokal konto",
            "Dit brugernavn hører til en lokal konto i Borgerindsats og kan ikke bruges med "
            "organisationens login. Kontakt en administrator.",
            brugernavn=brugernavn,
            tag_rolle=False,
        )
    return Tildeling(brugernavn=brugernavn, organisation=organisation, rolle=rolle)


def tag_rolle_fra(afvisning: Afvisning) -> bool:
    """A verified assertion that gives no (usable) role takes a SAML user's stored role away
    (a role removed at the identity provider is removed here at the next sign-in); a local
    account's is never touched. True if a role was taken."""
    if not (afvisning.tag_rolle and afvisning.brugernavn):
        return False
    user = get_user_model().objects.filter(username=afvisning.brugernavn).first()
    if user is None or er_lokal_konto(user):
        return False
    return fjern_rolle(user, begrundelse=f"SAML-login afvist: {afvisning.kode}")
