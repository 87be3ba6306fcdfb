"""State file: a stack survives an emulator restart; saves are atomic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aep_emulator.persistence import StateFile
from aep_emulator.server import EmulatorServer
from tests.helpers.emulator import EmulatorSession, fetch_token

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
