"""GET /connections: property filters, orderby, limit, continuationToken paging and count."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from aep_emulator import defaults
from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = pytest.mark.emulator


def _list(emulator: EmulatorSession, **params: Any) -> Any:
    return emulator.request("GET", "/connections", params=params)


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def _code(response: Any) -> str:
    assert response.status_code == 400, response.text
    return str(response.json()["type"]).rsplit("FLOW-", 1)[1]


@pytest.fixture
def three(emulator: EmulatorSession) -> list[str]:
    ids = []
    for name in ("bravo", "alpha", "charlie"):
        ids.append(emulator.create_connection(blob_connection_body(name=name, description=f"{name} d"))["id"])
    return ids


def test_list_returns_items_envelope_with_masked_params(emulator: EmulatorSession, three: list[str]) -> None:
    response = _list(emulator)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items"}
    assert {item["id"] for item in body["items"]} == set(three)
    assert all(item["auth"]["params"]["connectionString"] == "xxxx" for item in body["items"])


def test_default_order_is_most_recently_updated_first(emulator: EmulatorSession, three: list[str]) -> None:
    assert _names(_list(emulator)) == ["charlie", "alpha", "bravo"]


def test_property_filter_on_name(emulator: EmulatorSession, three: list[str]) -> None:
    assert _names(_list(emulator, property="name==alpha")) == ["alpha"]


def test_property_filter_value_list_is_any_of(emulator: EmulatorSession, three: list[str]) -> None:
    assert sorted(_names(_list(emulator, property="name==alpha,charlie"))) == ["alpha", "charlie"]


def test_repeated_property_filters_are_anded(emulator: EmulatorSession, three: list[str]) -> None:
    response = emulator.request(
        "GET",
        "/connections",
        params=[("property", "name==alpha,bravo"), ("property", "description==bravo d")],
    )
    assert _names(response) == ["bravo"]


def test_property_filter_on_connection_spec_id_and_state(emulator: EmulatorSession, three: list[str]) -> None:
    params = [
        ("property", f"connectionSpec.id=={defaults.AZURE_BLOB_SPEC_ID}"),
        ("property", "state==enabled"),
    ]
    assert len(_names(emulator.request("GET", "/connections", params=params))) == 3


def test_property_filter_on_id(emulator: EmulatorSession, three: list[str]) -> None:
    assert _names(_list(emulator, property=f"id=={three[0]}")) == ["bravo"]


def test_property_filter_on_an_invalid_path_is_1449(emulator: EmulatorSession, three: list[str]) -> None:
    response = _list(emulator, property="colour..red==x")
    assert _code(response) == "1449-400"
    assert response.json()["errorMessage"] == "Invalid field 'colour..red' in filter params"


def test_property_filter_on_any_nested_path(emulator: EmulatorSession, three: list[str]) -> None:
    assert len(_names(_list(emulator, property="auth.params.container==acme-blob-container"))) == 3
    assert _names(_list(emulator, property="colour==red")) == []


def test_property_filter_value_may_be_quoted(emulator: EmulatorSession, three: list[str]) -> None:
    assert _names(_list(emulator, property='name=="alpha"')) == ["alpha"]


def test_comparison_on_a_text_field_is_1448(emulator: EmulatorSession, three: list[str]) -> None:
    response = _list(emulator, property="name>5")
    assert _code(response) == "1448-400"
    assert "name" in response.json()["errorMessage"]


def test_comparison_on_a_timestamp(emulator: EmulatorSession, three: list[str]) -> None:
    assert len(_names(_list(emulator, property="createdAt>0"))) == 3
    assert _names(_list(emulator, property="createdAt<0")) == []


def test_property_filter_with_unknown_operator_is_1450(emulator: EmulatorSession, three: list[str]) -> None:
    assert _code(_list(emulator, property="name=alpha")) == "1450-400"


def test_property_filter_with_tilde_is_1440(emulator: EmulatorSession, three: list[str]) -> None:
    response = _list(emulator, property="name~alp")
    assert _code(response) == "1440-400"
    assert response.json()["errorMessage"] == "Operator '~' not implemented"


def test_orderby_ascending_name(emulator: EmulatorSession, three: list[str]) -> None:
    assert _names(_list(emulator, orderby="+name")) == ["alpha", "bravo", "charlie"]


def test_orderby_descending_name(emulator: EmulatorSession, three: list[str]) -> None:
    assert _names(_list(emulator, orderby="-name")) == ["charlie", "bravo", "alpha"]


def test_orderby_without_prefix_is_ascending(emulator: EmulatorSession, three: list[str]) -> None:
    assert _names(_list(emulator, orderby="createdAt")) == ["bravo", "alpha", "charlie"]


def test_orderby_unknown_field_is_1433(emulator: EmulatorSession, three: list[str]) -> None:
    response = _list(emulator, orderby="-colour")
    assert _code(response) == "1433-400"
    assert response.json()["errorMessage"] == "Incorrect field 'colour' in orderBy"


def test_orderby_bad_prefix_is_1432(emulator: EmulatorSession, three: list[str]) -> None:
    assert _code(_list(emulator, orderby="*name")) == "1432-400"


def test_limit_pages_with_continuation_token_and_next_link(
    emulator: EmulatorSession, three: list[str]
) -> None:
    first = _list(emulator, limit=2, orderby="+name")
    assert _names(first) == ["alpha", "bravo"]
    href = first.json()["_links"]["next"]["href"]
    assert href.startswith("/connections?continuationToken=")
    query = parse_qs(urlsplit(href).query)
    assert list(query) == ["continuationToken"]
    assert "=" not in href.split("=", 1)[1]
    assert "&" not in href
    second = emulator.request("GET", href)
    assert _names(second) == ["charlie"]
    assert "_links" not in second.json()


def test_limit_over_100_is_rejected(emulator: EmulatorSession) -> None:
    response = _list(emulator, limit=101)
    assert response.status_code == 400
    assert response.json()["type"].endswith("-400")
    assert "limit" in response.json()["errorMessage"]


def test_limit_100_is_accepted(emulator: EmulatorSession, three: list[str]) -> None:
    assert len(_names(_list(emulator, limit=100))) == 3


def test_invalid_continuation_token_is_1451(emulator: EmulatorSession) -> None:
    response = _list(emulator, continuationToken="!!not-a-token!!")
    assert _code(response) == "1451-400"
    assert "continuationToken" in response.json()["errorMessage"]


def test_count_returns_only_the_count(emulator: EmulatorSession, three: list[str]) -> None:
    response = _list(emulator, count="true", property="name==alpha,bravo")
    assert response.status_code == 200
    assert response.json() == {"count": 2}


def test_count_with_limit_is_1401(emulator: EmulatorSession) -> None:
    response = _list(emulator, count="true", limit=5)
    assert _code(response) == "1401-400"
    assert response.json()["errorMessage"] == "The limit and count parameters cannot be given together"


def test_unknown_query_param_is_1451(emulator: EmulatorSession) -> None:
    response = _list(emulator, start="10")
    assert _code(response) == "1451-400"
    assert response.json()["errorMessage"] == "Invalid query param start"
