"""The dynamic ``ResourceProvider`` for ``AzureBlobConnection``: thin, stateless, calls the layers.

Its import path and class name are stored in every stack's state (pickled by reference): never
move or rename them.
"""

from __future__ import annotations

import dataclasses
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
from pulumi_aep.diffing import diff_props
from pulumi_aep.errors import AepError, ValidationError
from pulumi_aep.model import inputs_from_outputs
from pulumi_aep.validation import check_inputs, normalize

if TYPE_CHECKING:
    from pulumi_aep.client import FlowServiceClient

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


# `operations` and `client` (and with them requests/urllib3) are imported on the first API call, not
# here: a no-change preview only runs check and diff, and the provider process should not pay for an
# HTTP stack it never uses (measured by bench/: about 0.1-0.2 s per process).

log = logging.getLogger(__name__)

# Process-wide state lives here, never on the provider object (which is pickled into state):
# each configured provider instance -> its config, and one client (session + token cache) per config.
_LOCK: Final = threading.Lock()
_CONFIGS: Final[weakref.WeakKeyDictionary[ResourceProvider, ProviderConfig]] = weakref.WeakKeyDictionary()
_CLIENTS: Final[dict[ProviderConfig, FlowServiceClient]] = {}


def client_for(config: ProviderConfig) -> FlowServiceClient:
    """The process-wide client for ``config`` (created on first use, shared by all threads)."""
    from pulumi_aep.client import FlowServiceClient

    with _LOCK:
        client = _CLIENTS.get(config)
        if client is None:
            client = _CLIENTS[config] = FlowServiceClient(config)
        return client


def reset_clients() -> None:
    """Drop cached clients and their tokens (tests; credential rotation in a long-lived process)."""
    with _LOCK:
        _CLIENTS.clear()


class AzureBlobConnectionProvider(ResourceProvider):
    """CRUD for Flow Service Azure Blob base connections; stateless, configured by ``configure``."""

    # Nothing secret is captured when the provider is pickled, so ``__provider`` need not be a secret.
    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        """Called once per provider process, before any CRUD: read ``aep:*`` config (``AEP_*`` fallbacks).

        Raises:
            ConfigurationError: a URL is not https outside loopback, or a number is malformed.
        """
        config = ProviderConfig.from_pulumi_config(req.config)
        with _LOCK:
            _CONFIGS[self] = config

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Called on preview and up before diff/create: validate offline, apply defaults.

        Values unknown at preview (the UNKNOWN sentinel) are skipped, never reported.
        """
        config = self._config()
        inputs = normalize(news, config.sandbox_name)
        inputs["org_id"] = config.org_id  # recorded with the connection; a change replaces it
        return CheckResult(inputs, check_inputs(inputs))

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        """Called on preview and up for an existing resource: old outputs vs new checked inputs."""
        return diff_props(_olds, _news)

    @_user_facing
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Called on up (never on preview): POST the connection, or adopt ``adopt_existing_id``."""
        inputs = self._validated(props)
        from pulumi_aep import operations  # on the first API call: see the note at the imports

        outs = operations.create(self._client(inputs), inputs, inputs["sandbox_name"])
        return CreateResult(str(outs["connection_id"]), outs)

    @_user_facing
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Called on refresh: live outputs plus matching inputs; gone out of band -> dropped from state.

        ``props`` are the old outputs, or only ``__provider`` and the id (SDK 3.272's fallback to
        request inputs): then the sandbox comes from ``aep:sandboxName`` and no secret is known.
        The connection is read in the org recorded with it (``aep:orgId`` for states older than that),
        so changing ``aep:orgId`` never makes a connection look deleted.
        """
        sandbox = str(props.get("sandbox_name") or self._config().sandbox_name)
        from pulumi_aep import operations  # on the first API call: see the note at the imports

        client = self._client(props)
        outs = operations.read(client, props, connection_id=id_, sandbox=sandbox)
        if outs is None:
            return ReadResult(None, {})
        outs["org_id"] = client.config.org_id
        return ReadResult(id_, outs, inputs_from_outputs(outs))

    @_user_facing
    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        """Called on up when diff found in-place changes: one JSON Patch; returns the full outputs."""
        inputs = self._validated(_news)
        sandbox = str(_olds.get("sandbox_name") or inputs["sandbox_name"])
        from pulumi_aep import operations  # on the first API call: see the note at the imports

        client = self._client(_olds if _olds.get("org_id") else inputs)
        return UpdateResult(operations.update(client, _olds, inputs, connection_id=_id, sandbox=sandbox))

    @_user_facing
    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Called on destroy and after a replacement: already gone (404) counts as success."""
        sandbox = str(_props.get("sandbox_name") or self._config().sandbox_name)
        from pulumi_aep import operations  # on the first API call: see the note at the imports

        operations.delete(self._client(_props), connection_id=_id, sandbox=sandbox)

    def _config(self) -> ProviderConfig:
        with _LOCK:
            config = _CONFIGS.get(self)
        return config if config is not None else ProviderConfig.from_env()

    def _client(self, props: dict[str, Any] | None = None) -> FlowServiceClient:
        """The client for the org recorded in ``props`` (``aep:orgId`` when none is recorded)."""
        config = self._config()
        org = (props or {}).get("org_id")
        if isinstance(org, str) and org and org != config.org_id:
            config = dataclasses.replace(config, org_id=org)
        return client_for(config)

    def _validated(self, props: dict[str, Any]) -> dict[str, Any]:
        config = self._config()
        inputs = normalize({k: v for k, v in props.items() if k != "__provider"}, config.sandbox_name)
        inputs.setdefault("org_id", config.org_id)
        failures = check_inputs(inputs)
        if failures:
            raise ValidationError(failures[0].property, failures[0].reason)
        return inputs
