"""Access tokens: IMS OAuth server-to-server (client credentials) with a thread-safe cache, or static."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Final, Protocol

import requests

from pulumi_aep.config import DEFAULT_IMS_URL, ENV_FALLBACKS, ProviderConfig, header_value
from pulumi_aep.errors import AuthenticationError, RateLimitedError, ServerError, UnexpectedResponseError
from pulumi_aep.retry import RetryPolicy, policy_for
from pulumi_aep.transport import error_from_response, json_object, required, transport_error

#: IMS v3 client-credentials endpoint path.
IMS_TOKEN_PATH: Final = "/ims/token/v3"  # noqa: S105 - a URL path, not a password
#: Refresh this long before expiry (Adobe's own wrapper uses ~500 s on 24 h tokens).
REFRESH_MARGIN_S: Final = 300.0
#: IMS statuses that mean "these credentials or scopes are wrong" (IMS answers 400 invalid_client).
IMS_REJECTED: Final = frozenset({400, 401, 403})
#: What to check when the host at aep:imsUrl answers as IMS never does (a 404, an HTML page).
IMS_HINT: Final = (
    f"check aep:imsUrl (Adobe's is {DEFAULT_IMS_URL}): the host that answered does not behave like IMS"
)


class TokenSource(Protocol):
    """Gives a bearer token; ``invalidate`` drops a token the API rejected (401)."""

    def token(self) -> str: ...

    def invalidate(self, token: str) -> None: ...

    @property
    def refreshable(self) -> bool: ...


class StaticToken:
    """A fixed ``aep:accessToken``; cannot be refreshed."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "StaticToken(<redacted>)"

    def token(self) -> str:
        return self._token

    def invalidate(self, token: str) -> None:
        """Nothing to do: a static token cannot be renewed."""

    @property
    def refreshable(self) -> bool:
        return False


