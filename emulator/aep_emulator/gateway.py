"""The adobe.io gateway's header checks, run before Flow Service routing (flow-service-api.md §12.B).

Plain logic over a header mapping with lowercase names; the ASGI middleware calls :meth:`Gateway.check`.
"""

from __future__ import annotations

from collections.abc import Mapping

from aep_emulator import errors
from aep_emulator.backend import Caller
from aep_emulator.config import EmulatorConfig
from aep_emulator.ims import TokenStore

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class Gateway:
    """Checks, in the documented order: token, API key, org, sandbox, then Content-Type on writes."""

    def __init__(self, config: EmulatorConfig, tokens: TokenStore) -> None:
        self._config = config
        self._tokens = tokens

    def check(self, method: str, headers: Mapping[str, str], has_body_route: bool = True) -> Caller:
        """Return who is calling, or raise the gateway's (or Flow Service's) header error.

        Raises:
            GatewayError: 403010, 401013, 403000, 403003, 400003, 403025.
            FlowError: 2105-400 (no sandbox header), 2100-404 (unknown sandbox).
            ContentTypeError: a POST/PUT/PATCH without ``Content-Type: application/json`` (only when
                ``has_body_route``: a method no route serves is left to the router's 405).
        """
        authorization = headers.get("authorization", "").strip()
        if not authorization:
            raise errors.token_missing()
        scheme, _, value = authorization.partition(" ")
        token = self._tokens.lookup(value.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise errors.token_invalid()
        api_key = headers.get("x-api-key", "").strip()
        if not api_key:
            raise errors.api_key_missing()
        if api_key != token.client_id:
            raise errors.api_key_invalid()
        org_id = headers.get("x-gw-ims-org-id", "").strip()
        if not org_id:
            raise errors.org_header_missing()
        client = self._config.client(token.client_id)
        org = self._config.org(org_id)
        if client is None or org is None or org_id not in client.orgs:
            raise errors.profile_not_valid()
        sandbox_name = headers.get("x-sandbox-name", "").strip()
        if not sandbox_name:
            raise errors.sandbox_header_missing()
        sandbox = org.sandbox(sandbox_name)
        if sandbox is None:
            raise errors.sandbox_not_found(sandbox_name)
        if has_body_route and method in WRITE_METHODS and not _is_json(headers.get("content-type", "")):
            raise errors.ContentTypeError()
        return Caller(
            org_id=org_id, sandbox_name=sandbox.name, sandbox_id=sandbox.id, client_id=token.client_id
        )
