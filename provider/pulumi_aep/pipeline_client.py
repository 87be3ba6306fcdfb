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

from pulumi_aep.auth import token_source
from pulumi_aep.client import FLOW_SERVICE_PATH, MAX_PAGES, PAGE_SIZE, ConnectionRef, FlowServiceClient, Json
from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import ApiError
from pulumi_aep.pipeline.dataset import dataset_id_from_create
from pulumi_aep.transport import build_session

CATALOG_PATH: Final = "/data/foundation/catalog"
#: The Flow Service collections a pipeline writes.
Collection = Literal["sourceConnections", "targetConnections", "flows"]
FlowAction = Literal["enable", "disable"]


class PipelineClient(FlowServiceClient):
    """``/sourceConnections``, ``/targetConnections``, ``/flows`` (+ actions), ``/flowSpecs``, ``/runs``."""

    def create(self, *, collection: Collection, sandbox: str, body: Json) -> ConnectionRef:
        """``POST /<collection>``: ``{id, etag}``; never retried here (the lifecycle reconciles)."""
        what = f"creating {collection} entry {body.get('name')!r} in sandbox {sandbox!r}"
        answer = self._call("POST", f"/{collection}", sandbox, what, json=body).json()
        return ConnectionRef(id=str(answer["id"]), etag=str(answer.get("etag", "")))

    def get(self, *, collection: str, sandbox: str, entity_id: str) -> Json:
        """``GET /<collection>/{id}``: the one item. Raises ``NotFoundError``."""
        what = f"reading {collection} {entity_id} in sandbox {sandbox!r}"
        items = self._call("GET", f"/{collection}/{entity_id}", sandbox, what).json().get("items") or []
        if not items:
            raise ApiError(f"{what}: the answer has no items", status=200)
        return dict(items[0])

    def list_all(self, *, collection: str, sandbox: str, filters: Mapping[str, str]) -> list[Json]:
        """``GET /<collection>?property=k==v&...`` following ``_links.next`` pages."""
        what = f"listing {collection} in sandbox {sandbox!r}"
        params: list[tuple[str, str]] | None = [
            *(("property", f"{k}=={v}") for k, v in filters.items()),
            ("limit", str(PAGE_SIZE)),
        ]
        path, items = f"/{collection}", list[Json]()
        for _ in range(MAX_PAGES):
            page = self._call("GET", path, sandbox, what, params=params).json()
            items.extend(page.get("items") or [])
            href = ((page.get("_links") or {}).get("next") or {}).get("href")
            if not href:
                break
            path, params = str(href).removeprefix(self._base).removeprefix(FLOW_SERVICE_PATH), None
        return items

    def patch(
        self, *, collection: Collection, sandbox: str, entity_id: str, etag: str, ops: list[Json]
    ) -> ConnectionRef:
        """``PATCH /<collection>/{id}`` (JSON Patch, ``If-Match``). Raises ``PreconditionFailedError``."""
        what = f"updating {collection} {entity_id} in sandbox {sandbox!r}"
        answer = self._call(
            "PATCH", f"/{collection}/{entity_id}", sandbox, what, json=ops, headers={"If-Match": etag}
        ).json()
        return ConnectionRef(id=str(answer.get("id", entity_id)), etag=str(answer.get("etag", "")))

    def delete(self, *, collection: Collection, sandbox: str, entity_id: str) -> None:
        """``DELETE /<collection>/{id}`` (204 or 202). Raises ``NotFoundError`` or the in-use error."""
        what = f"deleting {collection} {entity_id} in sandbox {sandbox!r}"
        self._call("DELETE", f"/{collection}/{entity_id}", sandbox, what)

    def flow_action(self, *, sandbox: str, flow_id: str, op: FlowAction) -> ConnectionRef:
        """``POST /flows/{id}/action?op=enable|disable``: repeating it is harmless, but it is sent once.

        Bodiless, but with ``Content-Type: application/json`` as Adobe's examples send it (the gateway
        refuses a write without one).
        """
        what = f"{op[:-1]}ing dataflow {flow_id} in sandbox {sandbox!r}"
        headers = {"Content-Type": "application/json"}
        path = f"/flows/{flow_id}/action"
        answer = self._call("POST", path, sandbox, what, params={"op": op}, headers=headers).json()
        return ConnectionRef(id=str(answer.get("id", flow_id)), etag=str(answer.get("etag", "")))

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
        answer = self._call("POST", "/dataSets", sandbox, what, json=body).json()
        dataset_id = dataset_id_from_create(answer)
        if dataset_id is None:
            raise ApiError(f'{what}: unexpected answer shape (want ["@/dataSets/<id>"])', status=201)
        return dataset_id

    def get_dataset(self, *, sandbox: str, dataset_id: str) -> Json:
        """``GET /dataSets/{id}``: ``{"<id>": {...}}``. Raises ``NotFoundError``."""
        what = f"reading dataset {dataset_id} in sandbox {sandbox!r}"
        return dict(self._call("GET", f"/dataSets/{dataset_id}", sandbox, what).json())

    def datasets_named(self, *, sandbox: str, name: str) -> dict[str, Json]:
        """Datasets called ``name``, keyed by id, among the listing's first ``PAGE_SIZE``.

        ``GET /dataSets?limit=<n>`` (Catalog's documented list; the name is matched here, as the
        ``property`` filter is not served everywhere). Open: paging past the first page with ``start``
        (a reconcile in an org with more datasets may miss one it created).
        """
        what = f"listing datasets named {name!r} in sandbox {sandbox!r}"
        answer = self._call("GET", "/dataSets", sandbox, what, params={"limit": str(PAGE_SIZE)}).json()
        return {k: dict(v) for k, v in answer.items() if isinstance(v, dict) and v.get("name") == name}

    def patch_dataset(self, *, sandbox: str, dataset_id: str, body: Json) -> None:
        """``PATCH /dataSets/{id}`` with Catalog's update-by-fields body."""
        what = f"updating dataset {dataset_id} in sandbox {sandbox!r}"
        self._call("PATCH", f"/dataSets/{dataset_id}", sandbox, what, json=body)

    def delete_dataset(self, *, sandbox: str, dataset_id: str) -> None:
        """``DELETE /dataSets/{id}``. Raises ``NotFoundError`` or the in-use error."""
        what = f"deleting dataset {dataset_id} in sandbox {sandbox!r}"
        self._call("DELETE", f"/dataSets/{dataset_id}", sandbox, what)


_LOCK: Final = threading.Lock()
_CLIENTS: Final[dict[ProviderConfig, tuple[PipelineClient, CatalogClient]]] = {}


def pipeline_clients(config: ProviderConfig) -> tuple[PipelineClient, CatalogClient]:
    """The process-wide pipeline and Catalog clients of ``config``: one session, one token cache."""
    with _LOCK:
        pair = _CLIENTS.get(config)
        if pair is None:
            session = build_session(config)
            tokens = token_source(session, config)
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
