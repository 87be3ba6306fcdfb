"""Property-based API tests: schemathesis generates requests from the emulator's own OpenAPI document.

Every response must have a documented status, content type and headers, and match its documented schema.
The number of examples per operation is bounded so the whole run stays well under two minutes.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import missing_required_header, positive_data_acceptance

from aep_emulator import routes_unemulated
from aep_emulator.app import create_app
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import fetch_token, platform_headers

pytestmark = [pytest.mark.emulator, pytest.mark.slow]

#: Examples per operation: ~60 operations x 15 examples keeps the run under two minutes on 2 cores.
MAX_EXAMPLES = 15


@pytest.fixture(scope="module")
def auth_headers(emulator_server: EmulatorServer) -> dict[str, str]:
    headers = platform_headers(fetch_token(emulator_server.base_url))
    del headers["Content-Type"]  # schemathesis sets the media type of the body it generates
    return headers


# The document the server publishes at /openapi.json, loaded without a server at collection time; the requests
# go to the session's in-process emulator (``base_url`` below).
#: Checks whose heuristics contradict Adobe's documented behaviour, which the emulator follows:
#: - missing_required_header: a request without a token is 403 ``403010`` at Adobe's gateway, not 401;
#: - positive_data_acceptance: schema-valid requests legitimately fail Flow Service's semantic checks with
#:   documented 400s (unknown spec id 1413, auth params against the auth spec 1304, If-Match 1403/412).
EXCLUDED = [missing_required_header, positive_data_acceptance]

schema = schemathesis.openapi.from_dict(create_app().openapi())


# Resetting or moving the clock of the session's shared server would expire the other tests' tokens.
#: Each operation by its label ("GET /data/foundation/flowservice/flows"). pytest parametrizes over the labels,
#: not schemathesis' own ``parametrize()``: its items all share the function's node id, so under pytest-xdist
#: (``make test``'s two workers) one of them ran and the rest were dropped unreported.
def _operations() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for result in schema.exclude(path_regex="^/__emulator__/(reset|clock)").get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # the emulator publishes an operation schemathesis cannot read
        found[result.ok().label] = result.ok()
    return found


OPERATIONS = _operations()


@pytest.mark.parametrize("label", list(OPERATIONS))
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(data=st.data())
def test_emulator_conforms_to_its_own_openapi(
    label: str, data: st.DataObject, emulator_server: EmulatorServer, auth_headers: dict[str, str]
) -> None:
    operation = OPERATIONS[label]
    case = data.draw(operation.as_strategy())
    excluded = list(EXCLUDED)
    if routes_unemulated.TAG in operation.definition.raw.get("tags", []):
        excluded.append(not_a_server_error)  # 501 by design: FLOW-9501-501 names the route
    case.call_and_validate(base_url=emulator_server.base_url, headers=auth_headers, excluded_checks=excluded)


def test_every_operation_is_exercised() -> None:
    """The parametrization covers the document: every emulated route is one test case of its own."""
    assert len(OPERATIONS) >= 45, sorted(OPERATIONS)
    assert "POST /data/foundation/flowservice/flows" in OPERATIONS
