"""List queries judged like Adobe on every collection: what filters may see, whose token it is, field types.

- Filters and ``orderby`` see only what GET shows: a masked secret or a private field is no oracle.
- A continuation token continues only the collection that issued it.
- 1448 (operator not supported for the field) depends on the field's type, never on the stored items.
- ``/connectionSpecs`` and ``/flowSpecs`` list through the same query machinery as the entity collections.
"""

from __future__ import annotations

from typing import Any

import pytest

from aep_emulator import defaults, flowspecs
from tests.helpers.emulator import EmulatorSession, blob_connection_body
from tests.helpers.pipeline import create_dataset, created_id, flow_body, source_body, target_body

pytestmark = pytest.mark.emulator

#: One connection per auth type, with the path of its secret param and the secret's clear text.
SECRETS = {
    "ConnectionString": (
        {"connectionString": "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=c2VjcmV0LWtleQ=="},
        "connectionString",
    ),
    "SAS URI Authentication": (
        {"sasUri": "https://acme.blob.core.windows.net/?sv=2022-11-02&sig=abc"},
        "sasUri",
    ),
    "Service Principal Based Authentication": (
        {
            "serviceEndpoint": "https://acme.blob.core.windows.net",
            "servicePrincipalId": "11111111-2222-3333-4444-555555555555",
            "servicePrincipalKey": "sp-secret",
            "tenant": "acme.onmicrosoft.com",
        },
        "servicePrincipalKey",
    ),
}


def _count(emulator: EmulatorSession, collection: str, *filters: str) -> int:
    params = [("property", f) for f in filters] + [("count", "true")]
    response = emulator.request("GET", f"/{collection}", params=params)
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


def _code(response: Any) -> str:
    return str(response.json()["type"]).rsplit("FLOW-", 1)[1]


# --- filters see what GET shows ---------------------------------------------------------------------------


@pytest.mark.parametrize("spec_name", list(SECRETS))
def test_a_filter_is_no_oracle_for_a_masked_secret(emulator: EmulatorSession, spec_name: str) -> None:
    params, secret_key = SECRETS[spec_name]
    emulator.create_connection(blob_connection_body(spec_name=spec_name, params={**params, "container": "c"}))
    path = f"auth.params.{secret_key}"
    assert _count(emulator, "connections", f"{path}=={params[secret_key]}") == 0
    assert _count(emulator, "connections", f"{path}!={params[secret_key]}") == 1
    assert _count(emulator, "connections", f"{path}==xxxx") == 1  # what GET shows
    assert _count(emulator, "connections", "auth.params.container==c") == 1  # a plain param still filters


def test_orderby_a_secret_sorts_the_masked_values(emulator: EmulatorSession) -> None:
    """Both directions give the same order (ties broken by id): the secrets' own order does not show."""
    for key in ("AAAA", "ZZZZ", "MMMM"):
        params = {"connectionString": f"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={key}"}
        emulator.create_connection(blob_connection_body(params=params))

    def ids(orderby: str) -> list[str]:
        response = emulator.request("GET", "/connections", params={"orderby": orderby})
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    ascending = ids("+auth.params.connectionString")
    assert ascending == ids("-auth.params.connectionString") == sorted(ascending)


def test_a_filter_does_not_see_private_fields(emulator: EmulatorSession) -> None:
    base = emulator.create_connection()["id"]
    source = created_id(emulator.request("POST", "/sourceConnections", json=source_body(base)))
    target = created_id(
        emulator.request("POST", "/targetConnections", json=target_body(create_dataset(emulator)))
    )
    created_id(emulator.request("POST", "/flows", json=flow_body(source, target)))
    assert _count(emulator, "flows") == 1
    assert _count(emulator, "flows", "_nextRunAt>0") == 0


# --- a continuation token belongs to its collection -------------------------------------------------------


def test_a_token_from_another_collection_is_refused(emulator: EmulatorSession) -> None:
    base = emulator.create_connection()["id"]
    emulator.create_connection()
    for _ in range(3):
        created_id(emulator.request("POST", "/sourceConnections", json=source_body(base)))
    first = emulator.request("GET", "/connections", params={"limit": "1"})
    token = first.json()["_links"]["next"]["href"].split("continuationToken=", 1)[1]
    for collection in ("sourceConnections", "flows", "flowSpecs", "connectionSpecs"):
        response = emulator.request("GET", f"/{collection}", params={"continuationToken": token})
        assert response.status_code == 400, (collection, response.text)
        assert _code(response) == "1451-400"
        assert response.json()["errorMessage"] == (
            f"Invalid query param continuationToken: it continues the list of /connections, not /{collection}"
        )
    assert emulator.request("GET", "/connections", params={"continuationToken": token}).status_code == 200


