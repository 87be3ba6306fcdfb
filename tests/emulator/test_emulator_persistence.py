"""State file: a stack survives an emulator restart; saves are atomic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aep_emulator.persistence import StateFile
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import fetch_token
from tests.helpers.emulator import EmulatorSession

pytestmark = pytest.mark.emulator


def test_connections_and_tokens_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(state_file=state) as first:
        session = EmulatorSession(first, fetch_token(first.base_url))
        created = session.create_connection()
        token = session.token
    with EmulatorServer(state_file=state) as second:
        again = EmulatorSession(second, token)
        item = again.get_connection(created["id"])
    assert item["etag"] == created["etag"]
    assert item["auth"]["params"]["connectionString"] == "xxxx"


def test_delete_is_persisted(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with EmulatorServer(state_file=state) as first:
        session = EmulatorSession(first, fetch_token(first.base_url))
        created = session.create_connection()
        assert session.request("DELETE", f"/connections/{created['id']}").status_code == 204
    with EmulatorServer(state_file=state) as second:
        session = EmulatorSession(second, fetch_token(second.base_url))
        response = session.request("GET", f"/connections/{created['id']}")
    assert response.status_code == 404


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    state = StateFile(tmp_path / "s.json")
    state.save({"backend": {"connections": []}})
    state.save({"backend": {"connections": [{"id": "x"}]}})
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]
    assert json.loads((tmp_path / "s.json").read_text())["state"]["backend"]["connections"] == [{"id": "x"}]


def test_failed_save_keeps_the_previous_file(tmp_path: Path) -> None:
    state = StateFile(tmp_path / "s.json")
    state.save({"n": 1})
    with pytest.raises(TypeError):
        state.save({"n": object()})
    assert state.load() == {"n": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_foreign_state_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"something": "else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not an aep-emulator state file"):
        StateFile(path).load()


def test_pipeline_collections_survive_a_restart(tmp_path: Path) -> None:
    from tests.helpers.pipeline import (
        CATALOG,
        CONVERSION,
        create_dataset,
        create_mapping,
        created_id,
        flow_body,
        platform,
        source_body,
        target_body,
    )

    state = tmp_path / "state.json"
    with EmulatorServer(state_file=state) as first:
        session = EmulatorSession(first, fetch_token(first.base_url))
        base = session.create_connection()["id"]
        source = created_id(session.request("POST", "/sourceConnections", json=source_body(base)))
        dataset = create_dataset(session)
        target = created_id(session.request("POST", "/targetConnections", json=target_body(dataset)))
        mapping = create_mapping(session)
        flow = created_id(session.request("POST", "/flows", json=flow_body(source, target, mapping)))
        runs = session.request("GET", "/runs", params={"property": f"flowId=={flow}", "limit": "3"}).json()
        token = session.token
    with EmulatorServer(state_file=state) as second:
        again = EmulatorSession(second, token)
        for path in (f"/sourceConnections/{source}", f"/targetConnections/{target}", f"/flows/{flow}"):
            assert again.request("GET", path).status_code == 200, path
        assert platform(again, "GET", f"{CATALOG}/dataSets/{dataset}").status_code == 200
        assert platform(again, "GET", f"{CONVERSION}/mappingSets/{mapping['id']}").status_code == 200
        run_id = runs["items"][0]["id"]
        assert again.request("GET", f"/runs/{run_id}").status_code == 200
        refused = again.request("DELETE", f"/connections/{base}")
    assert refused.status_code == 400
    assert refused.json()["type"].endswith("FLOW-1418-400")
