"""The one core of ``AzureBlobConnection``: check, diff and lifecycle over snake_case property maps.

Both faces are thin adapters on this: the dynamic provider (``pulumi_aep.provider``) and the plugin
(``pulumi_aep.plugin``). It calls the existing layers (validation, diffing, operations, model) and owns
the process-wide clients (one session and token cache per provider configuration).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

from pulumi.dynamic import CheckFailure, DiffResult

from pulumi_aep.config import ProviderConfig
from pulumi_aep.diffing import IGNORED, changed_keys, diff_props
from pulumi_aep.errors import ConfigurationError, ValidationError
from pulumi_aep.model import AUTH_INPUTS, inputs_from_outputs, secrets_of
from pulumi_aep.validation import check_inputs, normalize

if TYPE_CHECKING:
    from pulumi_aep.client import FlowServiceClient

# `operations` and `client` (and with them requests/urllib3) are imported on the first API call, not
# at import: a no-change preview only runs check and diff, and a provider process should not pay for
# an HTTP stack it never uses (measured by bench/: about 0.1-0.2 s per process).

_LOCK: Final = threading.Lock()
_CLIENTS: Final[dict[ProviderConfig, FlowServiceClient]] = {}

Props = Mapping[str, Any]


def client_for(config: ProviderConfig) -> FlowServiceClient:
    """The process-wide client for ``config`` (created on first use, shared by all threads)."""
    from pulumi_aep.client import FlowServiceClient

    with _LOCK:
        client = _CLIENTS.get(config)
        if client is None:
            client = _CLIENTS[config] = FlowServiceClient(config)
        return client


def reset_clients() -> None:
    """Drop cached clients and their tokens (tests; credential rotation in a long-lived process).

    The pipeline's clients share those tokens: they are dropped too.
    """
    from pulumi_aep.pipeline_client import reset_pipeline_clients

    with _LOCK:
        _CLIENTS.clear()
    reset_pipeline_clients()


@dataclass(frozen=True)
class Change:
    """What ``diff`` found: the changed input properties, and which of them force a replacement."""

    changed: tuple[str, ...]
    replaces: tuple[str, ...]
    #: The dynamic face's answer (it cannot send a detailed diff).
    result: DiffResult


@dataclass(frozen=True)
class Read:
    """A refreshed connection: its outputs and the inputs that reproduce them."""

    outputs: dict[str, Any]
    inputs: dict[str, Any]


class Adapter(Protocol):
    """One resource type's core for one provider configuration: the six calls both faces make.

    ``pulumi_aep.registry`` binds one per type token; ``Core`` is the connection's, and
    ``pipeline_core.PipelineAdapter`` each pipeline resource's. Properties are snake_case maps.
    """

    def check(self, news: Props) -> tuple[dict[str, Any], list[CheckFailure]]:
        """Defaults applied, then every offline rule; values unknown at preview are skipped."""
        ...

    def diff(self, olds: Props, news: Props, old_inputs: Props | None = None) -> Change:
        """Old outputs vs new checked inputs (``old_inputs``: the inputs last recorded, if known)."""
        ...

    def create(self, props: Props) -> tuple[str, dict[str, Any]]:
        """The new resource's id and full outputs."""
        ...

    def read(self, id_: str, props: Props) -> Read | None:
        """Live outputs and matching inputs; None when the resource is gone."""
        ...

    def update(self, id_: str, olds: Props, news: Props, old_inputs: Props | None = None) -> dict[str, Any]:
        """The full outputs after the update (``old_inputs`` as for :meth:`diff`)."""
        ...

    def delete(self, id_: str, props: Props) -> None:
        """Already gone counts as success."""
        ...


