"""Create, read, update and delete of the four pipeline resources, on ``pulumi_aep.pipeline``'s pure logic.

Each resource is one ``Lifecycle``; ``LIFECYCLES`` maps the resource name to it. Outputs always come
from a GET after the write (Flow Service answers writes with ``{id, etag}`` only), so a refresh right
after an up shows no change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from pulumi_aep.client import ConnectionRef, Json, Listing, list_request
from pulumi_aep.created_window import Lookup, create_reconciled
from pulumi_aep.errors import (
    AepError,
    ApiError,
    CreateIncompleteError,
    NotFoundError,
    PreconditionFailedError,
    ValidationError,
)
from pulumi_aep.operations import refused_delete
from pulumi_aep.pipeline import dataflow, dataset, flow_specs, source_connection, target_connection
from pulumi_aep.pipeline.definition import ResourceDefinition
from pulumi_aep.pipeline.runs import runs_of
from pulumi_aep.pipeline_client import CatalogClient, Collection, PipelineClient
from pulumi_aep.pipeline_ops import IN_USE_CODES, read_or_gone

Props = Mapping[str, Any]


@dataclass(frozen=True)
class Clients:
    flow: PipelineClient
    catalog: CatalogClient


class Lifecycle:
    """A Flow Service entity (source or target connection): POST, GET, PATCH name/description, DELETE.

    ``used_by`` names the kind of entity whose use of this one makes Adobe refuse its delete (None: none).
    """

    def __init__(
        self,
        module: Any,
        collection: Collection,
        label: str,
        id_output: str,
        used_by: str | None,
    ) -> None:
        self.definition: ResourceDefinition = module.DEFINITION
        self._m = module
        self.collection: Collection = collection
        self.label, self.id_output, self.used_by = label, id_output, used_by

    def create(self, clients: Clients, props: Props, sandbox: str) -> dict[str, Any]:
        """POST once, reconciling a lost answer; then the outputs from a GET."""
        ref = self._post(clients.flow, sandbox, self._m.create_body(props))
        return self._completed(
            clients,
            ref.id,
            sandbox,
            lambda: self._outputs(
                clients,
                props,
                clients.flow.get(collection=self.collection, sandbox=sandbox, entity_id=ref.id),
                sandbox,
            ),
        )

    def _completed(
        self, clients: Clients, id_: str, sandbox: str, finish: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """``finish()``: the steps after the create (reading it back, enabling a flow) and the outputs.

        A create that raises leaves nothing in the stack's state, so when a step after it fails (its
        own retries spent) the new entity is deleted again: nothing is orphaned and the next
        ``pulumi up`` creates it afresh.

        Raises:
            CreateIncompleteError: a step failed; says whether the new entity was deleted again or
                which id remains and how to delete it.
        """
        try:
            return finish()
        except AepError as exc:
            what = f"{self._name(id_)} in sandbox {sandbox!r}"
            try:
                self.remove(clients, id_, sandbox)
            except NotFoundError:
                outcome, remaining = "it is already gone", None
            except AepError as cleanup:
                outcome, remaining = (
                    f"deleting it again failed too ({cleanup}), so it still exists: delete it "
                    f"({self.where(id_)}), then run again",
                    id_,
                )
            else:
                outcome, remaining = "it was deleted again; run `pulumi up` again", None
            raise CreateIncompleteError(
                f"created {what}, then the step after the create failed ({exc}); {outcome}",
                remaining_id=remaining,
                cause=exc,
            ) from exc

    def remove(self, clients: Clients, id_: str, sandbox: str) -> None:
        """One DELETE of the entity (the clean-up of a create that could not be completed)."""
        clients.flow.delete(collection=self.collection, sandbox=sandbox, entity_id=id_)

    def where(self, id_: str) -> str:
        """Where a user deletes the entity by hand."""
        return f"DELETE /{self.collection}/{id_}, or Sources in the AEP UI"

    def _post(self, client: PipelineClient, sandbox: str, body: Json) -> ConnectionRef:
        name = str(body["name"])
        filters = {"name": name}

        def listing(resend: bool) -> Listing:
            return client.list_dated(
                collection=self.collection, sandbox=sandbox, filters=filters, resend=resend
            )

        def candidate(item: Json) -> ConnectionRef | None:
            same = item.get("id") and self._same(item, body)
            return ConnectionRef(str(item["id"]), str(item.get("etag") or "")) if same else None

        hint = f"find it with {list_request(self.collection, filters)} in sandbox {sandbox!r}"
        return create_reconciled(
            client.policy,
            f"{self.label} {name!r} in sandbox {sandbox!r}",
            lambda: client.create(collection=self.collection, sandbox=sandbox, body=body),
            Lookup(listing, candidate, client.client_id, hint),
        )

    @staticmethod
    def _same(item: Json, body: Json) -> bool:
        """The listed entity is what ``body`` creates (same name and every top-level key but text)."""
        keys = ("baseConnectionId", "params", "data", "sourceConnectionIds", "targetConnectionIds")
        return item.get("name") == body["name"] and all(
            _subset(body[k], item.get(k)) for k in keys if k in body
        )

    def _outputs(self, clients: Clients, props: Props, item: Json, sandbox: str) -> dict[str, Any]:
        return self._view(props, item, sandbox)

    def _view(self, props: Props, item: Json, sandbox: str) -> dict[str, Any]:
        """The entity's state as outputs, from one GET item alone (no further calls)."""
        return dict(self._m.outputs(props, item, sandbox))

    def read(self, clients: Clients, id_: str, props: Props, sandbox: str) -> dict[str, Any] | None:
        """Live outputs, or None when a 404 says the entity is gone."""
        item = read_or_gone(
            self._name(id_),
            lambda: clients.flow.get(collection=self.collection, sandbox=sandbox, entity_id=id_),
        )
        return None if item is None else self._outputs(clients, props, item, sandbox)

    def update(self, clients: Clients, id_: str, olds: Props, news: Props, sandbox: str) -> dict[str, Any]:
        """One JSON Patch with ``If-Match``; on 412 re-read, recompute from the fresh state, retry once."""
        self._patch(clients.flow, id_, olds, news, sandbox)
        return self._outputs(
            clients,
            news,
            clients.flow.get(collection=self.collection, sandbox=sandbox, entity_id=id_),
            sandbox,
        )

    def _patch(self, client: PipelineClient, id_: str, olds: Props, news: Props, sandbox: str) -> None:
        ops = self._m.patch_ops(olds, news)
        if not ops:
            return
        try:
            client.patch(
                collection=self.collection,
                sandbox=sandbox,
                entity_id=id_,
                etag=str(olds.get("etag") or "*"),
                ops=ops,
            )
        except PreconditionFailedError:
            fresh = client.get(collection=self.collection, sandbox=sandbox, entity_id=id_)
            ops = self._m.patch_ops(self._view(olds, fresh, sandbox), news)
            if ops:
                client.patch(
                    collection=self.collection,
                    sandbox=sandbox,
                    entity_id=id_,
                    etag=str(fresh.get("etag")),
                    ops=ops,
                )

    def delete(self, clients: Clients, id_: str, sandbox: str) -> None:
        """Delete; gone counts as success; in use fails with Adobe's code and what to delete first."""
        self._delete(
            f"{self._name(id_)} in sandbox {sandbox!r}",
            lambda: clients.flow.delete(collection=self.collection, sandbox=sandbox, entity_id=id_),
        )

    def _delete(self, label: str, remove: Callable[[], None]) -> None:
        """``remove()``; a 404 saying it is gone is success; refused because ``used_by`` use it: say so.

        Raises:
            ConnectionInUseError: Adobe refused (1418, 1447); names the dependents, what to delete first,
                and keeps Adobe's code and request id.
        """
        try:
            read_or_gone(label, remove)
        except ApiError as exc:
            if self.used_by is None or not (exc.code or "").startswith(IN_USE_CODES):
                raise
            raise refused_delete(label, exc, self.used_by) from exc

    def _name(self, id_: str) -> str:
        return f"{self.label} {id_}"


