"""The dynamic ``ResourceProvider``s of the pipeline resources: thin faces on ``PipelineCore``.

One class per resource; their import paths and names are stored in every stack's state (pickled by
reference): never move or rename them. Like ``AzureBlobConnectionProvider`` they hold no state: the
configured core of each provider instance lives in a process-wide weak map.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, ClassVar, Final

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_aep.config import ProviderConfig
from pulumi_aep.pipeline_core import PipelineCore
from pulumi_aep.provider import _user_facing

__all__ = [
    "AzureBlobSourceConnectionProvider",
    "DataLakeTargetConnectionProvider",
    "DataflowProvider",
    "DatasetProvider",
]

_LOCK: Final = threading.Lock()
_CORES: Final[weakref.WeakKeyDictionary[ResourceProvider, PipelineCore]] = weakref.WeakKeyDictionary()


class PipelineResourceProvider(ResourceProvider):
    """CRUD of the pipeline resource named ``RESOURCE``; configured by ``configure``."""

    RESOURCE: ClassVar[str]
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        """Read ``aep:*`` config once per provider process (``AEP_*`` fallbacks)."""
        core = PipelineCore(ProviderConfig.from_pulumi_config(req.config))
        with _LOCK:
            _CORES[self] = core

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Defaults and every offline rule, property named; values unknown at preview are skipped."""
        inputs, failures = self._core().check(self.RESOURCE, news)
        return CheckResult(inputs, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        """Old outputs vs new checked inputs: in-place changes and replacements."""
        return self._core().diff(self.RESOURCE, _olds, _news).result

    @_user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        id_, outs = self._core().create(self.RESOURCE, props)
        return CreateResult(id_, outs)

    @_user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Live outputs and matching inputs; gone out of band -> dropped from state."""
        found = self._core().read(self.RESOURCE, id_, props)
        if found is None:
            return ReadResult(None, {})
        return ReadResult(id_, found.outputs, found.inputs)

    @_user_facing
    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self._core().update(self.RESOURCE, _id, _olds, _news))

    @_user_facing
    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Already gone counts as success; still in use fails naming what to delete first."""
        self._core().delete(self.RESOURCE, _id, _props)

    def _core(self) -> PipelineCore:
        with _LOCK:
            core = _CORES.get(self)
        return core if core is not None else PipelineCore(ProviderConfig.from_env())


class AzureBlobSourceConnectionProvider(PipelineResourceProvider):
    RESOURCE = "AzureBlobSourceConnection"


class DatasetProvider(PipelineResourceProvider):
    RESOURCE = "Dataset"


class DataLakeTargetConnectionProvider(PipelineResourceProvider):
    RESOURCE = "DataLakeTargetConnection"


class DataflowProvider(PipelineResourceProvider):
    RESOURCE = "Dataflow"
