"""IMS backend: the OAuth2 client-credentials grant and the store of issued access tokens (no HTTP)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from aep_emulator.config import EmulatorConfig
from aep_emulator.errors import OAuthError


@dataclass(frozen=True)
class Token:
    """An issued access token."""

    access_token: str
    client_id: str
    expires_at: float

    def expired(self, now: float) -> bool:
        """Whether the token has expired at wall-clock time ``now``."""
        return now >= self.expires_at


class TokenStore:
    """Issues and checks bearer tokens; thread-safe; expiry follows the configured lifetime."""

    def __init__(self, config: EmulatorConfig, clock: Callable[[], float] = time.time) -> None:
        self._config = config
        self._clock = clock
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()
        #: Called after a token is issued (persistence saves a snapshot).
        self.on_change: Callable[[], None] | None = None

    def issue(self, params: Mapping[str, str]) -> dict[str, Any]:
        """Run the client-credentials grant on the form or query parameters ``params``.

        Returns:
            The IMS v3 answer ``{"access_token", "token_type": "bearer", "expires_in"}`` (seconds).

        Raises:
            OAuthError: invalid_request, unsupported_grant_type, invalid_client or invalid_scope.
        """
        grant_type = params.get("grant_type")
        if not grant_type:
            raise OAuthError(400, "invalid_request", "missing grant_type parameter")
        if grant_type != "client_credentials":
            raise OAuthError(400, "unsupported_grant_type", f"unsupported grant_type '{grant_type}'")
        for name in ("client_id", "client_secret", "scope"):
            if not params.get(name):
                raise OAuthError(400, "invalid_request", f"missing {name} parameter")
        client = self._config.client(params["client_id"])
        if client is None:
            raise OAuthError(400, "invalid_client", "invalid client_id parameter")
        if not secrets.compare_digest(client.client_secret, params["client_secret"]):
            raise OAuthError(401, "invalid_client", "invalid client_secret parameter")
        requested = {s.strip() for s in params["scope"].split(",") if s.strip()}
        if not requested or not requested <= client.scopes:
            raise OAuthError(
                400, "invalid_scope", "invalid_scope: the requested scopes are not allowed for this client"
            )
        lifetime = self._config.token_lifetime_s
        token = Token("emu." + secrets.token_urlsafe(32), client.client_id, self._clock() + lifetime)
        with self._lock:
            self._tokens[token.access_token] = token
        if self.on_change is not None:
            self.on_change()
        return {"access_token": token.access_token, "token_type": "bearer", "expires_in": lifetime}

    def lookup(self, access_token: str) -> Token | None:
        """Return the live token ``access_token``, or None when unknown or expired."""
        token = self._tokens.get(access_token)
        if token is None or token.expired(self._clock()):
            return None
        return token

    def clear(self) -> None:
        """Forget every issued token."""
        with self._lock:
            self._tokens.clear()

    def dump(self) -> list[dict[str, Any]]:
        """Return the live tokens in a JSON-ready form (for the state file)."""
        now = self._clock()
        with self._lock:
            return [asdict(t) for t in self._tokens.values() if not t.expired(now)]

    def load(self, items: list[dict[str, Any]]) -> None:
        """Restore tokens saved by :meth:`dump`."""
        with self._lock:
            for item in items:
                token = Token(str(item["access_token"]), str(item["client_id"]), float(item["expires_at"]))
                self._tokens[token.access_token] = token
