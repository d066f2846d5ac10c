from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from borgerflytte.models import Borgerflytning, Tilstand
from tests.factories import StarFactory

pytestmark = pytest.mark.django_db


def annuller(*args):
    out = StringIO()
    call_command("annuller_borgerflytning", *args, stdout=out)
    return out.getvalue()


def test_annuller_records_and_keeps_the_flow(flow):
    annuller(str(flow.pk), "--begrundelse", "Fejl i CPR-registret")
    stored = Borgerflytning.objects.get(pk=flow.pk)
    assert stored.tilstand == Tilstand.ANNULLERET
    assert stored.annulleret_begrundelse == "Fejl i CPR-registret"
    assert stored.annulleret_tidspunkt is not None
    assert stored.history.first().history_change_reason.startswith("annulleret")


def test_annuller_dry_run(flow):
    assert "would be" in annuller(str(flow.pk), "--begrundelse", "x", "--dry-run")
    assert Borgerflytning.objects.get(pk=flow.pk).tilstand == Tilstand.AFVENTER


@pytest.mark.parametrize(
    ("flow_id", "message"),
    [("nope", "not a uuid"), ("8d1c6f0e-2f4a-4a55-9d0e-6b1b2d7f9a10", "no borgerflytning")],
)
def test_annuller_bad_id(flow, flow_id, message):
    with pytest.raises(CommandError, match=message):
        annuller(flow_id, "--begrundelse", "x")


def test_annuller_a_finished_flow_is_refused(flow):
    Borgerflytning.objects.filter(pk=flow.pk).update(tilstand=Tilstand.AFSLUTTET)
    with pytest.raises(CommandError, match="AFSLUTTET"):
        annuller(str(flow.pk), "--begrundelse", "x")


def test_annuller_needs_a_begrundelse(flow):
    with pytest.raises(CommandError, match="begrundelse"):
        annuller(str(flow.pk), "--begrundelse", "  ")


def test_admin_action_cancels_with_a_begrundelse(client, flow):
    StarFactory()  # the superuser acts as STAR (SPEC 7)
    client.force_login(User.objects.create_superuser("admin", password="x"))
    url = "/admin/borgerflytte/borgerflytning/"
    data = {"action": "annuller", "_selected_action": [str(flow.pk)], "begrundelse": ""}
    data["bekraeft"] = "ja"  # the confirmation page's answer
    client.post(url, data)
    assert Borgerflytning.objects.get(pk=flow.pk).tilstand == Tilstand.AFVENTER
    data["begrundelse"] = "Dobbelt indberetning"
    client.post(url, data)
    stored = Borgerflytning.objects.get(pk=flow.pk)
    assert stored.tilstand == Tilstand.ANNULLERET
    assert stored.annulleret_af == "admin admin"


def test_admin_shows_both_stamps(client, flow):
    StarFactory()  # the superuser acts as STAR (SPEC 7)
    client.force_login(User.objects.create_superuser("admin", password="x"))
    html = client.get(f"/admin/borgerflytte/borgerflytning/{flow.pk}/change/").content.decode()
    assert "Fraflytning bekræftet" in html
    assert "Tilflytning bekræftet" in html