def _subset(want: Any, have: Any) -> bool:
    """``want`` is contained in ``have`` (dicts by key, everything else equal)."""
    if isinstance(want, Mapping):
        return isinstance(have, Mapping) and all(_subset(v, have.get(k)) for k, v in want.items())
    return bool(want == have)


class DataflowLifecycle(Lifecycle):
    """Flows: the flow spec resolved (or looked up by name), ``enabled`` through the action endpoint,
    and the last run's status among the outputs."""

    def __init__(self) -> None:
        super().__init__(dataflow, "flows", "dataflow", "flow_id", None)

    def create(self, clients: Clients, props: Props, sandbox: str) -> dict[str, Any]:
        ref = self._post(
            clients.flow, sandbox, dataflow.create_body(props, self._spec_id(clients, props, sandbox))
        )
        op = dataflow.action(True, props.get("enabled"))

        def finish() -> dict[str, Any]:
            if op is not None:
                clients.flow.flow_action(sandbox=sandbox, flow_id=ref.id, op=op)
            item = clients.flow.get(collection="flows", sandbox=sandbox, entity_id=ref.id)
            return self._outputs(clients, props, item, sandbox)

        return self._completed(clients, ref.id, sandbox, finish)

    def _spec_id(self, clients: Clients, props: Props, sandbox: str) -> str:
        known = flow_specs.resolved_id(props)
        if known is not None:
            return known
        name = str(props["flow_spec_name"])
        spec = clients.flow.flow_spec_by_name(sandbox=sandbox, name=name)
        if spec is None:
            raise ValidationError("flow_spec_name", f"no flow spec is called {name!r}: use CloudStorageToAEP")
        source = clients.flow.get(
            collection="sourceConnections", sandbox=sandbox, entity_id=str(props["source_connection_id"])
        )
        target = clients.flow.get(
            collection="targetConnections", sandbox=sandbox, entity_id=str(props["target_connection_id"])
        )
        failures = flow_specs.pairing_failures(
            spec, source_spec_id=_spec_of(source), target_spec_id=_spec_of(target)
        )
        if failures:
            raise ValidationError(failures[0].property, failures[0].reason)
        return str(spec["id"])

    def _view(self, props: Props, item: Json, sandbox: str) -> dict[str, Any]:
        return dataflow.outputs(props, item, (), sandbox)

    def _outputs(self, clients: Clients, props: Props, item: Json, sandbox: str) -> dict[str, Any]:
        runs = runs_of({"items": clients.flow.runs_of_flow(sandbox=sandbox, flow_id=str(item["id"]))})
        return dataflow.outputs(props, item, runs, sandbox)

    def update(self, clients: Clients, id_: str, olds: Props, news: Props, sandbox: str) -> dict[str, Any]:
        self._patch(clients.flow, id_, olds, news, sandbox)
        op = dataflow.action(olds.get("enabled"), news.get("enabled"))
        if op is not None:
            clients.flow.flow_action(sandbox=sandbox, flow_id=id_, op=op)
        return self._outputs(
            clients, news, clients.flow.get(collection="flows", sandbox=sandbox, entity_id=id_), sandbox
        )


