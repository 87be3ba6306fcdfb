"""Typed clients for the pipeline endpoints: Flow Service entities, flow specs, runs, Catalog datasets.

Both subclass ``FlowServiceClient`` so they reuse its one session (the single retry policy: POST and
PATCH never repeated), its token cache and 401 renewal, and its error mapping (status, Adobe code,
request id, redaction). They differ only in their base path. ``pipeline_clients`` builds both on one
session and token source per provider configuration, shared by every thread of the process.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, Final, Literal

import requests

from pulumi_aep.client import (
    DELETE_STATUSES,
    MAX_PAGES,
    PAGE_SIZE,
    ConnectionRef,
    FlowServiceClient,
    Json,
    Listing,
)
from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import UnexpectedResponseError
from pulumi_aep.pipeline.dataset import dataset_id_from_create
from pulumi_aep.transport import expect_deleted, json_object, required, server_time_ms

CATALOG_PATH: Final = "/data/foundation/catalog"
#: The Flow Service collections a pipeline writes.
Collection = Literal["sourceConnections", "targetConnections", "flows"]
FlowAction = Literal["enable", "disable"]


class PipelineClient(FlowServiceClient):
    """``/sourceConnections``, ``/targetConnections``, ``/flows`` (+ actions), ``/flowSpecs``, ``/runs``.

    Every 2xx answer that is not Flow Service's JSON (an object, with ``id`` where a write answers
    one) raises ``UnexpectedResponseError``, as the base client does.
    """

    def create(self, *, collection: Collection, sandbox: str, body: Json) -> ConnectionRef:
        """``POST /<collection>``: ``{id, etag}``; never retried here (the lifecycle reconciles)."""
        what = f"creating {collection} entry {body.get('name')!r} in sandbox {sandbox!r}"
        response = self._call("POST", f"/{collection}", sandbox, what, json=body, resend=False)
        answer = json_object(response, what)
        return ConnectionRef(id=required(answer, "id", what, response), etag=str(answer.get("etag") or ""))

    def get(self, *, collection: str, sandbox: str, entity_id: str) -> Json:
        """``GET /<collection>/{id}``: the one item. Raises ``NotFoundError``."""
        what = f"reading {collection} {entity_id} in sandbox {sandbox!r}"
        response = self._call("GET", f"/{collection}/{entity_id}", sandbox, what)
        items = json_object(response, what).get("items")
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            raise UnexpectedResponseError(
                f"{what}: the answer has no items", status=response.status_code, request_id=None
            )
        return dict(items[0])

    def list_all(self, *, collection: str, sandbox: str, filters: Mapping[str, str]) -> list[Json]:
        """``GET /<collection>?property=k==v&...`` following ``_links.next`` pages."""
        return self.list_dated(collection=collection, sandbox=sandbox, filters=filters).items

    def list_dated(
        self, *, collection: str, sandbox: str, filters: Mapping[str, str], resend: bool = True
    ) -> Listing:
        """Like ``list_all``, with the server's clock of the first page's answer (``Date``).

        A value with a comma is compared here (``split_filters``). ``resend=False``: each page is sent
        once (the caller's own loop retries, one budget).
        """
        what = f"listing {collection} in sandbox {sandbox!r}"
        return self._list_dated(f"/{collection}", sandbox, what, filters, resend=resend)

    def patch(
        self, *, collection: Collection, sandbox: str, entity_id: str, etag: str, ops: list[Json]
    ) -> ConnectionRef:
        """``PATCH /<collection>/{id}`` (JSON Patch, ``If-Match``). Raises ``PreconditionFailedError``."""
        what = f"updating {collection} {entity_id} in sandbox {sandbox!r}"
        response = self._call(
            "PATCH",
            f"/{collection}/{entity_id}",
            sandbox,
            what,
            json=ops,
            headers={"If-Match": etag},
        )
        answer = json_object(response, what)
        return ConnectionRef(id=str(answer.get("id") or entity_id), etag=str(answer.get("etag") or ""))

    def delete(self, *, collection: Collection, sandbox: str, entity_id: str) -> None:
        """``DELETE /<collection>/{id}`` (204 or 202). Raises ``NotFoundError`` or the in-use error.

        Raises:
            UnexpectedResponseError: another 2xx (not Flow Service answering), so it was not deleted.
        """
        what = f"deleting {collection} {entity_id} in sandbox {sandbox!r}"
        response = self._call("DELETE", f"/{collection}/{entity_id}", sandbox, what)
        expect_deleted(response, what, statuses=DELETE_STATUSES)

    def flow_action(self, *, sandbox: str, flow_id: str, op: FlowAction) -> ConnectionRef:
        """``POST /flows/{id}/action?op=enable|disable``: repeating it is harmless, but it is sent once.

        Bodiless, but with ``Content-Type: application/json`` as Adobe's examples send it (the gateway
        refuses a write without one).
        """
        what = f"{op[:-1]}ing dataflow {flow_id} in sandbox {sandbox!r}"
        headers = {"Content-Type": "application/json"}
        path = f"/flows/{flow_id}/action"
        response = self._call("POST", path, sandbox, what, params={"op": op}, headers=headers)
        answer = json_object(response, what)
        return ConnectionRef(id=str(answer.get("id") or flow_id), etag=str(answer.get("etag") or ""))

    def flow_spec_by_name(self, *, sandbox: str, name: str) -> Json | None:
        """The flow spec called ``name`` (``GET /flowSpecs?property=name==<name>``), or None."""
        found = [
            s
            for s in self.list_all(collection="flowSpecs", sandbox=sandbox, filters={"name": name})
            if s.get("name") == name
        ]
        return found[0] if found else None

    def runs_of_flow(self, *, sandbox: str, flow_id: str) -> list[Json]:
        """The flow's runs (``GET /runs?property=flowId==<id>``)."""
        return self.list_all(collection="runs", sandbox=sandbox, filters={"flowId": flow_id})