# --- 1448 by the field's type, not by the data ------------------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "expr"),
    [
        ("connections", "name>5"),
        ("connections", "auth.params.container<=5"),
        ("sourceConnections", "params.path>1"),
        ("targetConnections", "data.format<1"),
        ("flows", "scheduleParams.frequency>=1"),
        ("flows", "sourceConnectionIds>1"),
        ("runs", "metrics.statusSummary.status>1"),
        ("flowSpecs", "name>5"),
        ("connectionSpecs", "version>0"),
    ],
)
def test_1448_on_an_empty_collection_too(emulator: EmulatorSession, collection: str, expr: str) -> None:
    for params in ({"property": expr}, {"property": expr, "count": "true"}):
        response = emulator.request("GET", f"/{collection}", params=params)
        assert response.status_code == 400, response.text
        assert _code(response) == "1448-400"
        assert expr.split("<")[0].split(">")[0] in response.json()["errorMessage"]


def test_1448_decided_the_same_with_and_without_items(emulator: EmulatorSession) -> None:
    empty = emulator.request("GET", "/connections", params={"property": "name>5"})
    emulator.create_connection()
    filled = emulator.request("GET", "/connections", params={"property": "name>5"})
    assert (empty.status_code, empty.json()["errorMessage"]) == (
        filled.status_code,
        filled.json()["errorMessage"],
    )


def test_comparisons_on_numbers_and_unknown_paths_are_allowed(emulator: EmulatorSession) -> None:
    assert _count(emulator, "connections", "createdAt>0") == 0
    assert _count(emulator, "sourceConnections", "params.custom>5") == 0
    base = emulator.create_connection()["id"]
    body = source_body(base)
    body["params"]["custom"] = "text"
    created_id(emulator.request("POST", "/sourceConnections", json=body))
    body["params"]["custom"] = 7
    created_id(emulator.request("POST", "/sourceConnections", json=body))
    assert _count(emulator, "connections", "createdAt>0") == 1
    assert _count(emulator, "sourceConnections", "params.custom>5") == 1  # an unknown path: numbers only


def test_orderby_takes_the_collections_scalar_fields(emulator: EmulatorSession) -> None:
    assert (
        emulator.request("GET", "/flows", params={"orderby": "-scheduleParams.startTime"}).status_code == 200
    )
    for collection, field in (("flows", "sourceConnectionIds"), ("connections", "flowId"), ("runs", "auth")):
        response = emulator.request("GET", f"/{collection}", params={"orderby": field})
        assert _code(response) == "1433-400", (collection, field)


# --- the spec collections list like every collection ------------------------------------------------------


@pytest.mark.parametrize(
    ("collection", "spec_id"),
    [("connectionSpecs", defaults.AZURE_BLOB_SPEC_ID), ("flowSpecs", flowspecs.CLOUD_STORAGE_TO_AEP_ID)],
)
def test_spec_lists_take_every_list_parameter(
    emulator: EmulatorSession, collection: str, spec_id: str
) -> None:
    def get(**params: str) -> Any:
        response = emulator.request("GET", f"/{collection}", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    assert get(count="true") == {"count": 1}
    assert [s["id"] for s in get(limit="1", orderby="-name")["items"]] == [spec_id]
    assert "_links" not in get(limit="1")
    assert get(property=f"id!={spec_id}") == {"items": []}
    assert _code(emulator.request("GET", f"/{collection}", params={"limit": "101"})) == "1451-400"
    assert _code(emulator.request("GET", f"/{collection}", params={"orderby": "-colour"})) == "1433-400"


def test_spec_lists_filter_on_nested_array_paths(emulator: EmulatorSession) -> None:
    auth = emulator.request(
        "GET", "/connectionSpecs", params={"property": "authSpec[].name==SAS URI Authentication"}
    )
    assert [s["id"] for s in auth.json()["items"]] == [defaults.AZURE_BLOB_SPEC_ID]
    target = emulator.request(
        "GET", "/flowSpecs", params={"property": f"targetConnectionSpecIds[]=={flowspecs.DATA_LAKE_SPEC_ID}"}
    )
    assert [s["id"] for s in target.json()["items"]] == [flowspecs.CLOUD_STORAGE_TO_AEP_ID]
    assert _count(emulator, "flowSpecs", "scheduleSpec.spec.properties.frequency.enum[]==fortnight") == 0
