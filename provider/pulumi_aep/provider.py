"""The dynamic face: ``RegisteredProvider``, one ``ResourceProvider`` on the adapters of ``pulumi_aep.registry``,
and its subclass ``AzureBlobConnectionProvider`` (the pipeline's are in ``pulumi_aep.pipeline_provider``).

Their import paths and class names are stored in every stack's state (pickled by reference): never
move or rename them.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Final, ParamSpec, TypeVar, cast

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_aep import logs, naming
from pulumi_aep.config import ProviderConfig
from pulumi_aep.core import Adapter, Core, client_for, reset_clients
from pulumi_aep.errors import AepError
from pulumi_aep.registry import ResourceType, resource_type, token_of

if TYPE_CHECKING:
    from pulumi_aep.client import FlowServiceClient

__all__ = ["AzureBlobConnectionProvider", "RegisteredProvider", "client_for", "reset_clients"]

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
# each configured provider instance -> its adapter (its config); clients are shared by the cores.
_LOCK: Final = threading.Lock()
_ADAPTERS: Final[weakref.WeakKeyDictionary[ResourceProvider, Adapter]] = weakref.WeakKeyDictionary()


class RegisteredProvider(ResourceProvider):
    """The dynamic face of the resource type ``RESOURCE`` of ``pulumi_aep.registry``: its adapter's calls.

    Stateless, configured by ``configure``; one subclass per resource (whose import path and name
    are stored in state).
    """

    #: The resource name: the registry's type token is ``aep:index:<RESOURCE>``.
    RESOURCE: ClassVar[str]
    # Nothing secret is captured when the provider is pickled, so ``__provider`` need not be a secret.
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        """Called once per provider process, before any CRUD: read ``aep:*`` config (``AEP_*`` fallbacks).

        Raises:
            ConfigurationError: a URL is not https outside loopback, or a number is malformed.
        """
        # The SDK's provider process ignores its flags: read the engine's -v/--logtostderr (--logflow) here.
        logs.configure(sys.argv[1:])
        config = ProviderConfig.from_pulumi_config(req.config)
        log.debug("%s configured: %r", self.RESOURCE, config)
        adapter = self._type().bind(config)
        with _LOCK:
            _ADAPTERS[self] = adapter

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Called on preview and up before diff/create: validate offline, apply defaults.

        Values unknown at preview are skipped, never reported. A resource declared without ``name``
        is named by ``pulumi_aep.naming`` from the resource name its class passed (``AUTONAME_KEY``).
        """
        news = dict(news)
        resource_name = news.pop(naming.AUTONAME_KEY, None)
        if news.get("name") is None and isinstance(resource_name, str):
            news["name"] = naming.name_for(resource_name, _olds)
        inputs, failures = self._adapter().check(news)
        return CheckResult(inputs, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        """Called on preview and up for an existing resource: old outputs vs new checked inputs."""
        return self._adapter().diff(_olds, _news).result

    @_user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Called on up (never on preview): create the resource (a connection may adopt ``adopt_existing_id``)."""
        id_, outs = self._adapter().create(props)
        return CreateResult(id_, outs)

    @_user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Called on refresh: live outputs plus matching inputs; gone out of band -> dropped from state.

        ``props`` are the old outputs, or only ``__provider`` and the id (SDK 3.272's fallback to
        request inputs): then the sandbox comes from ``aep:sandboxName`` and no secret is known.
        """
        found = self._adapter().read(id_, props)
        if found is None:
            return ReadResult(None, {})
        return ReadResult(id_, found.outputs, found.inputs)

    @_user_facing
    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """Called on up when diff found in-place changes; returns the full outputs."""
        return UpdateResult(self._adapter().update(_id, _olds, _news))

    @_user_facing
    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Called on destroy and after a replacement: already gone counts as success; still in use
        fails naming what to delete first."""
        self._adapter().delete(_id, _props)

    @classmethod
    def _type(cls) -> ResourceType:
        return resource_type(token_of(cls.RESOURCE))

    def _adapter(self) -> Adapter:
        with _LOCK:
            adapter = _ADAPTERS.get(self)
        return adapter if adapter is not None else self._type().bind(ProviderConfig.from_env())


class AzureBlobConnectionProvider(RegisteredProvider):
    """CRUD for Flow Service Azure Blob base connections (``pulumi_aep.core.Core``)."""

    RESOURCE = "AzureBlobConnection"

    def _client(self) -> FlowServiceClient:
        """The shared client of this provider's configuration."""
        return cast(Core, self._adapter()).client()
