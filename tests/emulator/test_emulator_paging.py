"""Keyset paging of GET /connections: 250 connections, limit=7, a filter, an orderby, deletes between pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.helpers.emulator import EmulatorSession, blob_connection_body

pytestmark = pytest.mark.emulator

TOTAL = 250
PARAMS = {"limit": "7", "orderby": "-name", "property": "description==keep"}


@pytest.fixture
def created(emulator: EmulatorSession) -> dict[str, str]:
    """name -> id of 250 connections; every fifth one is filtered out by ``description==keep``."""
    ids = {}
    for i in range(TOTAL):
        body = blob_connection_body(name=f"conn-{i:03d}", description="drop" if i % 5 == 0 else "keep")
        ids[f"conn-{i:03d}"] = emulator.create_connection(body)["id"]
    return ids


def _by_href(emulator: EmulatorSession, body: dict[str, Any]) -> Any:
    return emulator.request("GET", body["_links"]["next"]["href"])


def _by_token_only(emulator: EmulatorSession, body: dict[str, Any]) -> Any:
    token = parse_qs(urlsplit(body["_links"]["next"]["href"]).query)["continuationToken"][0]
    return emulator.request("GET", "/connections", params={"continuationToken": token})


def _by_token_and_params(emulator: EmulatorSession, body: dict[str, Any]) -> Any:
    """What the public Python wrapper does: the text after the first ``=`` plus the original params."""
    token = body["_links"]["next"]["href"].split("=")[1]
    return emulator.request("GET", "/connections", params={**PARAMS, "continuationToken": token})


def _walk(
    emulator: EmulatorSession,
    created: dict[str, str],
    follow: Callable[[EmulatorSession, dict[str, Any]], Any],
) -> tuple[list[str], set[str]]:
    """Page through the list, deleting two not-yet-served and one served connection between pages."""
    response = emulator.request("GET", "/connections", params=PARAMS)
    served: list[str] = []
    deleted: set[str] = set()
    pending = sorted((n for i, n in enumerate(sorted(created)) if i % 5), reverse=True)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= 7
        served += [item["name"] for item in body["items"]]
        if "next" not in body.get("_links", {}):
            return served, deleted
        unserved = [n for n in pending if n not in served and n not in deleted]
        for name in [*unserved[3:5], served[-2]]:
            assert emulator.request("DELETE", f"/connections/{created[name]}").status_code == 204
            deleted.add(name)
        response = follow(emulator, body)


@pytest.mark.parametrize("follow", [_by_href, _by_token_only, _by_token_and_params])
def test_every_item_exactly_once_in_order_with_deletes(
    emulator: EmulatorSession,
    created: dict[str, str],
    follow: Callable[[EmulatorSession, dict[str, Any]], Any],
) -> None:
    served, deleted = _walk(emulator, created, follow)
    kept = sorted((n for i, n in enumerate(sorted(created)) if i % 5), reverse=True)
    expected = [n for n in kept if n not in deleted or n in served]
    assert served == expected
    assert len(served) == len(set(served))
    assert len(served) > 100


def test_a_page_link_carries_only_the_token(emulator: EmulatorSession, created: dict[str, str]) -> None:
    body = emulator.request("GET", "/connections", params=PARAMS).json()
    href = body["_links"]["next"]["href"]
    assert href.startswith("/connections?continuationToken=")
    assert href.count("=") == 1
    assert "&" not in href