class CatalogClient(FlowServiceClient):
    """Catalog ``/dataSets``: create, get (an object keyed by id), list by name, PATCH, delete."""

    def __init__(self, config: ProviderConfig, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self._base = f"{config.platform_url}{CATALOG_PATH}"

    def create_dataset(self, sandbox: str, body: Json) -> str:
        """``POST /dataSets`` -> the id from ``["@/dataSets/<id>"]``; never retried here."""
        what = f"creating dataset {body.get('name')!r} in sandbox {sandbox!r}"
        response = self._call("POST", "/dataSets", sandbox, what, json=body, resend=False)
        dataset_id = dataset_id_from_create(_json_or_none(response))
        if dataset_id is None:
            raise UnexpectedResponseError(
                f'{what}: the answer is not Catalog\'s ["@/dataSets/<id>"] '
                f"({response.headers.get('Content-Type') or 'no content type'})",
                status=response.status_code,
                request_id=response.headers.get("x-request-id"),
            )
        return dataset_id

    def get_dataset(self, *, sandbox: str, dataset_id: str) -> Json:
        """``GET /dataSets/{id}``: ``{"<id>": {...}}``. Raises ``NotFoundError``."""
        what = f"reading dataset {dataset_id} in sandbox {sandbox!r}"
        response = self._call("GET", f"/dataSets/{dataset_id}", sandbox, what)
        answer = json_object(response, what)
        if not isinstance(answer.get(dataset_id), dict):
            raise UnexpectedResponseError(
                f"{what}: the answer has no entry for {dataset_id}",
                status=response.status_code,
                request_id=response.headers.get("x-request-id"),
            )
        return answer

    def datasets_named(self, *, sandbox: str, name: str) -> dict[str, Json]:
        """Datasets called ``name``, keyed by id, over every page of the listing."""
        listing = self.datasets_named_dated(sandbox=sandbox, name=name)
        return {str(d["id"]): d for d in listing.items}

    def datasets_named_dated(self, *, sandbox: str, name: str, resend: bool = True) -> Listing:
        """Datasets called ``name`` (each with its ``id``), with the server's clock of the first page.

        ``GET /dataSets?limit=<n>&start=<offset>`` (Catalog's documented list, an object keyed by id),
        page after page until one holds fewer than ``limit``; the name is matched here, as the
        ``property`` filter is not served everywhere. ``resend=False``: each page is sent once.
        """
        what = f"listing datasets named {name!r} in sandbox {sandbox!r}"
        items, server_ms = list[Json](), None
        for page_no in range(MAX_PAGES):
            params = {"limit": str(PAGE_SIZE), "start": str(page_no * PAGE_SIZE)}
            response = self._call("GET", "/dataSets", sandbox, what, params=params, resend=resend)
            if page_no == 0:
                server_ms = server_time_ms(response)
            page = json_object(response, what)
            items.extend(
                {**v, "id": k} for k, v in page.items() if isinstance(v, dict) and v.get("name") == name
            )
            if len(page) < PAGE_SIZE:
                break
        return Listing(items, server_ms)

    def patch_dataset(self, *, sandbox: str, dataset_id: str, body: Json) -> None:
        """``PATCH /dataSets/{id}`` with Catalog's update-by-fields body."""
        what = f"updating dataset {dataset_id} in sandbox {sandbox!r}"
        self._call("PATCH", f"/dataSets/{dataset_id}", sandbox, what, json=body)

    def delete_dataset(self, *, sandbox: str, dataset_id: str) -> None:
        """``DELETE /dataSets/{id}``: Catalog's 200 ``["@/dataSets/<id>"]`` (or a 204/202) means deleted.

        Raises:
            NotFoundError: no such dataset (the caller decides whether that is success).
            UnexpectedResponseError: any other answer (e.g. a 200 page from a host that is not Catalog),
                so it was not deleted.
        """
        what = f"deleting dataset {dataset_id} in sandbox {sandbox!r}"
        response = self._call("DELETE", f"/dataSets/{dataset_id}", sandbox, what)
        # The delete answers the same one-reference array as the create.
        if dataset_id_from_create(_json_or_none(response)) == dataset_id:
            return
        expect_deleted(
            response, what, statuses=DELETE_STATUSES, expected=f'Catalog\'s 200 ["@/dataSets/{dataset_id}"]'
        )


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


_LOCK: Final = threading.Lock()
_CLIENTS: Final[dict[ProviderConfig, tuple[PipelineClient, CatalogClient]]] = {}


def pipeline_clients(config: ProviderConfig) -> tuple[PipelineClient, CatalogClient]:
    """The process-wide pipeline and Catalog clients of ``config``.

    They send on the base connection's client's session and token cache (``core.client_for``), so
    one provider process asks IMS for one token whatever resources it serves.
    """
    from pulumi_aep.core import client_for

    base = client_for(config)
    with _LOCK:
        pair = _CLIENTS.get(config)
        if pair is None:
            session, tokens = base.session, base.tokens
            pair = (
                PipelineClient(config, session, tokens),
                CatalogClient(config, session=session, tokens=tokens),
            )
            _CLIENTS[config] = pair
        return pair


def reset_pipeline_clients() -> None:
    """Drop the cached clients (tests; credential rotation)."""
    with _LOCK:
        _CLIENTS.clear()
