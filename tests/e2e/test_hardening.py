"""Regression tests through the real CLI for defects seen through it (issue 11: D1, D2, D3, D7).

D8 (rotated credentials) runs on every face: tests/faces/test_rotated_credentials.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.harness import PulumiProject, configure
from tests.helpers.welcome import welcome_url
from tests.provider.helpers import connection_string
from tests.reliability.helpers import declared_name, state_connections

pytestmark = [pytest.mark.e2e, pytest.mark.emulator]
__all__ = ["welcome_url"]  # a pytest fixture

FLEET = "tests/reliability/programs/fleet"
ORG_B = "B0B0B0B0B0B0B0B0B0B0B0B0@AdobeOrg"


def _fleet(
    make_project: Callable[[str], PulumiProject], base_url: str, count: int, account: str = "aepteststore"
) -> PulumiProject:
    project = make_project(FLEET)
    configure(project, base_url)
    project.config("connectionString", connection_string(account), secret=True)
    project.config("count", str(count))
    project.config("prefix", "shared")
    project.config("aep:reconcileSeconds", "2")
    return project


def _said(result: Any) -> str:
    return str(result.stdout) + str(result.stderr)


def test_destroying_a_stack_never_deletes_the_same_named_connection_of_another(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any
) -> None:
    """D1: c2 is up; c1 (same names, container, folders; other account) gets one 500 on its POST."""
    c2 = _fleet(make_project, fresh_emulator.base_url, 1, account="c2store")
    c2.up()
    theirs = set(state_connections(c2.export()).values())
    c1 = _fleet(make_project, fresh_emulator.base_url, 1, account="c1store")
    fresh_emulator.control.inject_fault("POST", "/connections", 1, status=500)
    c1.up()
    mine = set(state_connections(c1.export()).values())
    assert not mine & theirs
    c1.destroy()
    assert {c["id"] for c in fresh_emulator.control.connections()} == theirs


def test_lost_create_whose_reconcile_fails_tells_how_to_adopt(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any
) -> None:
    """D3: the POST's answer is lost, then the lists answer 503: `up` says a connection may exist."""
    project = _fleet(make_project, fresh_emulator.base_url, 1)
    fresh_emulator.control.inject_fault("POST", "/connections", 1, action="drop_response")
    fresh_emulator.control.inject_fault("GET", "/connections", 1000, status=503)
    result = project.up(check=False)
    fresh_emulator.control.clear_faults()
    assert result.returncode != 0
    said = " ".join(_said(result).split())
    assert "may exist" in said, said
    assert "adopt_existing_id" in said
    [left] = fresh_emulator.control.connections()
    posts = [
        r for r in fresh_emulator.control.requests() if r["method"] == "POST" and "/connections" in r["path"]
    ]
    assert len(posts) == 1, posts
    assert declared_name(left["name"]) == "shared-0"


@pytest.fixture
def two_orgs() -> Iterator[Any]:
    from aep_emulator import defaults
    from aep_emulator.config import EmulatorConfig
    from aep_emulator.server import EmulatorServer

    orgs = [defaults.DEFAULT_ORG_ID, ORG_B]
    config = EmulatorConfig.from_dict(
        {
            "orgs": [{"id": org, "sandboxes": ["prod"]} for org in orgs],
            "clients": [
                {
                    "client_id": defaults.DEFAULT_CLIENT_ID,
                    "client_secret": defaults.DEFAULT_CLIENT_SECRET,
                    "orgs": orgs,
                    "scopes": defaults.DEFAULT_SCOPES,
                }
            ],
        }
    )
    with EmulatorServer(config=config) as server:
        yield server


def test_org_change_replaces_and_never_empties_state(
    make_project: Callable[[str], PulumiProject], two_orgs: Any
) -> None:
    """D2: 3 connections in org A, then aep:orgId set to org B (same credential reaches both)."""
    project = _fleet(make_project, two_orgs.base_url, 3)
    project.up()
    in_a = set(state_connections(project.export()).values())
    project.config("aep:orgId", ORG_B)
    preview = project.preview("--diff")
    assert "3 to replace" in " ".join(_said(preview).split()), _said(preview)
    project.refresh()
    assert set(state_connections(project.export()).values()) == in_a  # nothing dropped
    project.up()
    stored = two_orgs.control.connections()
    assert {c["imsOrgId"] for c in stored} == {ORG_B}  # replaced; org A's were deleted, no orphan
    assert {c["id"] for c in stored} == set(state_connections(project.export()).values())
    project.destroy()
    assert two_orgs.control.connections() == []


def test_wrong_platform_url_answering_200_keeps_state(
    make_project: Callable[[str], PulumiProject], fresh_emulator: Any, welcome_url: str
) -> None:
    """D7: `refresh` and `destroy` against a host that answers 200 to everything."""
    project = _fleet(make_project, fresh_emulator.base_url, 2)
    project.up()
    ids = set(state_connections(project.export()).values())
    project.config("aep:platformUrl", welcome_url)
    # `up` stores the new provider config without an API call (no change to any connection) ...
    assert project.up(check=False).returncode == 0
    # ... then refresh and destroy must neither crash nor count the welcome page as "deleted".
    for result in (project.refresh(check=False), project.destroy(check=False)):
        said = _said(result)
        assert result.returncode != 0, said
        assert "aep:platformUrl" in said
        assert "JSONDecodeError" not in said
        assert "UnexpectedResponseError" in said
        assert set(state_connections(project.export()).values()) == ids
    assert {c["id"] for c in fresh_emulator.control.connections()} == ids
    project.config("aep:platformUrl", fresh_emulator.base_url)
