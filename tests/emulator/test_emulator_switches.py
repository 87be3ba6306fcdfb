"""Switches where Adobe's sources disagree: ``delete_status`` (204/202) and ``block_referenced_deletes``."""

from __future__ import annotations

import pytest

from aep_emulator.config import EmulatorConfig
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import fetch_token
from tests.helpers.emulator import EmulatorSession
from tests.helpers.pipeline import CATALOG, create_dataset, created_id, platform, source_body, target_body

pytestmark = pytest.mark.emulator


def test_delete_status_202_and_references_not_blocked() -> None:
    config = EmulatorConfig(delete_status=202, block_referenced_deletes=False)
    with EmulatorServer(config=config) as server:
        session = EmulatorSession(server, fetch_token(server.base_url))
        base = session.create_connection()["id"]
        source = created_id(session.request("POST", "/sourceConnections", json=source_body(base)))
        dataset = create_dataset(session)
        target = created_id(session.request("POST", "/targetConnections", json=target_body(dataset)))
        assert session.request("DELETE", f"/connections/{base}").status_code == 204  # base connections: 204
        assert platform(session, "DELETE", f"{CATALOG}/dataSets/{dataset}").status_code == 200
        assert session.request("DELETE", f"/sourceConnections/{source}").status_code == 202
        assert session.request("DELETE", f"/targetConnections/{target}").status_code == 202
        assert session.request("GET", f"/sourceConnections/{source}").status_code == 404


def test_config_file_switches_are_read_and_checked() -> None:
    config = EmulatorConfig.from_dict({"delete_status": 202, "block_referenced_deletes": False})
    assert (config.delete_status, config.block_referenced_deletes) == (202, False)
    with pytest.raises(ValueError, match="delete_status must be 202 or 204"):
        EmulatorConfig.from_dict({"delete_status": 200})


def test_default_blocks_a_dataset_used_by_a_target(emulator: EmulatorSession) -> None:
    dataset = create_dataset(emulator)
    created_id(emulator.request("POST", "/targetConnections", json=target_body(dataset)))
    response = platform(emulator, "DELETE", f"{CATALOG}/dataSets/{dataset}")
    assert response.status_code == 400
    assert response.json()["type"].endswith("FLOW-1447-400")
