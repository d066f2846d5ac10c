"""Run by the generated client's own virtualenv (not collected by pytest): every call goes
through the client that openapi-python-client generated from docs/openapi.yaml.

    python driver.py BASE_URL CONFIG_JSON

CONFIG_JSON: {"clients": {"jobcenter": [id, secret], "kommune_b": [...], "cpr_feed": [...]},
"cpr": {...}, "today": "YYYY-MM-DD"}. Prints one JSON object: what each call answered, as the
client parsed it. Any exception (a response the client cannot parse) exits non-zero.
"""

import datetime
import json
import sys

import httpx
from borgerindsats_client import AuthenticatedClient
from borgerindsats_client.api.v1 import (
    create_asyl_overgivelse,
    create_cpr_haendelser,
    create_fraflytningsbekraeftelse,
    create_tilflytningsbekraeftelse,
    get_asyl_overgivelse,
    get_asyl_overgivelse_historik,
    get_borgerflytning_historik,
    list_borgerflytninger,
    update_asyl_overgivelse,
)
from borgerindsats_client.models import (
    AsylHistorik,
    BekraeftelseRequestRequest,
    BorgerflytningHistorik,
    CprHaendelserRequest,
    CprHaendelserSvar,
    FlytningRequest,
    FlytningTypeEnum,
    HentAsylOvergivelse,
    ListBorgerflytningerOrdering,
    ListBorgerflytningerTilstand,
    OpretAsylOvergivelseRequest,
    PaginatedBorgerflytningList,
    Problem,
    RetAsylOvergivelseRequest,
)


def token(base: str, client_id: str, secret: str) -> str:
    answer = httpx.post(
        f"{base}/oauth/token/",
        data={"grant_type": "client_credentials"},
        auth=(client_id, secret),
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()["access_token"]


def problem(parsed) -> dict:
    assert isinstance(parsed, Problem), type(parsed)
    return {"status": parsed.status, "codes": [error.code for error in parsed.errors]}


def posts(historik) -> dict:
    """A history as the client parsed it: each post's kind, source, organisation, fields."""
    return {
        "aendringstyper": [str(post.aendringstype) for post in historik],
        "kilder": [None if post.kilde is None else str(post.kilde) for post in historik],
        "organisationer": [
            None
            if post.organisation is None
            else f"{post.organisation.type_}:{post.organisation.code}"
            for post in historik
        ],
        "felter": [sorted(change.felt for change in post.aendringer) for post in historik],
    }


def main() -> None:
    base, config = sys.argv[1], json.loads(sys.argv[2])
    cpr, today = config["cpr"], datetime.date.fromisoformat(config["today"])
    api = {
        name: AuthenticatedClient(base_url=base, token=token(base, *credentials), timeout=10)
        for name, credentials in config["clients"].items()
    }
    jc = api["jobcenter"]
    seen = {}

    answer = get_asyl_overgivelse.sync_detailed(
        client=jc, x_civil_registration_identifier=cpr["med_overgivelse"]
    )
    assert isinstance(answer.parsed, HentAsylOvergivelse)
    seen["get"] = {
        "status": answer.status_code,
        "overgivelsesdato": answer.parsed.asylovergivelsesdata.overgivelsesdato.isoformat(),
    }

    ny = OpretAsylOvergivelseRequest(
        cv_edit_end_date=today + datetime.timedelta(days=40),
        overgivelsesdato=today + datetime.timedelta(days=10),
        overgivelseskommunekode="101",
    )
    answer = create_asyl_overgivelse.sync_detailed(
        client=jc, body=ny, x_civil_registration_identifier=cpr["flygtning"], x_request_id="c-1"
    )
    seen["post"] = answer.status_code
    answer = create_asyl_overgivelse.sync_detailed(
        client=jc, body=ny, x_civil_registration_identifier=cpr["flygtning"], x_request_id="c-2"
    )
    seen["post_again"] = problem(answer.parsed)

    ret = RetAsylOvergivelseRequest(
        cv_edit_end_date=today + datetime.timedelta(days=45),
        overgivelsesdato=today + datetime.timedelta(days=10),
        overgivelseskommunekode="101",
        kommentar="Ny CV-frist",
    )
    answer = update_asyl_overgivelse.sync_detailed(
        client=jc, body=ret, x_civil_registration_identifier=cpr["flygtning"], x_request_id="c-3"
    )
    seen["put"] = answer.status_code
    answer = update_asyl_overgivelse.sync_detailed(
        client=jc, body=ret, x_civil_registration_identifier=cpr["flygtning"], x_request_id="c-3"
    )
    seen["put_reused_request_id"] = problem(answer.parsed)

    answer = get_asyl_overgivelse_historik.sync_detailed(
        client=jc, x_civil_registration_identifier=cpr["flygtning"]
    )
    assert isinstance(answer.parsed, AsylHistorik)
    seen["historik"] = {"status": answer.status_code, **posts(answer.parsed.historik)}
    seen["historik"]["kommentar"] = answer.parsed.historik[-1].kommentar

    event = FlytningRequest(
        haendelse_id="client-test-1",
        type_=FlytningTypeEnum.FLYTNING,
        cpr=cpr["cpr_flytter"],
        fra_kommunekode="0101",
        til_kommunekode="0147",
        flyttedato=today,
    )
    answer = create_cpr_haendelser.sync_detailed(
        client=api["cpr_feed"], body=CprHaendelserRequest(haendelser=[event])
    )
    assert isinstance(answer.parsed, CprHaendelserSvar)
    [result] = answer.parsed.resultater
    flow_id = result.borgerflytning_id
    seen["event"] = {"status": answer.status_code, "result": str(result.status)}

    answer = list_borgerflytninger.sync_detailed(
        client=jc,
        tilstand=ListBorgerflytningerTilstand.AFVENTER,
        ordering=ListBorgerflytningerOrdering.OPRETTET,
        oprettet_fra=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1),
    )
    assert isinstance(answer.parsed, PaginatedBorgerflytningList)
    seen["list"] = {
        "status": answer.status_code,
        "ids": [str(flow.borgerflytning_id) for flow in answer.parsed.results],
        "flow_id": str(flow_id),
    }

    body = BekraeftelseRequestRequest(borgerflytning_id=flow_id)
    answer = create_tilflytningsbekraeftelse.sync_detailed(
        client=api["kommune_b"], body=body, x_request_id="c-4"
    )
    seen["tilflytning"] = answer.status_code
    answer = create_fraflytningsbekraeftelse.sync_detailed(
        client=jc, body=body, x_civil_registration_identifier=cpr["cpr_flytter"], x_request_id="c-5"
    )
    seen["fraflytning"] = answer.status_code
    answer = create_fraflytningsbekraeftelse.sync_detailed(
        client=jc,
        body=BekraeftelseRequestRequest(borgerflytning_id=flow_id),
        x_civil_registration_identifier=cpr["flygtning"],  # not the flow's citizen
        x_request_id="c-6",
    )
    seen["fraflytning_wrong_citizen"] = problem(answer.parsed)

    answer = get_borgerflytning_historik.sync_detailed(flow_id, client=api["kommune_b"])
    assert isinstance(answer.parsed, BorgerflytningHistorik)
    seen["flow_historik"] = {"status": answer.status_code, **posts(answer.parsed.historik)}

    print(json.dumps(seen))


if __name__ == "__main__":
    main()
