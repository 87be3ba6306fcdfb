"""Issue 11 D8 on every face, through the real CLI: after a credential is rotated, `refresh` and `destroy`
(which configure the provider with the credential stored in the stack) work with the new one in ``AEP_*``,
and without it the 401 says what works.

Two rotations: the client secret (the emulator restarted with a new secret for the same client, its
entities kept in a state file) and a static ``aep:accessToken`` (the emulator forgets every token).
"""

from __future__ import annotations

import dataclasses
import secrets as random_secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aep_emulator.config import EmulatorConfig, default_client
from aep_emulator.server import EmulatorServer
from aep_emulator.testing import Credentials, fetch_token
from tests.e2e.harness import PulumiProject
from tests.faces.harness import Face
from tests.helpers.secret_scan import leaks

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]


@dataclass
class RotatingEmulator:
    """An emulator whose one API client's secret can be rotated: a restart on the same port and state file."""

    state_file: Path
    client_secret: str
    server: EmulatorServer

    @classmethod
    def start(cls, state_file: Path, client_secret: str, port: int = 0) -> RotatingEmulator:
        client = dataclasses.replace(default_client(), client_secret=client_secret)
        config = dataclasses.replace(EmulatorConfig(), clients=(client,))
        server = EmulatorServer(port=port, config=config, state_file=state_file).start()
        return cls(state_file, client_secret, server)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def rotate(self) -> str:
        """Give the client a new secret (the old one is rejected from now on); return it."""
        self.server.stop()
        rotated = RotatingEmulator.start(self.state_file, _new_secret("after"), self.server.port)
        self.client_secret, self.server = rotated.client_secret, rotated.server
        return self.client_secret


def _new_secret(when: str) -> str:
    return f"p8e-{when}-rotation-{random_secrets.token_urlsafe(12)}"


@pytest.fixture
def rotating_emulator(tmp_path: Path) -> Iterator[RotatingEmulator]:
    emulator = RotatingEmulator.start(tmp_path / "emulator-state.json", _new_secret("before"))
    yield emulator
    emulator.server.stop()


def _said(result: Any) -> str:
    return str(result.stdout) + str(result.stderr)


def _refresh_fails_saying_what_works(project: PulumiProject, stale: dict[str, str]) -> None:
    """Without the new credential in the environment: the 401 names AEP_* and `pulumi up` first, no secret."""
    for result in (project.refresh(check=False), project.destroy(check=False)):
        said = _said(result)
        assert result.returncode != 0, said
        flat = " ".join(said.split())
        assert "AEP_CLIENT_SECRET (or AEP_ACCESS_TOKEN)" in flat, said
        assert "pulumi up` first" in flat, said
        assert leaks(said, stale) == []


def _refresh_and_destroy_with(project: PulumiProject, env: dict[str, str], emulator: EmulatorServer) -> None:
    """With the new credential in the environment: refresh keeps the connection, destroy deletes it."""
    [before] = [c["id"] for c in emulator.control.connections()]
    project.cli.extra_env.update(env)
    refreshed = project.refresh()
    assert leaks(_said(refreshed), env) == []
    assert project.outputs()["id"] == before
    project.destroy()
    assert emulator.control.connections() == []


def test_refresh_and_destroy_use_the_rotated_client_secret_from_the_environment(
    face: Face, project_factory: Callable[[Face, str], PulumiProject], rotating_emulator: RotatingEmulator
) -> None:
    project = project_factory(face, rotating_emulator.base_url)
    project.config("aep:clientSecret", rotating_emulator.client_secret, secret=True)
    project.up()
    stale = {"old client secret": rotating_emulator.client_secret}
    new = rotating_emulator.rotate()
    _refresh_fails_saying_what_works(project, {**stale, "new client secret": new})
    _refresh_and_destroy_with(project, {"AEP_CLIENT_SECRET": new}, rotating_emulator.server)
    project.remove()


def test_refresh_and_destroy_use_the_rotated_token_from_the_environment(
    face: Face, project_factory: Callable[[Face, str], PulumiProject], rotating_emulator: RotatingEmulator
) -> None:
    server = rotating_emulator.server
    project = project_factory(face, server.base_url)
    project.config("aep:clientSecret", rotating_emulator.client_secret, secret=True)
    credentials = Credentials(client_secret=rotating_emulator.client_secret)
    old = fetch_token(server.base_url, credentials)
    project.config("aep:accessToken", old, secret=True)
    project.up()
    server.emulator.tokens.clear()  # the old token is revoked ...
    new = fetch_token(server.base_url, credentials)  # ... a new one issued
    _refresh_fails_saying_what_works(project, {"old token": old, "new token": new})
    _refresh_and_destroy_with(project, {"AEP_ACCESS_TOKEN": new}, server)
    project.remove()
