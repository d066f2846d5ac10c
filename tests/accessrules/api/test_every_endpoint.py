"""Every endpoint the URLconf serves has its shared tests (tests/endpoints.py: 401, 403, 1014,
the access-log rows and, under a seed table, every cell of it): a new endpoint fails here
until its app's tests/<app>/api/test_endpoints.py has an EndpointTests subclass for it."""

import importlib
from pathlib import Path

from accessrules.api.routes import served
from tests import endpoints as shared

TESTS = Path(__file__).resolve().parents[2]


def test_every_served_endpoint_has_its_shared_tests():
    for module in sorted(TESTS.glob("*/api/test_endpoints.py")):
        importlib.import_module(".".join(module.relative_to(TESTS.parent).with_suffix("").parts))
    tested = [cls.endpoint for cls in shared.SUBCLASSES if hasattr(cls, "endpoint")]
    missing = [f"{e.method} /v1/{e.path}" for e in served() if e not in tested]
    assert not missing, f"no EndpointTests subclass for {missing}"
    assert len(tested) == len(set(map(id, tested))), "an endpoint is tested twice"