def _spec_of(item: Json) -> str:
    return str((item.get("connectionSpec") or {}).get("id"))


class DatasetLifecycle(Lifecycle):
    """Catalog datasets: POST ``/dataSets`` (reconciled), GET keyed by id, PATCH by fields, DELETE."""

    def __init__(self) -> None:
        super().__init__(dataset, "flows", "dataset", "dataset_id", "target connections")

    def create(self, clients: Clients, props: Props, sandbox: str) -> dict[str, Any]:
        catalog, body = clients.catalog, dataset.create_body(props)
        name, schema = str(body["name"]), body["schemaRef"]["id"]

        def listing(resend: bool) -> Listing:
            return catalog.datasets_named_dated(sandbox=sandbox, name=name, resend=resend)

        def candidate(item: Json) -> str | None:
            return str(item["id"]) if (item.get("schemaRef") or {}).get("id") == schema else None

        hint = f"find it with GET /dataSets?limit=100 in sandbox {sandbox!r} (or Datasets in the AEP UI)"
        id_ = create_reconciled(
            catalog.policy,
            f"dataset {name!r} in sandbox {sandbox!r}",
            lambda: catalog.create_dataset(sandbox, body),
            Lookup(listing, candidate, catalog.client_id, hint, created_key="created"),
        )
        return self._completed(
            clients,
            id_,
            sandbox,
            lambda: dataset.outputs(
                props,
                catalog.get_dataset(sandbox=sandbox, dataset_id=id_),
                dataset_id=id_,
                sandbox=sandbox,
            ),
        )

    def remove(self, clients: Clients, id_: str, sandbox: str) -> None:
        clients.catalog.delete_dataset(sandbox=sandbox, dataset_id=id_)

    def where(self, id_: str) -> str:
        return f"DELETE /dataSets/{id_} in Catalog, or Datasets in the AEP UI"

    def read(self, clients: Clients, id_: str, props: Props, sandbox: str) -> dict[str, Any] | None:
        answer = read_or_gone(
            self._name(id_), lambda: clients.catalog.get_dataset(sandbox=sandbox, dataset_id=id_)
        )
        return None if answer is None else dataset.outputs(props, answer, dataset_id=id_, sandbox=sandbox)

    def update(self, clients: Clients, id_: str, olds: Props, news: Props, sandbox: str) -> dict[str, Any]:
        body = dataset.patch_body(olds, news)
        if body:
            clients.catalog.patch_dataset(sandbox=sandbox, dataset_id=id_, body=body)
        return dataset.outputs(
            news,
            clients.catalog.get_dataset(sandbox=sandbox, dataset_id=id_),
            dataset_id=id_,
            sandbox=sandbox,
        )

    def delete(self, clients: Clients, id_: str, sandbox: str) -> None:
        self._delete(
            f"dataset {id_} in sandbox {sandbox!r}",
            lambda: clients.catalog.delete_dataset(sandbox=sandbox, dataset_id=id_),
        )


#: Resource name -> lifecycle (stateless, shared by every core), in dependency order.
LIFECYCLES: Final[dict[str, Lifecycle]] = {
    "AzureBlobSourceConnection": Lifecycle(
        source_connection, "sourceConnections", "source connection", "source_connection_id", "dataflows"
    ),
    "Dataset": DatasetLifecycle(),
    "DataLakeTargetConnection": Lifecycle(
        target_connection, "targetConnections", "target connection", "target_connection_id", "dataflows"
    ),
    "Dataflow": DataflowLifecycle(),
}
