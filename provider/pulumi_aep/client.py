"""Typed Flow Service client for base connections: create, get, list, patch, delete, test, explore."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import requests

from pulumi_aep.auth import TokenSource, token_source
from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import AepError, TransportError, UnexpectedResponseError
from pulumi_aep.retry import RetryPolicy, policy_for
from pulumi_aep.transport import (
    build_session,
    error_from_response,
    expect_deleted,
    json_object,
    required,
    retry_after_seconds,
    server_time_ms,
    transport_error,
)

FLOW_SERVICE_PATH: Final = "/data/foundation/flowservice"
#: Largest page Flow Service serves, and a safety stop when following ``_links.next``.
PAGE_SIZE: Final = 100
MAX_PAGES: Final = 50

Json = dict[str, Any]
#: What Flow Service answers a DELETE with; any other 2xx means something else answered.
DELETE_STATUSES: Final = frozenset({202, 204})


@dataclass(frozen=True)
class Listing:
    """A list answer: the items, and the server's clock when it answered (``Date``, epoch ms)."""

    items: list[Json]
    server_ms: int | None


def split_filters(filters: Mapping[str, str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The ``property=k==v`` params to send, and the filters to compare here instead.

    Flow Service reads a comma in a value as "any of" (``name==landing, prod`` is "landing or prod")
    and offers no escape, so a value with a comma is never sent: every item is listed and compared
    here. Every listing of Flow Service (``FlowServiceClient._list_dated``) and every hint telling a
    person which list to send (``list_request``) follow this rule.
    """
    sent = [("property", f"{k}=={v}") for k, v in filters.items() if "," not in v]
    return sent, {k: v for k, v in filters.items() if "," in v}


def list_request(collection: str, filters: Mapping[str, str]) -> str:
    """The list a person sends to find what ``filters`` match (``split_filters``' rule)."""
    sent, here = split_filters(filters)
    query = "&".join(f"{k}={v}" for k, v in sent)
    request = f"GET /{collection}{'?' if query else ''}{query}"
    if not here:
        return request
    looked_for = " and ".join(f"{k} {v!r}" for k, v in here.items())
    return f'{request} and look for {looked_for} in every page (a comma in property= means "any of")'


def _field(item: Json, dotted: str) -> Any:
    """``item``'s value at a dotted path (``connectionSpec.id``), None where it is missing."""
    value: Any = item
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


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
        policy: RetryPolicy | None = None,
    ) -> None:
        self.config = config
        self.policy = policy or policy_for(config.retries)
        self._session = session or build_session(config)
        self._tokens = tokens or token_source(self._session, config, self.policy)
        self._base = f"{config.platform_url}{FLOW_SERVICE_PATH}"

    def __repr__(self) -> str:
        return f"FlowServiceClient(platform_url={self.config.platform_url!r}, org_id={self.config.org_id!r})"

    @property
    def session(self) -> requests.Session:
        """The HTTP session (connection pool) this client sends on."""
        return self._session

    @property
    def tokens(self) -> TokenSource:
        """Where this client's access tokens come from (one cache per provider configuration)."""
        return self._tokens

    @property
    def client_id(self) -> str | None:
        """The API client id (``x-api-key``); Flow Service records it as ``createdClient``."""
        return self.config.client_id

    def create_connection(self, sandbox: str, body: Json, secrets: Sequence[str] = ()) -> ConnectionRef:
        """``POST /connections``, sent once (``operations.create`` reconciles and resends).

        Raises:
            UnexpectedResponseError: the answer is not ``{id, etag}`` JSON.
        """
        what = f"creating connection {body.get('name')!r} in sandbox {sandbox!r}"
        response = self._call("POST", "/connections", sandbox, what, json=body, secrets=secrets, resend=False)
        answer = json_object(response, what)
        return ConnectionRef(id=required(answer, "id", what, response), etag=str(answer.get("etag") or ""))

    def get_connection(self, *, sandbox: str, connection_id: str) -> Json:
        """``GET /connections/{id}``; secret params come back masked. Raises ``NotFoundError``."""
        what = f"reading connection {connection_id} in sandbox {sandbox!r}"
        response = self._call("GET", f"/connections/{connection_id}", sandbox, what)
        items = json_object(response, what).get("items")
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            raise UnexpectedResponseError(
                f"{what}: the answer has no items", status=response.status_code, request_id=None
            )
        return dict(items[0])

    def list_connections(self, sandbox: str, filters: Mapping[str, str]) -> list[Json]:
        """``GET /connections?property=k==v&...`` following ``_links.next`` pages."""
        return self.list_connections_dated(sandbox, filters).items

    def list_connections_dated(
        self, sandbox: str, filters: Mapping[str, str], *, resend: bool = True
    ) -> Listing:
        """Like ``list_connections``, with the server's clock of the first page's answer.

        Filters are ANDed (a value with a comma is compared here: ``split_filters``). ``resend=False``:
        the caller's own loop retries (one budget).
        """
        what = f"listing connections in sandbox {sandbox!r}"
        return self._list_dated("/connections", sandbox, what, filters, resend=resend)

    def _list_dated(
        self, path: str, sandbox: str, what: str, filters: Mapping[str, str], *, resend: bool
    ) -> Listing:
        """``GET <path>?property=k==v&...`` following ``_links.next`` pages, with the first page's ``Date``.

        Raises:
            UnexpectedResponseError: a page is not Flow Service's JSON with an ``items`` list.
        """
        sent, here = split_filters(filters)
        params: list[tuple[str, str]] | None = [*sent, ("limit", str(PAGE_SIZE))]
        items, server_ms = list[Json](), None
        for page_no in range(MAX_PAGES):
            response = self._call("GET", path, sandbox, what, params=params, resend=resend)
            if page_no == 0:
                server_ms = server_time_ms(response)
            page = json_object(response, what)
            listed = page.get("items")
            if not isinstance(listed, list):
                raise UnexpectedResponseError(
                    f"{what}: the answer has no items list", status=response.status_code, request_id=None
                )
            items.extend(
                dict(i)
                for i in listed
                if isinstance(i, dict) and all(_field(i, k) == v for k, v in here.items())
            )
            href = ((page.get("_links") or {}).get("next") or {}).get("href")
            if not href:
                break
            # ``href`` is relative to the Flow Service base path (Adobe's own wrappers append it).
            path, params = str(href).removeprefix(self._base).removeprefix(FLOW_SERVICE_PATH), None
        return Listing(items, server_ms)

    def patch_connection(
        self, *, sandbox: str, connection_id: str, etag: str, ops: list[Json], secrets: Sequence[str] = ()
    ) -> ConnectionRef:
        """``PATCH /connections/{id}`` with a JSON Patch array and ``If-Match: <etag>``.

        Raises:
            PreconditionFailedError: the etag is stale (412).
        """
        what = f"updating connection {connection_id} in sandbox {sandbox!r}"
        headers = {"If-Match": etag}
        response = self._call(
            "PATCH",
            f"/connections/{connection_id}",
            sandbox,
            what,
            json=ops,
            headers=headers,
            secrets=secrets,
            resend=False,
        )
        answer = json_object(response, what)
        return ConnectionRef(
            id=str(answer.get("id") or connection_id), etag=required(answer, "etag", what, response)
        )

    def delete_connection(self, *, sandbox: str, connection_id: str) -> None:
        """``DELETE /connections/{id}``: only 204 or 202 mean deleted.

        Raises:
            NotFoundError: no such connection (the caller decides whether that is success).
            ConnectionInUseError: dataflows still use it.
            UnexpectedResponseError: another status (e.g. a 200 from a host that is not Flow Service).
        """
        what = f"deleting connection {connection_id} in sandbox {sandbox!r}"
        response = self._call("DELETE", f"/connections/{connection_id}", sandbox, what)
        expect_deleted(response, what, statuses=DELETE_STATUSES)

    def test_connection(self, *, sandbox: str, connection_id: str) -> bool:
        """``GET /connections/{id}/test``: True when the platform can reach the storage."""
        what = f"testing connection {connection_id} in sandbox {sandbox!r}"
        response = self._call("GET", f"/connections/{connection_id}/test", sandbox, what)
        return bool(json_object(response, what).get("result"))

    def explore(
        self, *, sandbox: str, connection_id: str, object_type: str = "root", obj: str | None = None
    ) -> Any:
        """``GET /connections/{id}/explore?objectType=..[&object=..]``: list what the connection sees."""
        what = f"exploring connection {connection_id} in sandbox {sandbox!r}"
        params = {"objectType": object_type, **({"object": obj} if obj else {})}
        response = self._call("GET", f"/connections/{connection_id}/explore", sandbox, what, params=params)
        try:
            return response.json()
        except ValueError:
            return json_object(response, what)  # raises UnexpectedResponseError

    def _call(
        self,
        method: str,
        path: str,
        sandbox: str,
        what: str,
        *,
        secrets: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
        resend: bool = True,
        **kwargs: Any,
    ) -> requests.Response:
        """Send with fresh auth headers; retries as ``self.policy`` decides, within one budget.

        A 401 renews the token and resends once (a 401 was never processed). ``resend=False``
        (create, patch) sends a request that may have been applied only once: the caller reconciles.
        """
        renewed = False
        for attempt in range(self.policy.attempts):
            token = self._token()
            last = not resend or attempt + 1 >= self.policy.attempts
            try:
                response = self._send(method, path, sandbox, what, token, headers, **kwargs)
            except TransportError as exc:
                if last or not self.policy.should_retry(method, attempt, request_sent=exc.request_sent):
                    raise
                self.policy.pause(attempt, what, exc.kind)
                continue
            status = response.status_code
            if status == 401 and not renewed and self._tokens.refreshable:
                renewed = True
                self._tokens.invalidate(token)
                if not last:
                    continue
                response = self._send(method, path, sandbox, what, self._token(), headers, **kwargs)
                status = response.status_code
            if status >= 400 and not last and self.policy.should_retry(method, attempt, status=status):
                self.policy.pause(attempt, what, f"HTTP {status}", retry_after_seconds(response))
                continue
            if status >= 400:
                raise error_from_response(response, what, [*secrets, token], attempts=attempt + 1)
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _token(self) -> str:
        try:
            return self._tokens.token()
        except AepError as exc:
            exc.before_request = True
            raise

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
