"""The one core of the pipeline resources: check, diff and CRUD by resource name, for both faces.

Like ``pulumi_aep.core`` for the connection: snake_case property maps in and out, one instance per
provider configuration, clients shared process-wide (``pipeline_client.pipeline_clients``). Check and
diff use only the pure modules of ``pulumi_aep.pipeline``; the lifecycles (and with them the HTTP
stack) are imported on the first API call, so a preview never loads requests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final

from pulumi.dynamic import CheckFailure, DiffResult

from pulumi_aep.config import ProviderConfig
from pulumi_aep.core import Change, Read
from pulumi_aep.errors import ValidationError
from pulumi_aep.pipeline import dataflow, dataset, source_connection, target_connection
from pulumi_aep.pipeline.definition import ResourceDefinition

if TYPE_CHECKING:
    from pulumi_aep.pipeline_lifecycle import Clients, Lifecycle

Props = Mapping[str, Any]
#: Resource name -> its pure module (``DEFINITION``, ``normalize``, ``check``, ``diff``, ...),
#: in dependency order.
MODULES: Final[dict[str, ModuleType]] = {
    "AzureBlobSourceConnection": source_connection,
    "Dataset": dataset,
    "DataLakeTargetConnection": target_connection,
    "Dataflow": dataflow,
}
RESOURCE_NAMES: Final = tuple(MODULES)
DEFINITIONS: Final[dict[str, ResourceDefinition]] = {n: m.DEFINITION for n, m in MODULES.items()}


def module_of(resource: str) -> ModuleType:
    """The pure module of ``resource`` (KeyError naming the known ones)."""
    try:
        return MODULES[resource]
    except KeyError:
        raise KeyError(f"no pipeline resource {resource!r}; known: {', '.join(RESOURCE_NAMES)}") from None


class PipelineCore:
    """Check, diff and CRUD of ``AzureBlobSourceConnection``, ``Dataset``, ``DataLakeTargetConnection``
    and ``Dataflow`` for one provider configuration; ``now`` (epoch seconds) is injectable."""

    def __init__(self, config: ProviderConfig, now: Callable[[], float] = time.time) -> None:
        self.config = config
        self._now = now

    def check(self, resource: str, news: Props) -> tuple[dict[str, Any], list[CheckFailure]]:
        """Defaults applied, then every offline rule; unknown values skipped."""
        module = module_of(resource)
        inputs = module.normalize(
            {k: v for k, v in news.items() if k != "__provider"}, self.config.sandbox_name
        )
        return inputs, list(module.check(inputs))

    def diff(self, resource: str, olds: Props, news: Props) -> Change:
        """Changed inputs (names only) and the replacements among them."""
        module = module_of(resource)
        if module is dataflow:
            keys, replaces = dataflow.diff(olds, news, self._now())
        else:
            keys, replaces = module.diff(olds, news)
        result = DiffResult(changes=bool(keys), replaces=list(replaces), delete_before_replace=False)
        return Change(changed=tuple(keys), replaces=tuple(replaces), result=result)

    def create(self, resource: str, props: Props) -> tuple[str, dict[str, Any]]:
        lc = self.lifecycle(resource)
        inputs = self.validated(resource, props)
        outs = lc.create(self.clients(), inputs, str(inputs["sandbox_name"]))
        return str(outs[lc.id_output]), outs

    def read(self, resource: str, id_: str, props: Props) -> Read | None:
        """Live outputs and matching inputs, or None when gone (refresh drops it)."""
        outs = self.lifecycle(resource).read(self.clients(), id_, props, self._sandbox(props))
        return None if outs is None else Read(outs, module_of(resource).inputs_from_outputs(outs))

    def update(self, resource: str, id_: str, olds: Props, news: Props) -> dict[str, Any]:
        inputs = self.validated(resource, news)
        return self.lifecycle(resource).update(self.clients(), id_, olds, inputs, self._sandbox(olds))

    def delete(self, resource: str, id_: str, props: Props) -> None:
        self.lifecycle(resource).delete(self.clients(), id_, self._sandbox(props))

    @staticmethod
    def lifecycle(resource: str) -> Lifecycle:
        """The lifecycle of ``resource`` (imports the HTTP stack)."""
        from pulumi_aep.pipeline_lifecycle import LIFECYCLES

        module_of(resource)
        return LIFECYCLES[resource]

    def clients(self) -> Clients:
        from pulumi_aep.pipeline_client import pipeline_clients
        from pulumi_aep.pipeline_lifecycle import Clients

        return Clients(*pipeline_clients(self.config))

    def validated(self, resource: str, props: Props) -> dict[str, Any]:
        """Checked inputs, or the first failure raised (naming its property)."""
        inputs, failures = self.check(resource, props)
        if failures:
            raise ValidationError(failures[0].property, failures[0].reason)
        return inputs

    def _sandbox(self, props: Props) -> str:
        return str(props.get("sandbox_name") or self.config.sandbox_name)


@dataclass(frozen=True)
class PipelineAdapter:
    """One pipeline resource of a ``PipelineCore``: the ``core.Adapter`` of ``resource``."""

    core: PipelineCore
    resource: str

    def check(self, news: Props) -> tuple[dict[str, Any], list[CheckFailure]]:
        return self.core.check(self.resource, news)

    def diff(self, olds: Props, news: Props, old_inputs: Props | None = None) -> Change:
        """``old_inputs`` is not needed: the pipeline's outputs hold every input."""
        return self.core.diff(self.resource, olds, news)

    def create(self, props: Props) -> tuple[str, dict[str, Any]]:
        return self.core.create(self.resource, props)

    def read(self, id_: str, props: Props) -> Read | None:
        return self.core.read(self.resource, id_, props)

    def update(self, id_: str, olds: Props, news: Props, old_inputs: Props | None = None) -> dict[str, Any]:
        """``old_inputs`` is not needed: the pipeline's outputs hold every input."""
        return self.core.update(self.resource, id_, olds, news)

    def delete(self, id_: str, props: Props) -> None:
        self.core.delete(self.resource, id_, props)
