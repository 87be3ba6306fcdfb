"""Typed Flow Service client for base connections: create, get, list, patch, delete, test, explore."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import requests

from pulumi_aep.auth import TokenSource, token_source
from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import ApiError
from pulumi_aep.transport import build_session, error_from_response, transport_error

FLOW_SERVICE_PATH: Final = "/data/foundation/flowservice"
#: Largest page Flow Service serves, and a safety stop when following ``_links.next``.
PAGE_SIZE: Final = 100
MAX_PAGES: Final = 50

Json = dict[str, Any]


@dataclass(frozen=True)
class ConnectionRef:
    """What create and patch answer: the connection id and its new etag (quotes included)."""

    id: str
    etag: str


class FlowServiceClient:
    """Talks to ``{platform_url}/data/foundation/flowservice``; one instance per provider process.

    Thread-safe: the session is shared read-only and the token source locks its own cache.
    Every method takes the sandbox explicitly because resources of one stack may use several.
    """

    def __init__(
        self,
        config: ProviderConfig,
        session: requests.Session | None = None,
        tokens: TokenSource | None = None,
    ) -> None:
        self.config = config
        self._session = session or build_session(config)
        self._tokens = tokens or token_source(self._session, config)
        self._base = f"{config.platform_url}{FLOW_SERVICE_PATH}"

    def __repr__(self) -> str:
        return f"FlowServiceClient(platform_url={self.config.platform_url!r}, org_id={self.config.org_id!r})"

    @property
    def client_id(self) -> str | None:
        """The API client id (``x-api-key``); Flow Service records it as ``createdClient``."""
        return self.config.client_id

    def create_connection(self, sandbox: str, body: Json, secrets: Sequence[str] = ()) -> ConnectionRef:
        """``POST /connections``; never retried here (see ``operations.create`` for reconciliation)."""
        what = f"creating connection {body.get('name')!r} in sandbox {sandbox!r}"
        answer = self._call("POST", "/connections", sandbox, what, json=body, secrets=secrets).json()
        return ConnectionRef(id=str(answer["id"]), etag=str(answer["etag"]))

    def get_connection(self, sandbox: str, connection_id: str) -> Json:
        """``GET /connections/{id}``; secret params come back masked. Raises ``NotFoundError``."""
        what = f"reading connection {connection_id} in sandbox {sandbox!r}"
        items = self._call("GET", f"/connections/{connection_id}", sandbox, what).json().get("items") or []
        if not items:
            raise ApiError(f"{what}: the answer has no items", status=200)
        return dict(items[0])

    def list_connections(self, sandbox: str, filters: Mapping[str, str]) -> list[Json]:
        """``GET /connections?property=k==v&...`` following ``_links.next`` pages."""
        what = f"listing connections in sandbox {sandbox!r}"
        params: list[tuple[str, str]] | None = [
            *(("property", f"{k}=={v}") for k, v in filters.items()),
            ("limit", str(PAGE_SIZE)),
        ]
        path, items = "/connections", list[Json]()
        for _ in range(MAX_PAGES):
            page = self._call("GET", path, sandbox, what, params=params).json()
            items.extend(page.get("items") or [])
            href = ((page.get("_links") or {}).get("next") or {}).get("href")
            if not href:
                break
            # ``href`` is relative to the Flow Service base path (Adobe's own wrappers append it).
            path, params = str(href).removeprefix(self._base).removeprefix(FLOW_SERVICE_PATH), None
        return items

    def patch_connection(
        self, sandbox: str, connection_id: str, etag: str, ops: list[Json], secrets: Sequence[str] = ()
    ) -> ConnectionRef:
        """``PATCH /connections/{id}`` with a JSON Patch array and ``If-Match: <etag>``.

        Raises:
            PreconditionFailedError: the etag is stale (412).
        """
        what = f"updating connection {connection_id} in sandbox {sandbox!r}"
        headers = {"If-Match": etag}
        answer = self._call(
            "PATCH",
            f"/connections/{connection_id}",
            sandbox,
            what,
            json=ops,
            headers=headers,
            secrets=secrets,
        ).json()
        return ConnectionRef(id=str(answer.get("id", connection_id)), etag=str(answer["etag"]))

    def delete_connection(self, sandbox: str, connection_id: str) -> None:
        """``DELETE /connections/{id}`` (204 or 202). Raises ``NotFoundError``, ``ConnectionInUseError``."""
        what = f"deleting connection {connection_id} in sandbox {sandbox!r}"
        self._call("DELETE", f"/connections/{connection_id}", sandbox, what)

    def test_connection(self, sandbox: str, connection_id: str) -> bool:
        """``GET /connections/{id}/test``: True when the platform can reach the storage."""
        what = f"testing connection {connection_id} in sandbox {sandbox!r}"
        return bool(
            self._call("GET", f"/connections/{connection_id}/test", sandbox, what).json().get("result")
        )

    def explore(
        self, sandbox: str, connection_id: str, object_type: str = "root", obj: str | None = None
    ) -> Any:
        """``GET /connections/{id}/explore?objectType=..[&object=..]``: list what the connection sees."""
        what = f"exploring connection {connection_id} in sandbox {sandbox!r}"
        params = {"objectType": object_type, **({"object": obj} if obj else {})}
        return self._call("GET", f"/connections/{connection_id}/explore", sandbox, what, params=params).json()

    def _call(
        self,
        method: str,
        path: str,
        sandbox: str,
        what: str,
        *,
        secrets: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send with fresh auth headers; on 401 renew the token once and resend (401 = never processed)."""
        token = self._tokens.token()
        response = self._send(method, path, sandbox, what, token, headers, **kwargs)
        if response.status_code == 401 and self._tokens.refreshable:
            self._tokens.invalidate(token)
            response = self._send(method, path, sandbox, what, self._tokens.token(), headers, **kwargs)
        if response.status_code >= 400:
            raise error_from_response(response, what, [*secrets, token])
        return response

    def _send(
        self,
        method: str,
        path: str,
        sandbox: str,
        what: str,
        token: str,
        extra: Mapping[str, str] | None,
        **kwargs: Any,
    ) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {token}",
            "x-api-key": self.config.client_id or "",
            "x-gw-ims-org-id": self.config.org_id or "",
            "x-sandbox-name": sandbox,
            "Accept": "application/json",
            **(extra or {}),
        }
        try:
            return self._session.request(
                method,
                f"{self._base}{path}",
                headers=headers,
                timeout=self.config.timeouts.as_requests(),
                **kwargs,
            )
        except requests.RequestException as exc:
            raise transport_error(exc, what) from exc
