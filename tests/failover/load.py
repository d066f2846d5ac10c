"""The failover test's traffic: an open-loop load of RATE requests per second over the two app
servers (alternating), 20 % writes (creates, updates, departure confirmations, CPR events) and
80 % reads (a transition, the flow list). Every request is recorded with its answer, or the
exception that took its place; a write keeps what it sent, so the test can look for it in the
new primary and send it again with the same x-requestId."""

import contextlib
import datetime
import http.client
import itertools
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.factories import cpr_for
from tests.live.harness import fetch

ASYL = "/v1/Asylovergivelse"
FRA = "/v1/BorgerFlytte/action/bekraeftfraflytning"
LIST = "/v1/BorgerFlytte"
EVENTS = "/v1/CprHaendelser"
CPR = "x-civilRegistrationIdentifier"
# of every 10 requests: 2 writes, cycling through the four kinds; 8 reads
WRITES = ("create", "update", "confirm", "event")
REQUEST_TIMEOUT = 10.0


@dataclass
class Call:
    kind: str
    method: str
    path: str
    headers: dict
    body: dict | None = None
    subject: str = ""  # the citizen's CPR, the flow's id or the event's id
    value: str = ""  # what an update set (its overgivelsesdato)
    sent: float = 0.0
    sent_at: float = 0.0  # wall clock (time.time()): matched with an access-log row's created_at
    took: float = 0.0
    status: int = 0  # 0: no answer (the exception is in `error`)
    error: str = ""
    retry_after: str | None = None
    content_type: str = ""
    codes: list = field(default_factory=list)
    server: int = 0

    @property
    def write(self) -> bool:
        return self.kind in WRITES

    @property
    def request_id(self) -> str:
        return self.headers.get("x-requestId", "")


def _headers(caller: dict, extra: dict) -> dict:
    return {
        "Authorization": f"Bearer {caller['token']}",
        "x-activeOrganisationTypeIdentifier": caller["type"],
        "x-activeOrganisationCode": caller["code"],
        **extra,
    }


def _day(n: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def _transition() -> dict:
    return {
        "CVEditEndDate": _day(40),
        "overgivelsesdato": _day(10),
        "tidligCvOvergivelsesdato": _day(5),
        "tidligKontraktOvergivelsesdato": _day(1),
        "overgivelseskommunekode": "101",
    }


class Traffic:
    """Makes the calls from the seeded records; each create, confirmation and event once."""

    def __init__(self, seed: dict):
        self.seed = seed
        self.new = iter(seed["new"])
        self.flows = iter(seed["flows"])
        self.updates = itertools.count()
        self.events = itertools.count()
        self.reads = itertools.count()

    def call(self, index: int) -> Call:
        slot = index % 10
        if slot in (3, 8):
            return self._write(WRITES[(index // 5) % 4])
        return self._read()

    def _rid(self) -> dict:
        return {"x-requestId": f"fo-{uuid.uuid4()}"}

    def _write(self, kind: str) -> Call:
        jc, star = self.seed["jobcenter"], self.seed["star"]
        if kind == "create":
            cpr = next(self.new)
            body = _transition()
            headers = _headers(jc, {CPR: cpr, **self._rid()})
            return Call(kind, "POST", ASYL, headers, body, subject=cpr)
        if kind == "update":
            n = next(self.updates)
            existing = self.seed["existing"]
            cpr = existing[n % len(existing)]
            value = _day(11 + n % 70)  # the update's trace in the citizen's history
            body = {
                **_transition(),
                "CVEditEndDate": _day(90),
                "overgivelsesdato": value,
                "kommentar": f"Ny dato {n}",
            }
            headers = _headers(jc, {CPR: cpr, **self._rid()})
            return Call(kind, "PUT", ASYL, headers, body, subject=cpr, value=value)
        if kind == "confirm":
            flow, cpr = next(self.flows)
            headers = _headers(jc, {CPR: cpr, **self._rid()})
            return Call(kind, "POST", FRA, headers, {"borgerflytningId": flow}, subject=flow)
        n = next(self.events)
        event = {  # a citizen new to the register moves from 101 to 147: a new flow
            "haendelseId": f"fo-flytning-{n}",
            "type": "flytning",
            "cpr": cpr_for(30000 + n),
            "fraKommunekode": "101",
            "tilKommunekode": "147",
            "flyttedato": _day(-3),
        }
        headers = _headers(star, self._rid())
        return Call(
            kind, "POST", EVENTS, headers, {"haendelser": [event]}, subject=event["haendelseId"]
        )

    def _read(self) -> Call:
        n = next(self.reads)
        jc = self.seed["jobcenter"]
        if n % 4 == 3:
            return Call("list", "GET", LIST, _headers(jc, {}))
        cpr = self.seed["existing"][n % len(self.seed["existing"])]
        return Call("get", "GET", ASYL, _headers(jc, {CPR: cpr}), subject=cpr)


def send(call: Call, base_url: str) -> Call:
    call.sent, call.sent_at = time.monotonic(), time.time()
    try:
        answer = fetch(
            call.method,
            base_url + call.path,
            headers=call.headers,
            body=call.body,
            timeout=REQUEST_TIMEOUT,
        )
        call.status = answer.status
        call.retry_after = answer.headers.get("Retry-After")
        call.content_type = answer.headers.get("Content-Type", "")
        if answer.status >= 400:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                call.codes = [error["code"] for error in answer.json()["errors"]]
    except (OSError, http.client.HTTPException) as error:
        call.error = type(error).__name__
    call.took = time.monotonic() - call.sent
    return call


class Load:
    """Send `traffic` at `rate` per second over `servers` until stop(); calls in `self.calls`."""

    def __init__(self, traffic: Traffic, servers: list, rate: float, workers: int = 32):
        self.traffic, self.servers, self.rate = traffic, servers, rate
        self.calls: list[Call] = []
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=workers)
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "Load":
        self._thread.start()
        return self

    def _run(self) -> None:
        start = time.monotonic()
        for index in itertools.count():
            if self._stop.is_set():
                return
            delay = start + index / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                call = self.traffic.call(index)
            except StopIteration:  # the seeded records are used up
                return
            call.server = index % len(self.servers)
            self.calls.append(call)
            self._pool.submit(send, call, self.servers[call.server].base_url)

    def stop(self, timeout: float = REQUEST_TIMEOUT + 5) -> list[Call]:
        self._stop.set()
        self._thread.join(timeout)
        # calls still queued (never sent) are dropped; those under way end by their timeout
        self._pool.shutdown(wait=True, cancel_futures=True)
        return [call for call in self.calls if call.sent]