class Core:
    """Check, diff and CRUD for one provider configuration; stateless apart from the shared client.

    The connection's ``Adapter``.
    """

    def __init__(self, config: ProviderConfig) -> None:
        self.config = config

    def check(self, news: Props) -> tuple[dict[str, Any], list[CheckFailure]]:
        """Validate offline and apply defaults; values unknown at preview are skipped, never reported."""
        inputs = normalize(news, self.config.sandbox_name)
        inputs["org_id"] = self.config.org_id  # recorded with the connection; a change replaces it
        return inputs, check_inputs(inputs)

    @staticmethod
    def diff(olds: Props, news: Props, old_inputs: Props | None = None) -> Change:
        """Old outputs vs new checked inputs: changed properties (names only) and replacements."""
        olds = known_credentials(olds, news, old_inputs or {})
        result = diff_props(olds, news)
        keys = tuple(k for k in changed_keys(olds, news) if k not in IGNORED)
        return Change(changed=keys, replaces=tuple(result.replaces or ()), result=result)

    def create(self, props: Props) -> tuple[str, dict[str, Any]]:
        """POST the connection (or adopt ``adopt_existing_id``); its id and full outputs."""
        inputs = self.validated(props)
        from pulumi_aep import operations

        outs = operations.create(self.client(inputs), inputs, inputs["sandbox_name"])
        return str(outs["connection_id"]), outs

    def read(self, id_: str, props: Props) -> Read | None:
        """Live outputs plus matching inputs; None when the connection is gone.

        ``props`` are the old outputs, or nothing on ``pulumi import``: then the sandbox comes from
        ``aep:sandboxName`` and no secret is known (none appears in the outputs). The connection is
        read in the org recorded with it, so changing ``aep:orgId`` never makes a connection look
        deleted. A state older than that is read in ``aep:orgId`` (which then records it), and a 404
        there is an error, never a drop (:func:`unrecorded_org`).
        """
        sandbox = str(props.get("sandbox_name") or self.config.sandbox_name)
        from pulumi_aep import operations

        client = self.client(props)
        outs = operations.read(client, props, connection_id=id_, sandbox=sandbox)
        if outs is None:
            if org_unrecorded(props):
                raise unrecorded_org(id_, sandbox, client.config.org_id, "dropped from the state")
            return None
        outs["org_id"] = client.config.org_id
        return Read(outs, inputs_from_outputs(outs))

    def update(self, id_: str, olds: Props, news: Props, old_inputs: Props | None = None) -> dict[str, Any]:
        """One JSON Patch with ``If-Match``; the full outputs.

        The patch is taken against the same view of the old credentials as :meth:`diff` (see
        :func:`known_credentials`), so an update writes exactly what the preview showed: after an
        import, renaming a connection does not rewrite its credentials too.
        """
        inputs = self.validated(news)
        sandbox = str(olds.get("sandbox_name") or inputs["sandbox_name"])
        from pulumi_aep import operations

        client = self.client(olds if olds.get("org_id") else inputs)
        olds = known_credentials(olds, inputs, old_inputs or {})
        return operations.update(client, olds, inputs, connection_id=id_, sandbox=sandbox)

    def delete(self, id_: str, props: Props) -> None:
        """Delete; already gone counts as success, except for a state that records no org
        (:func:`unrecorded_org`)."""
        sandbox = str(props.get("sandbox_name") or self.config.sandbox_name)
        from pulumi_aep import operations

        client = self.client(props)
        deleted = operations.delete(client, connection_id=id_, sandbox=sandbox)
        if not deleted and org_unrecorded(props):
            raise unrecorded_org(id_, sandbox, client.config.org_id, "counted as deleted")

    def client(self, props: Props | None = None) -> FlowServiceClient:
        """The shared client for the org recorded in ``props`` (``aep:orgId`` when none is recorded)."""
        config = self.config
        org = (props or {}).get("org_id")
        if isinstance(org, str) and org and org != config.org_id:
            config = dataclasses.replace(config, org_id=org)
        return client_for(config)

    def validated(self, props: Props) -> dict[str, Any]:
        """Checked inputs, or the first failure raised (create and update never trust the caller).

        Raises:
            ValidationError: naming the property and how to fix it.
        """
        inputs, failures = self.check({k: v for k, v in props.items() if k != "__provider"})
        recorded = props.get("org_id")
        if isinstance(recorded, str) and recorded:
            inputs["org_id"] = recorded  # the org the engine checked these inputs for
        if failures:
            raise ValidationError(failures[0].property, failures[0].reason)
        return inputs


def org_unrecorded(props: Props) -> bool:
    """A connection's state written before the org was recorded with it (``diffing.RECORDED_LATER``);
    not an import, which has no state yet and reads in ``aep:orgId``."""
    return bool(props.get("connection_id")) and not props.get("org_id")


def unrecorded_org(connection_id: str, sandbox: str, org_id: str | None, instead: str) -> ConfigurationError:
    """A 404 for a connection whose state does not record its org: it may live in another org.

    Such a state is read in the current ``aep:orgId``; if that changed since the connection was
    created, the connection still exists in the old org, so it is neither dropped nor counted as
    deleted (``instead`` says which of the two was refused).
    """
    return ConfigurationError(
        f"connection {connection_id} is not in sandbox {sandbox!r} of aep:orgId {org_id}, and its state "
        f"does not record the org it was created in (written by an older provider version), so it was "
        f"not {instead}: it may still exist in another org. If aep:orgId changed since it was created, "
        "run `pulumi refresh` with the old aep:orgId first (that records the org with it; a later "
        "aep:orgId change then previews as a replacement). If it was deleted outside Pulumi, remove "
        "it from the state with `pulumi state delete <urn>`"
    )


def known_credentials(olds: Props, news: Props, old_inputs: Props) -> Props:
    """``olds`` with credentials standing in for those the outputs cannot know.

    After ``pulumi import`` the outputs hold no secret (the API masks them on GET). The credentials
    last declared (``old_inputs``, recorded by the first ``up`` after the import) stand in for them,
    so a later rotation is a change; until then the declared ones (``news``), so declaring them is
    none. Outputs with any secret value are returned unchanged. When the outputs know the auth type
    (a service principal's non-secret fields), only its key is filled in, so declaring another auth
    type still replaces.
    """
    if secrets_of(olds):
        return olds
    source = old_inputs if secrets_of(old_inputs) else news
    view = dict(olds)
    principal, declared = olds.get("service_principal"), source.get("service_principal")
    if isinstance(principal, Mapping):
        if isinstance(declared, Mapping):
            view["service_principal"] = {
                **principal,
                "service_principal_key": declared.get("service_principal_key"),
            }
        return view
    view.update({k: source.get(k) for k in AUTH_INPUTS})
    return view
