"""D2: the org is recorded with each connection; changing aep:orgId replaces, never empties state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_aep.errors import ConfigurationError
from pulumi_aep.provider import AzureBlobConnectionProvider, reset_clients

from .conftest import raw_config
from .helpers import props

pytestmark = pytest.mark.emulator
ORG_B = "B0B0B0B0B0B0B0B0B0B0B0B0@AdobeOrg"


@pytest.fixture(scope="module")
def two_orgs() -> Iterator[Any]:
    """An emulator where the default credential reaches two orgs."""
    from aep_emulator import defaults
    from aep_emulator.config import EmulatorConfig
    from aep_emulator.server import EmulatorServer

    config = EmulatorConfig.from_dict(
        {
            "orgs": [
                {"id": defaults.DEFAULT_ORG_ID, "sandboxes": ["prod"]},
                {"id": ORG_B, "sandboxes": ["prod"]},
            ],
            "clients": [
                {
                    "client_id": defaults.DEFAULT_CLIENT_ID,
                    "client_secret": defaults.DEFAULT_CLIENT_SECRET,
                    "orgs": [defaults.DEFAULT_ORG_ID, ORG_B],
                    "scopes": defaults.DEFAULT_SCOPES,
                }
            ],
        }
    )
    with EmulatorServer(config=config) as server:
        yield server


def _provider(server: Any, **overrides: str) -> AzureBlobConnectionProvider:
    reset_clients()
    provider = AzureBlobConnectionProvider()
    provider.configure(ConfigureRequest(Config(raw_config(server.base_url, **overrides), "proj")))
    return provider


def _created_in_org_a(server: Any) -> tuple[str, dict[str, Any]]:
    server.control.reset(tokens=True)
    provider = _provider(server)
    created = provider.create(provider.check({}, props()).inputs)
    assert created.outs is not None
    return created.id, created.outs


def test_the_org_is_recorded_with_the_connection(two_orgs: Any) -> None:
    from aep_emulator import defaults

    _, outs = _created_in_org_a(two_orgs)
    assert outs["org_id"] == defaults.DEFAULT_ORG_ID


def test_an_org_change_previews_as_a_replacement(two_orgs: Any) -> None:
    connection_id, outs = _created_in_org_a(two_orgs)
    in_b = _provider(two_orgs, orgId=ORG_B)
    news = in_b.check(outs, props()).inputs
    assert "org_id" in (in_b.diff(connection_id, outs, news).replaces or [])


def test_refresh_after_an_org_change_keeps_the_connection(two_orgs: Any) -> None:
    connection_id, outs = _created_in_org_a(two_orgs)
    refreshed = _provider(two_orgs, orgId=ORG_B).read(connection_id, outs)
    assert refreshed.id == connection_id
    assert refreshed.outs is not None
    assert refreshed.outs["org_id"] == outs["org_id"]


def test_destroy_after_an_org_change_deletes_in_the_recorded_org(two_orgs: Any) -> None:
    connection_id, outs = _created_in_org_a(two_orgs)
    _provider(two_orgs, orgId=ORG_B).delete(connection_id, outs)
    assert two_orgs.control.connections() == []


def test_a_state_without_the_org_keeps_working(two_orgs: Any) -> None:
    """States written before the org was recorded: no diff, refreshed in aep:orgId, then recorded."""
    from aep_emulator import defaults

    connection_id, outs = _created_in_org_a(two_orgs)
    old = {k: v for k, v in outs.items() if k != "org_id"}
    provider = _provider(two_orgs)
    news = provider.check(old, props(connection_string=old["connection_string"])).inputs
    assert provider.diff(connection_id, old, news).changes is False
    refreshed = provider.read(connection_id, old)
    assert refreshed.outs is not None
    assert refreshed.outs["org_id"] == defaults.DEFAULT_ORG_ID


def _legacy(outs: dict[str, Any]) -> dict[str, Any]:
    """The state an older provider version wrote: no ``org_id`` recorded."""
    return {k: v for k, v in outs.items() if k != "org_id"}


def test_a_state_without_the_org_is_never_dropped_after_an_org_change(two_orgs: Any) -> None:
    """D2 for old states: read in the new aep:orgId the connection is a 404, but it still exists in the
    old org, so refresh fails saying how to record the org instead of dropping it from state."""
    connection_id, outs = _created_in_org_a(two_orgs)
    with pytest.raises(ConfigurationError, match="does not record the org") as info:
        _provider(two_orgs, orgId=ORG_B).read(connection_id, _legacy(outs))
    assert "run `pulumi refresh` with the old aep:orgId" in str(info.value)
    assert "not dropped from the state" in str(info.value)
    refreshed = _provider(two_orgs).read(connection_id, _legacy(outs))  # the way out: the old org
    assert refreshed.outs is not None
    assert refreshed.outs["org_id"] == outs["org_id"]


def test_a_state_without_the_org_is_never_counted_as_deleted_after_an_org_change(two_orgs: Any) -> None:
    connection_id, outs = _created_in_org_a(two_orgs)
    with pytest.raises(ConfigurationError, match="not counted as deleted"):
        _provider(two_orgs, orgId=ORG_B).delete(connection_id, _legacy(outs))
    assert [c["id"] for c in two_orgs.control.connections()] == [connection_id]


def test_an_import_of_a_missing_id_still_reads_as_gone(two_orgs: Any) -> None:
    """``pulumi import`` has no state yet: a 404 in aep:orgId means there is nothing to import."""
    two_orgs.control.reset(tokens=True)
    assert _provider(two_orgs).read("0b0b0b0b-0000-4000-8000-000000000000", {}).id is None
