"""The operations table of emulator/README.md is generated from Adobe's OpenAPI document and the app's routes."""

from __future__ import annotations

import pytest

from aep_emulator import defaults, optable, routes_unemulated
from aep_emulator.app import create_app
from tests.helpers.emulator import EmulatorSession

pytestmark = pytest.mark.emulator


def test_committed_table_is_current() -> None:
    assert optable.committed() == optable.render(), "run: python -m aep_emulator.optable --write"


def test_at_least_30_of_the_45_operations_are_emulated() -> None:
    assert len(optable.adobe_operations()) == 45
    assert optable.emulated_count() >= 30


def test_every_operation_marked_no_answers_501(emulator: EmulatorSession) -> None:
    served = optable.served()
    missing = [(m, p) for m, p, _ in optable.adobe_operations() if (m, optable._shape(p)) not in served]
    assert missing
    for method, path in missing:
        concrete = path.replace("{", "").replace("}", "").rstrip("/")
        response = emulator.request(method, concrete, json={})
        assert response.status_code == 501, (method, path, response.text)


def test_the_docs_description_names_every_served_collection() -> None:
    """The ``/docs`` text names each collection an emulated route serves (the first path segment)."""
    document = create_app().openapi()
    services = (defaults.FLOW_SERVICE_PREFIX, defaults.CATALOG_PREFIX, defaults.SCHEMA_REGISTRY_PREFIX,
                defaults.DATA_PREP_PREFIX)  # fmt: skip
    named = set()
    for path, item in document["paths"].items():
        service = next((s for s in services if path.startswith(s + "/")), None)
        emulated = any(routes_unemulated.TAG not in op.get("tags", []) for op in item.values())
        if service is not None and emulated:
            named.add("/" + path.removeprefix(service + "/").split("/")[0])
    assert len(named) >= 10, named
    description = document["info"]["description"]
    assert [n for n in sorted(named) if f"`{n}" not in description] == []
    assert defaults.IMS_TOKEN_PATH in description
