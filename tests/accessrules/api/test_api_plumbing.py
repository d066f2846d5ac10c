"""The shared API plumbing, through a probe operation on the base viewset
(tests/accessrules/api/probe)."""

import datetime
import logging

import pytest
from django.utils import timezone

from accessrules.models import AccessLogEntry, RequestId
from tests.conftest import error_codes
from tests.factories import (
    ApiClientFactory,
    BorgerFactory,
    JobcenterFactory,
    StarFactory,
    TilknytningFactory,
    access_token_for,
)

pytestmark = [pytest.mark.urls("tests.accessrules.api.probe"), pytest.mark.django_db]

CPR = "x-civilRegistrationIdentifier"


@pytest.fixture
def star(integrator_for):
    return integrator_for(StarFactory())


def body(**over):
    return {"antal": 1, "navn": "abc", **over}


def test_no_token_is_401_problem(client):
    response = client.post("/probe", {}, content_type="application/json")
    assert response.status_code == 401
    assert error_codes(response) == [40100]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401(client):
    response = client.get("/probe", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert error_codes(response) == [40100]


def test_expired_token_is_401(db, client):
    api_client = ApiClientFactory(organisationer=[StarFactory()])
    token = access_token_for(api_client, ["borgerindsats.asylovergivelse.read"], expired=True)
    response = client.get("/probe", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_missing_scope_is_403_before_validation(integrator_for):
    caller = integrator_for(StarFactory(), scopes=["borgerindsats.asylovergivelse.read"])
    response = caller.call("post", "/probe", {"antal": "x"})
    assert response.status_code == 403
    assert error_codes(response) == [40300]


def test_organisation_not_bound_is_403(integrator_for):
    caller = integrator_for(StarFactory())
    other = JobcenterFactory()
    response = caller.call(
        "get",
        "/probe",
        headers={
            "x-activeOrganisationTypeIdentifier": "8",
            "x-activeOrganisationCode": other.kode,
            CPR: "0101901234",
        },
    )
    assert response.status_code == 403
    assert error_codes(response) == [40301]


def test_single_organisation_client_may_omit_the_headers(star):
    borger = BorgerFactory()
    headers = star.headers(
        {CPR: borger.cpr},
        without=("x-activeOrganisationTypeIdentifier", "x-activeOrganisationCode"),
    )
    response = star.http.get("/probe", headers=headers)
    assert response.status_code == 200, response.content


def test_multi_organisation_client_must_name_one(db, client):
    api_client = ApiClientFactory(organisationer=[StarFactory(), JobcenterFactory()])
    token = access_token_for(api_client, ["borgerindsats.asylovergivelse.read"])
    response = client.get("/probe", headers={"Authorization": f"Bearer {token}", CPR: "0101901234"})
    assert response.status_code == 400
    assert error_codes(response) == [1014]


@pytest.mark.parametrize(
    ("org_type", "org_code"), [("x", "STAR"), ("1", ""), ("1", "A" * 21), (None, "STAR")]
)
def test_malformed_active_organisation_headers_are_1014(star, org_type, org_code):
    headers = star.headers(
        {
            "x-activeOrganisationTypeIdentifier": org_type,
            "x-activeOrganisationCode": org_code,
            CPR: "0101901234",
        },
        without=() if org_type is not None else ("x-activeOrganisationTypeIdentifier",),
    )
    response = star.http.get("/probe", headers=headers)
    assert response.status_code == 400
    assert error_codes(response) == [1014]


def test_all_header_and_body_violations_are_reported_together(star):
    response = star.call(
        "post", "/probe", {"antal": 0, "navn": "toolong"}, headers={CPR: "3102901234"}
    )
    assert response.status_code == 400
    problem = response.json()
    fields = sorted(entry["field"] for entry in problem["errors"])
    assert fields == ["antal", "navn", "x-civilRegistrationIdentifier", "x-requestId"]
    assert {entry["code"] for entry in problem["errors"]} == {1014}
    assert problem["status"] == 400
    assert problem["errors"][0]["text"] == "Failed to validate message"
    assert "3102901234" not in response.content.decode()


def test_malformed_json_is_1014(star):
    response = star.http.post(
        "/probe",
        data="{not json",
        content_type="application/json",
        headers=star.headers({CPR: "0101901234", "x-requestId": "r1"}),
    )
    assert response.status_code == 400
    assert error_codes(response) == [1014]


def test_json_array_body_is_1014(star):
    response = star.call("post", "/probe", [1, 2], headers={CPR: "0101901234", "x-requestId": "r"})
    assert response.status_code == 400
    assert error_codes(response) == [1014]


def test_wrong_media_type_is_415(star):
    response = star.http.post(
        "/probe",
        data="antal=1",
        content_type="application/x-www-form-urlencoded",
        headers=star.headers({CPR: "0101901234", "x-requestId": "r1"}),
    )
    assert response.status_code == 415
    assert error_codes(response) == [41500]


def test_method_not_allowed_is_405_problem(star):
    response = star.call("delete", "/probe")
    assert response.status_code == 405
    assert error_codes(response) == [40500]


def test_unknown_path_is_404_problem(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert error_codes(response) == [40400]


def test_unknown_cpr_is_1010_for_alle_borgere_caller(star):
    response = star.call("get", "/probe", headers={CPR: "0101901234"})
    assert response.status_code == 404
    assert error_codes(response) == [1010]


def test_null_cpr_is_never_a_known_citizen(star):
    BorgerFactory(cpr="0000000000")
    response = star.call("get", "/probe", headers={CPR: "0000000000"})
    assert response.status_code == 404
    assert error_codes(response) == [1010]


def test_unknown_cpr_is_6005_for_egne_borgere_caller(integrator_for):
    caller = integrator_for(JobcenterFactory())
    response = caller.call("get", "/probe", headers={CPR: "0101901234"})
    assert response.status_code == 403
    assert error_codes(response) == [6005]


def test_denied_citizen_is_6005_and_logged(integrator_for):
    jobcenter = JobcenterFactory()
    caller = integrator_for(jobcenter)
    borger = BorgerFactory()
    response = caller.call("get", "/probe", headers={CPR: borger.cpr})
    assert response.status_code == 403
    assert error_codes(response) == [6005]
    entry = AccessLogEntry.objects.get()
    assert (entry.borger, entry.outcome, entry.error_code) == (borger, 403, 6005)
    assert entry.organisation == jobcenter
    assert entry.client == caller.client


def test_own_citizen_is_allowed_and_logged(integrator_for):
    jobcenter = JobcenterFactory()
    caller = integrator_for(jobcenter)
    borger = TilknytningFactory(organisation=jobcenter).borger
    response = caller.call("get", "/probe", headers={CPR: borger.cpr})
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.borger, entry.outcome, entry.error_code) == (borger, 200, None)


def test_request_id_is_recorded_and_reuse_is_412(star):
    borger = BorgerFactory()
    headers = {CPR: borger.cpr, "x-requestId": "req-1"}
    assert star.call("post", "/probe", body(), headers=headers).status_code == 201
    again = star.call("post", "/probe", body(), headers=headers)
    assert again.status_code == 412
    assert error_codes(again) == [41200]
    assert RequestId.objects.filter(request_id="req-1").count() == 1


def test_request_id_is_per_client(star, integrator_for):
    other = integrator_for(StarFactory())
    borger = BorgerFactory()
    headers = {CPR: borger.cpr, "x-requestId": "shared"}
    assert star.call("post", "/probe", body(), headers=headers).status_code == 201
    assert other.call("post", "/probe", body(), headers=headers).status_code == 201


def test_failed_write_does_not_use_up_the_request_id(star):
    borger = BorgerFactory()
    headers = {CPR: borger.cpr, "x-requestId": "req-2"}
    star.http.raise_request_exception = False
    failed = star.call("post", "/probe", body(navn="boom"), headers=headers)
    assert failed.status_code == 500
    assert error_codes(failed) == [50000]
    assert "Traceback" not in failed.content.decode()
    assert not RequestId.objects.filter(request_id="req-2").exists()
    assert star.call("post", "/probe", body(), headers=headers).status_code == 201


def test_request_id_longer_than_46_is_1014(star):
    response = star.call(
        "post", "/probe", body(), headers={CPR: BorgerFactory().cpr, "x-requestId": "r" * 47}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "x-requestId"


def test_unexpected_error_log_masks_the_cpr(star, caplog):
    star.http.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        star.call(
            "post",
            "/probe",
            body(navn="boom"),
            headers={CPR: BorgerFactory().cpr, "x-requestId": "r9"},
        )
    from accessrules.core.masking import MaskCprFilter

    records = [r for r in caplog.records if r.exc_info]
    assert records
    for record in records:
        MaskCprFilter().filter(record)
        assert "0101901234" not in (record.exc_text or "") + record.getMessage()


def test_tidligere_egne_window(integrator_for, settings):
    # the probe's table has no "tidligere egne" level: an ended affiliation is denied
    jobcenter = JobcenterFactory()
    caller = integrator_for(jobcenter)
    borger = TilknytningFactory(
        organisation=jobcenter, til=timezone.localdate() - datetime.timedelta(days=1)
    ).borger
    response = caller.call("get", "/probe", headers={CPR: borger.cpr})
    assert error_codes(response) == [6005]
