"""The dynamic ``ResourceProvider`` for ``AzureBlobConnection``: a thin face on ``pulumi_aep.core``.

Its import path and class name are stored in every stack's state (pickled by reference): never
move or rename them.
"""

from __future__ import annotations

import functools
import logging
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

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
from pulumi_aep.core import Core, client_for, reset_clients
from pulumi_aep.errors import AepError

if TYPE_CHECKING:
    from pulumi_aep.client import FlowServiceClient

__all__ = ["AzureBlobConnectionProvider", "client_for", "reset_clients"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _user_facing(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Re-raise our own errors without their chain of causes.

    The SDK reports a provider exception as ``traceback.format_exc()``: without this the CLI shows
    urllib3's internals and every chained cause above our message. Our messages already say what
    went wrong, on which resource and how to fix it, and carry status, code and request id.
    """

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except AepError as exc:
            raise exc.with_traceback(None) from None

    return wrapper


log = logging.getLogger(__name__)

# Process-wide state lives here, never on the provider object (which is pickled into state):
# each configured provider instance -> its core (config); clients are shared in ``pulumi_aep.core``.
_LOCK: Final = threading.Lock()
_CORES: Final[weakref.WeakKeyDictionary[ResourceProvider, Core]] = weakref.WeakKeyDictionary()


class AzureBlobConnectionProvider(ResourceProvider):
    """CRUD for Flow Service Azure Blob base connections; stateless, configured by ``configure``."""

    # Nothing secret is captured when the provider is pickled, so ``__provider`` need not be a secret.
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        """Called once per provider process, before any CRUD: read ``aep:*`` config (``AEP_*`` fallbacks).

        Raises:
            ConfigurationError: a URL is not https outside loopback, or a number is malformed.
        """
        core = Core(ProviderConfig.from_pulumi_config(req.config))
        with _LOCK:
            _CORES[self] = core

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Called on preview and up before diff/create: validate offline, apply defaults."""
        inputs, failures = self._core().check(news)
        return CheckResult(inputs, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        """Called on preview and up for an existing resource: old outputs vs new checked inputs."""
        return Core.diff(_olds, _news).result

    @_user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Called on up (never on preview): POST the connection, or adopt ``adopt_existing_id``."""
        id_, outs = self._core().create(props)
        return CreateResult(id_, outs)

    @_user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Called on refresh: live outputs plus matching inputs; gone out of band -> dropped from state.

        ``props`` are the old outputs, or only ``__provider`` and the id (SDK 3.272's fallback to
        request inputs): then the sandbox comes from ``aep:sandboxName`` and no secret is known.
        """
        found = self._core().read(id_, props)
        if found is None:
            return ReadResult(None, {})
        return ReadResult(id_, found.outputs, found.inputs)

    @_user_facing
    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """Called on up when diff found in-place changes: one JSON Patch; returns the full outputs."""
        return UpdateResult(self._core().update(_id, _olds, _news))

    @_user_facing
    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Called on destroy and after a replacement: already gone (404) counts as success."""
        self._core().delete(_id, _props)

    def _core(self) -> Core:
        with _LOCK:
            core = _CORES.get(self)
        return core if core is not None else Core(ProviderConfig.from_env())

    def _config(self) -> ProviderConfig:
        return self._core().config

    def _client(self) -> FlowServiceClient:
        return self._core().client()
