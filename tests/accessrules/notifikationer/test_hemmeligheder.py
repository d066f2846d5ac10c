"""Subscription secrets encrypted at rest (accessrules.models.krypteret): the column holds a
Fernet token, never the secret; the key comes from NOTIFICATION_SECRET_KEY (derived from
SECRET_KEY when unset); a rotation keeps old keys decrypting until `rekrypter_hemmeligheder`
has encrypted everything under the new one; the migration encrypts secrets stored in clear."""

import importlib
import io
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

from accessrules.models import Abonnement
from accessrules.models.krypteret import afledt_noegle
from tests.accessrules.notifikationer.conftest import URL

# notifications need PostgreSQL (Procrastinate); on SQLite they are off: test_sqlite.py
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

migration = importlib.import_module("accessrules.migrations.0012_abonnement_hemmelighed_krypteret")


def _columns(pk) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT hemmelighed, forrige_hemmelighed FROM accessrules_abonnement WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_the_column_holds_no_plaintext(abonnent, kommuner, settings):
    settings.NOTIFICATION_SECRET_KEY = ""  # derived from SECRET_KEY
    integrator = abonnent(kommuner["A"])
    pk, secret = integrator.abonnement["abonnementId"], integrator.abonnement["hemmelighed"]
    stored, previous = _columns(pk)
    assert secret.startswith("whsec_") and secret not in stored and "whsec_" not in stored
    assert Fernet(afledt_noegle(settings.SECRET_KEY)).decrypt(stored.encode()).decode() == secret
    assert previous == ""
    new = integrator.call("post", f"{URL}/{pk}/ny-hemmelighed").json()["hemmelighed"]
    stored, previous = _columns(pk)
    assert secret not in previous and new not in stored and "whsec_" not in stored + previous
    abonnement = Abonnement.objects.get(pk=pk)
    assert (abonnement.hemmelighed, abonnement.forrige_hemmelighed) == (new, secret)


def test_a_key_rotation(abonnent, kommuner, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.NOTIFICATION_SECRET_KEY = old
    integrator = abonnent(kommuner["A"])
    pk, secret = integrator.abonnement["abonnementId"], integrator.abonnement["hemmelighed"]
    settings.NOTIFICATION_SECRET_KEY, settings.NOTIFICATION_SECRET_OLD_KEYS = new, [old]
    assert Abonnement.objects.get(pk=pk).hemmelighed == secret  # the old key still reads
    with pytest.raises(InvalidToken):
        Fernet(new).decrypt(_columns(pk)[0].encode())
    out = io.StringIO()
    call_command("rekrypter_hemmeligheder", stdout=out)
    assert out.getvalue().startswith("1 subscriptions")
    assert Fernet(new).decrypt(_columns(pk)[0].encode()).decode() == secret
    settings.NOTIFICATION_SECRET_OLD_KEYS = []  # the old key can go
    assert Abonnement.objects.get(pk=pk).hemmelighed == secret


def test_the_migration_encrypts_secrets_stored_in_clear(abonnent, kommuner):
    integrator = abonnent(kommuner["A"])
    pk = integrator.abonnement["abonnementId"]
    with connection.cursor() as cursor:  # as the previous migration left them
        cursor.execute(
            "UPDATE accessrules_abonnement SET hemmelighed = 'whsec_bmV3', "
            "forrige_hemmelighed = 'whsec_b2xk' WHERE id = %s",
            [pk],
        )
    editor = SimpleNamespace(connection=connection)
    migration.encrypt(None, editor)
    stored, previous = _columns(pk)
    assert "whsec_" not in stored + previous
    abonnement = Abonnement.objects.get(pk=pk)
    assert (abonnement.hemmelighed, abonnement.forrige_hemmelighed) == ("whsec_bmV3", "whsec_b2xk")
    migration.encrypt(None, editor)  # run twice: unchanged
    assert _columns(pk) == (stored, previous)
    migration.decrypt(None, editor)
    assert _columns(pk) == ("whsec_bmV3", "whsec_b2xk")