class ClientCredentialsToken:
    """IMS client-credentials tokens, cached and renewed before expiry; safe across threads.

    One instance is shared by every resource of a provider process, so N concurrent CRUD calls cause
    one token request, not N.
    """

    def __init__(
        self,
        session: requests.Session,
        config: ProviderConfig,
        clock: Callable[[], float] = time.monotonic,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._session = session
        self._config = config
        self._clock = clock
        self._policy = policy or policy_for(config.retries)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def __repr__(self) -> str:
        return (
            f"ClientCredentialsToken(client_id={self._config.client_id!r}, ims_url={self._config.ims_url!r})"
        )

    @property
    def refreshable(self) -> bool:
        return True

    def token(self) -> str:
        """Return a valid token, asking IMS for a new one when none is cached or it is near expiry.

        Raises:
            AuthenticationError: IMS rejected the client id/secret or scopes.
            TransportError: IMS could not be reached.
        """
        with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                self._token, lifetime = self._fetch()
                margin = min(REFRESH_MARGIN_S, lifetime / 2)
                self._renew_at = self._clock() + lifetime - margin
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget ``token`` if it is still the cached one (another thread may have renewed it)."""
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch(self) -> tuple[str, float]:
        cfg = self._config
        what = f"getting an access token from IMS for client id {cfg.client_id!r}"
        form = {
            "grant_type": "client_credentials",
            "client_id": cfg.client_id or "",
            "client_secret": cfg.client_secret or "",
            "scope": cfg.scopes,
        }
        # A token request has no side effect, so it is retried like a GET, within the same policy.
        for attempt in range(self._policy.attempts):
            try:
                response = self._session.post(
                    f"{cfg.ims_url}{IMS_TOKEN_PATH}", data=form, timeout=cfg.timeouts.as_requests()
                )
            except requests.RequestException as exc:
                error = transport_error(exc, what)
                if not self._policy.should_retry("GET", attempt, request_sent=error.request_sent):
                    raise error from exc
                self._policy.pause(attempt, what, error.kind)
                continue
            if response.status_code >= 400 and self._policy.should_retry(
                "GET", attempt, status=response.status_code
            ):
                self._policy.pause(attempt, what, f"HTTP {response.status_code}")
                continue
            return self._token_from(response, what, attempt + 1)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _token_from(self, response: requests.Response, what: str, attempts: int) -> tuple[str, float]:
        """The token and its lifetime from IMS's answer.

        Raises:
            AuthenticationError: IMS rejected the credential (400, 401, 403).
            ServerError, RateLimitedError: IMS failed (5xx) or kept throttling (429).
            UnexpectedResponseError: an answer IMS never gives (another status, a body that is not its
                token JSON), naming aep:imsUrl.
        """
        secret = self._config.client_secret or ""
        status = response.status_code
        if status >= 400:
            error = error_from_response(response, what, [secret], attempts=attempts)
            if isinstance(error, ServerError | RateLimitedError):
                raise error  # IMS itself failed: not a credential problem
            cls = AuthenticationError if status in IMS_REJECTED else UnexpectedResponseError
            raise cls(
                error.message,
                status=error.status,
                code=error.code,
                request_id=error.request_id,
                hint=None if status in IMS_REJECTED else IMS_HINT,
            ) from None
        body = json_object(response, what, service="IMS", hint=IMS_HINT)
        token = required(body, "access_token", what, response, hint=IMS_HINT)
        try:
            lifetime = float(body.get("expires_in", 86399))
        except (TypeError, ValueError):
            lifetime = 86399.0
        return token, lifetime


class RotatedCredentials:
    """Tokens from the configured credential, switching once to the one in the environment if rejected.

    ``pulumi refresh`` and ``pulumi destroy`` configure the provider with the credential stored in
    the stack's state, which is stale after a rotation. When that one is rejected and ``AEP_*``
    holds a different credential, that one is used from then on (as the README documents).
    """

    def __init__(self, primary: TokenSource, fallback: Callable[[], TokenSource]) -> None:
        self._lock = threading.Lock()
        self._current = primary
        self._fallback: Callable[[], TokenSource] | None = fallback

    def __repr__(self) -> str:
        return f"RotatedCredentials({self._current!r})"

    @property
    def refreshable(self) -> bool:
        # Always: a call rejected with the old credential while another thread switched to the new
        # one must be resent with it (one resend at most, within the call's budget).
        return True

    def token(self) -> str:
        with self._lock:
            current = self._current
        try:
            return current.token()
        except AuthenticationError:
            if not self._switch(current):
                raise
            return self.token()

    def invalidate(self, token: str) -> None:
        with self._lock:
            current = self._current
        if not current.refreshable:  # a rejected static token: try the environment's
            self._switch(current)
            return
        current.invalidate(token)

    def _switch(self, rejected: TokenSource) -> bool:
        with self._lock:
            if self._current is not rejected:
                return True  # another thread switched already
            if self._fallback is None:
                return False
            self._current, self._fallback = self._fallback(), None
            return True


def _from_environment(config: ProviderConfig, environ: Mapping[str, str]) -> ProviderConfig | None:
    """``config`` with the environment's credential, when that differs from the configured one.

    Raises:
        ConfigurationError: that credential cannot travel in a header (as ``ProviderConfig`` checks).
    """
    secret = header_value("clientSecret", environ.get(ENV_FALLBACKS["clientSecret"]) or None)
    token = header_value("accessToken", environ.get(ENV_FALLBACKS["accessToken"]) or None)
    if token and token != config.access_token:
        return dataclasses.replace(config, access_token=token)
    if secret and (secret != config.client_secret or config.access_token):
        return dataclasses.replace(config, client_secret=secret, access_token=None)
    return None


def _single(session: requests.Session, config: ProviderConfig, policy: RetryPolicy | None) -> TokenSource:
    if config.access_token:
        return StaticToken(config.access_token)
    return ClientCredentialsToken(session, config, policy=policy)


def token_source(
    session: requests.Session,
    config: ProviderConfig,
    policy: RetryPolicy | None = None,
    environ: Mapping[str, str] | None = None,
) -> TokenSource:
    """A static token when ``aep:accessToken`` is set, else client credentials.

    When ``AEP_CLIENT_SECRET`` or ``AEP_ACCESS_TOKEN`` holds a different credential, it is tried
    once the configured one is rejected (credential rotation; see ``RotatedCredentials``).

    Raises:
        ConfigurationError: neither a token nor client credentials are configured, or the rotated
            credential in the environment holds whitespace at an end or a control character.
    """
    config.require_credentials()
    primary = _single(session, config, policy)
    rotated = _from_environment(config, os.environ if environ is None else environ)
    if rotated is None:
        return primary
    return RotatedCredentials(primary, lambda: _single(session, rotated, policy))
