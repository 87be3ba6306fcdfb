"""Tenancy and behaviour switches of the emulator: orgs, sandboxes, API clients, strict modes.

A config file is JSON::

    {"orgs": [{"id": "ACME@AdobeOrg", "sandboxes": ["prod", "dev"]}],
     "clients": [{"client_id": "c1", "client_secret": "s1", "orgs": ["ACME@AdobeOrg"],
                  "scopes": "openid,AdobeID,..."}],
     "token_lifetime_s": 86399,
     "strict_version": false, "strict_if_match": false,
     "delete_status": 204, "block_referenced_deletes": true, "max_runs_per_flow": 100}

Anything left out takes the defaults of :mod:`aep_emulator.defaults`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aep_emulator import defaults


def _sandbox_id(org_id: str, name: str) -> str:
    # Stable across restarts so a persisted connection keeps its sandboxId.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"aep-emulator:{org_id}:{name}"))


@dataclass(frozen=True)
class Sandbox:
    """One sandbox of an org."""

    name: str
    id: str


@dataclass(frozen=True)
class Org:
    """One IMS org and its sandboxes."""

    id: str
    sandboxes: tuple[Sandbox, ...]

    def sandbox(self, name: str) -> Sandbox | None:
        """Return the sandbox called ``name``, or None."""
        for sandbox in self.sandboxes:
            if sandbox.name == name:
                return sandbox
        return None


@dataclass(frozen=True)
class Client:
    """One API client (Developer Console OAuth server-to-server credential)."""

    client_id: str
    client_secret: str
    orgs: tuple[str, ...]
    scopes: frozenset[str]


@dataclass(frozen=True)
class EmulatorConfig:
    """All emulator settings; the defaults are one org, sandboxes prod and dev, and one client."""

    orgs: tuple[Org, ...] = field(default_factory=lambda: (default_org(),))
    clients: tuple[Client, ...] = field(default_factory=lambda: (default_client(),))
    #: Seconds an access token lives; ``expires_in`` of the IMS answer.
    token_lifetime_s: int = defaults.DEFAULT_TOKEN_LIFETIME_S
    #: OAS-D behaviour: a missing ``connectionSpec.version`` is a 422 (default: OAS-S, it means "1.0").
    strict_version: bool = False
    #: OAS-D behaviour: ``If-Match`` must be wrapped in double quotes (default: quoted or bare both match).
    strict_if_match: bool = False
    #: Status of a successful DELETE of a Flow Service entity: 204 (OAS-S, tutorials) or 202 (OAS-D).
    delete_status: int = 204
    #: Refuse deleting a base connection used by source connections (1418) and a dataset used by target
    #: connections (1447); off: only flows block a delete, as Adobe documents.
    block_referenced_deletes: bool = True
    #: Runs kept per flow, the newest (by start time); older ones are dropped from memory and the state file.
    max_runs_per_flow: int = defaults.MAX_RUNS_PER_FLOW

    def org(self, org_id: str) -> Org | None:
        """Return the org ``org_id``, or None."""
        for org in self.orgs:
            if org.id == org_id:
                return org
        return None

    def client(self, client_id: str) -> Client | None:
        """Return the API client ``client_id``, or None."""
        for client in self.clients:
            if client.client_id == client_id:
                return client
        return None

    def with_overrides(self, token_lifetime_s: int | None = None) -> EmulatorConfig:
        """Return a copy with the given command-line overrides applied."""
        if token_lifetime_s is None:
            return self
        return replace(self, token_lifetime_s=int(token_lifetime_s))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EmulatorConfig:
        """Build a config from its JSON form (see the module docstring).

        Raises:
            ValueError: when the document is malformed.
        """
        base = cls()
        orgs = tuple(_org_from_dict(o) for o in data.get("orgs", [])) or base.orgs
        clients = tuple(_client_from_dict(c, orgs) for c in data.get("clients", [])) or base.clients
        known = {o.id for o in orgs}
        for client in clients:
            unknown = set(client.orgs) - known
            if unknown:
                raise ValueError(f"client {client.client_id!r} names unknown orgs {sorted(unknown)}")
        return cls(
            orgs=orgs,
            clients=clients,
            token_lifetime_s=int(data.get("token_lifetime_s", base.token_lifetime_s)),
            strict_version=bool(data.get("strict_version", False)),
            strict_if_match=bool(data.get("strict_if_match", False)),
            delete_status=_delete_status(data.get("delete_status", 204)),
            block_referenced_deletes=bool(data.get("block_referenced_deletes", True)),
            max_runs_per_flow=_positive(data.get("max_runs_per_flow", defaults.MAX_RUNS_PER_FLOW)),
        )

    @classmethod
    def from_file(cls, path: str | Path) -> EmulatorConfig:
        """Load a JSON config file.

        Raises:
            ValueError: when the file is not a valid config.
            OSError: when it cannot be read.
        """
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: the config must be a JSON object")
        return cls.from_dict(data)


def default_org() -> Org:
    """The default org with sandboxes ``prod`` and ``dev``."""
    org_id = defaults.DEFAULT_ORG_ID
    return Org(org_id, tuple(Sandbox(n, _sandbox_id(org_id, n)) for n in defaults.DEFAULT_SANDBOXES))


def default_client() -> Client:
    """The default API client, entitled to the default org with Adobe's default AEP scopes."""
    return Client(
        defaults.DEFAULT_CLIENT_ID,
        defaults.DEFAULT_CLIENT_SECRET,
        (defaults.DEFAULT_ORG_ID,),
        frozenset(defaults.DEFAULT_SCOPES.split(",")),
    )


def _org_from_dict(data: dict[str, Any]) -> Org:
    org_id = str(data["id"])
    names = data.get("sandboxes") or list(defaults.DEFAULT_SANDBOXES)
    return Org(org_id, tuple(Sandbox(str(n), _sandbox_id(org_id, str(n))) for n in names))


def _client_from_dict(data: dict[str, Any], orgs: tuple[Org, ...]) -> Client:
    scopes = data.get("scopes", defaults.DEFAULT_SCOPES)
    if isinstance(scopes, str):
        scopes = scopes.split(",")
    return Client(
        client_id=str(data["client_id"]),
        client_secret=str(data["client_secret"]),
        orgs=tuple(str(o) for o in data.get("orgs", [orgs[0].id])),
        scopes=frozenset(str(s).strip() for s in scopes if str(s).strip()),
    )


def _delete_status(value: Any) -> int:
    if value not in (202, 204):
        raise ValueError(f"delete_status must be 202 or 204, not {value!r}")
    return int(value)


def _positive(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"max_runs_per_flow must be a positive integer, not {value!r}")
    return value
