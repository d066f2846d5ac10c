"""factory-boy factories for the accessrules models, shared by every test module."""

import datetime

import factory
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from accessrules.models import (
    AndenAktoerTildeling,
    ApiClient,
    Borger,
    Gaesteadgang,
    Organisation,
    OrganisationType,
    Tilknytning,
)
from accessrules.oauth.scopes import ALL as ALL_SCOPES


def cpr_for(n: int) -> str:
    """A valid, unique CPR for n < 36500: born 1 Jan 1920 + n days, 1900s by digit 7 = 1."""
    born = datetime.date(1920, 1, 1) + datetime.timedelta(days=n)
    return f"{born:%d%m%y}1{n % 1000:03d}"


class KommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("type", "kode")

    type = OrganisationType.KOMMUNE
    kode = factory.Sequence(lambda n: str(200 + n))
    navn = factory.LazyAttribute(lambda o: f"Kommune {o.kode}")


class JobcenterFactory(KommuneFactory):
    type = OrganisationType.JOBCENTER
    kode = factory.Sequence(lambda n: f"{200 + n}00")
    navn = factory.LazyAttribute(lambda o: f"Jobcenter {o.kode}")


class AndenAktoerFactory(KommuneFactory):
    type = OrganisationType.ANDEN_AKTOER
    kode = factory.Sequence(lambda n: f"{30000000 + n}")
    navn = factory.LazyAttribute(lambda o: f"Anden Aktør {o.kode}")


class StarFactory(KommuneFactory):
    type = OrganisationType.STAR
    kode = "STAR"
    navn = "Styrelsen for Arbejdsmarked og Rekruttering"


def jobcenter_of(kommune: Organisation) -> Organisation:
    return JobcenterFactory(kode=f"{kommune.kode}00")


class BorgerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borger

    cpr = factory.Sequence(cpr_for)
    doedsdato = None
    kontaktgruppe = "flygtning"


class TilknytningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tilknytning

    borger = factory.SubFactory(BorgerFactory)
    organisation = factory.SubFactory(KommuneFactory)
    fra = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    til = None


class GaesteadgangFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gaesteadgang

    borger = factory.SubFactory(BorgerFactory)
    organisation = factory.SubFactory(JobcenterFactory)
    fra = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    til = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class AndenAktoerTildelingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AndenAktoerTildeling

    borger = factory.SubFactory(BorgerFactory)
    anden_aktoer = factory.SubFactory(AndenAktoerFactory)
    jobcenter = factory.SubFactory(JobcenterFactory)
    fra = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    til = None


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    name = factory.Sequence(lambda n: f"app-{n}")
    client_type = Application.CLIENT_CONFIDENTIAL
    authorization_grant_type = Application.GRANT_CLIENT_CREDENTIALS


class ApiClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiClient
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory)
    navn = factory.Sequence(lambda n: f"klient-{n}")
    system = False
    scopes = " ".join(sorted(ALL_SCOPES))

    @factory.post_generation
    def organisationer(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisationer.set(extracted)


def access_token_for(client: ApiClient, scopes: list[str], *, expired: bool = False) -> str:
    """Issue a bearer token directly (the token endpoint has its own tests)."""
    expires = timezone.now() + datetime.timedelta(hours=-1 if expired else 1)
    token = AccessToken.objects.create(
        application=client.application,
        token=f"tok-{client.pk}-{AccessToken.objects.count()}-{'-'.join(scopes)}"[:255],
        scope=" ".join(scopes),
        expires=expires,
    )
    return token.token
