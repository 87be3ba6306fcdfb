"""Property-based API tests: schemathesis generates requests from the emulator's own OpenAPI document.

Every response must have a documented status, content type and headers, and match its documented schema.
Each test starts from a reset emulator seeded with one entity of each collection (a base connection, a dataset,
a mapping set, a source and a target connection, an enabled flow and its first run). Wherever the document marks
an id as a reference (``x-references``: a body field or a path parameter), the generated id is one of the seeded
ones, so creates are valid and get-by-id answers real entities, whose shape the response check then validates.
The number of examples per operation is bounded so the whole run stays well under two minutes.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import missing_required_header, positive_data_acceptance

from aep_emulator import flowspecs, routes_unemulated, specs
from aep_emulator.app import create_app
from aep_emulator.models import REFERENCES
from aep_emulator.siblings import SCHEMAS
from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import (
    SCHEMA_ID,
    create_dataset,
    create_mapping,
    created_id,
    flow_body,
    source_body,
    target_body,
)

pytestmark = [pytest.mark.emulator, pytest.mark.slow]

#: Examples per operation: ~60 operations x 15 examples keeps the run under two minutes on 2 cores.
MAX_EXAMPLES = 15

#: Checks whose heuristics contradict Adobe's documented behaviour, which the emulator follows:
#: - missing_required_header: a request without a token is 403 ``403010`` at Adobe's gateway, not 401;
#: - positive_data_acceptance: schema-valid requests legitimately fail Flow Service's semantic checks with
#:   documented 400s (auth params against the auth spec 1304, If-Match 1403/412, a state that does not allow
#:   the action 1422).
EXCLUDED = [missing_required_header, positive_data_acceptance]

#: The document the server publishes at /openapi.json, built without a server at collection time.
DOCUMENT = create_app().openapi()
# Resetting or moving the clock of the session's shared server would expire the other tests' tokens.
#: Each operation by its label ("GET /data/foundation/flowservice/flows"). pytest parametrizes over the labels,
#: not schemathesis' own ``parametrize()``: its items all share the function's node id, so under pytest-xdist
#: (``make test``'s two workers) one of them ran and the rest were dropped unreported.
LABELS = [
    f"{method.upper()} {path}"
    for path, item in DOCUMENT["paths"].items()
    if not re.match("^/__emulator__/(reset|clock)", path)
    for method in item
]
#: Creates that must get at least one 2xx from their generated examples (their bodies are schema-valid and
#: name seeded ids, so only a rare unlucky combination is refused).
CREATES = [label for label in LABELS if label.startswith("POST ") and label.endswith(
    ("/sourceConnections", "/targetConnections", "/flows", "/dataSets", "/mappingSets")
)]  # fmt: skip


def _seed(emulator: EmulatorSession) -> dict[str, list[str]]:
    """One entity of each collection, by collection name (the ``x-references`` values)."""
    base = emulator.create_connection()["id"]
    dataset = create_dataset(emulator)
    mapping = create_mapping(emulator)
    source = created_id(emulator.request("POST", "/sourceConnections", json=source_body(base)))
    target = created_id(emulator.request("POST", "/targetConnections", json=target_body(dataset)))
    draft = {"mode": "draft"}  # a draft of each, for the publish actions
    draft_source = emulator.request("POST", "/sourceConnections", params=draft, json=source_body(base))
    draft_target = emulator.request("POST", "/targetConnections", params=draft, json=target_body(dataset))
    # Started a minute ago: the flow's first run is due at once.
    started = int(time.time()) - 60
    body = flow_body(source, target, mapping, startTime=started, frequency="minute", interval=15)
    flow = created_id(emulator.request("POST", "/flows", json=body))
    runs = emulator.request("GET", "/runs", params={"property": f"flowId=={flow}"}).json()["items"]
    assert runs, "the seeded flow has no run"
    return {
        "connections": [base],
        "connectionSpecs": list(specs.SPECS),
        "flowSpecs": list(flowspecs.FLOW_SPECS),
        "dataSets": [dataset],
        "mappingSets": [mapping["id"]],
        "schemas": [SCHEMA_ID, SCHEMAS[0]["meta:altId"]],
        "sourceConnections": [source, created_id(draft_source)],
        "targetConnections": [target, created_id(draft_target)],
        "flows": [flow],
        "runs": [runs[0]["id"]],
    }


def _with_ids(node: Any, ids: dict[str, list[str]]) -> Any:
    """A copy of ``node`` with every schema marked ``x-references: <collection>`` narrowed to the seeded ids."""
    if isinstance(node, dict):
        if REFERENCES in node:
            return {"type": "string", "enum": ids[node[REFERENCES]]}
        return {key: _with_ids(value, ids) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_ids(value, ids) for value in node]
    return node


def test_every_reference_is_seeded() -> None:
    """The seeding covers each collection the document references (a new one fails here, not at random)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if REFERENCES in node:
                found.add(node[REFERENCES])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(DOCUMENT)
    seeded = {"connections", "connectionSpecs", "flowSpecs", "dataSets", "mappingSets", "schemas",
              "sourceConnections", "targetConnections", "flows", "runs"}  # fmt: skip
    assert found == seeded


@pytest.mark.parametrize("label", LABELS)
def test_emulator_conforms_to_its_own_openapi(label: str, emulator: EmulatorSession) -> None:
    method, path = label.split(" ", 1)
    operation = schemathesis.openapi.from_dict(_with_ids(DOCUMENT, _seed(emulator)))[path][method]
    excluded = list(EXCLUDED)
    if routes_unemulated.TAG in operation.definition.raw.get("tags", []):
        excluded.append(not_a_server_error)  # 501 by design: FLOW-9501-501 names the route
    headers = emulator.headers()
    if operation.body:
        del headers["Content-Type"]  # schemathesis sets the media type of the body it generates
    statuses: list[int] = []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy())
    def conforms(case: Any) -> None:
        response = case.call_and_validate(
            base_url=emulator.base_url, headers=headers, excluded_checks=excluded
        )
        statuses.append(response.status_code)

    conforms()
    if label in CREATES:
        assert any(200 <= status < 300 for status in statuses), f"no valid create among {sorted(statuses)}"


def test_every_operation_is_exercised() -> None:
    """The parametrization covers the document: every emulated route is one test case of its own."""
    assert len(LABELS) >= 45, sorted(LABELS)
    assert "POST /data/foundation/flowservice/flows" in LABELS
    assert len(CREATES) == 5, CREATES
