"""What-if for the benchmark: the provider with the GET after each POST and PATCH removed.

Not a fix to ship (``state``, ``created_at`` and ``updated_at`` stay unknown or stale until the next
refresh), but a measurement of what one API call per create and update would buy. It reuses the
provider's own layers (and two of its private helpers); pickled by reference like the real one.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, Resource, UpdateResult

from pulumi_aep import operations
from pulumi_aep.errors import PreconditionFailedError
from pulumi_aep.model import create_body, outputs, patch_ops, secrets_of
from pulumi_aep.provider import AzureBlobConnectionProvider
from pulumi_aep.resource import SECRET_OUTPUTS, AzureBlobConnectionArgs, _props


class OneCallProvider(AzureBlobConnectionProvider):
    """Outputs from the declared inputs plus the ``{id, etag}`` the POST or PATCH answers."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = self._validated(props)
        if inputs.get("adopt_existing_id") or inputs.get("verify"):
            return super().create(props)
        sandbox = inputs["sandbox_name"]
        ref = operations.create_once(self._client(), inputs, sandbox, operations._now_ms)
        outs = outputs(inputs, {**create_body(inputs), "id": ref.id, "etag": ref.etag}, sandbox)
        return CreateResult(ref.id, outs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        inputs = self._validated(_news)
        ops = patch_ops(_olds, inputs)
        if not ops or inputs.get("verify") or not _olds.get("etag"):
            return super().update(_id, _olds, _news)
        sandbox = str(_olds.get("sandbox_name") or inputs["sandbox_name"])
        try:
            ref = self._client().patch_connection(sandbox, _id, str(_olds["etag"]), ops, secrets_of(inputs))
        except PreconditionFailedError:
            return super().update(_id, _olds, _news)
        known = {
            "id": _id,
            "etag": ref.etag,
            "state": _olds.get("state"),
            "createdAt": _olds.get("created_at"),
        }
        return UpdateResult(outputs(inputs, {**create_body(inputs), **known}, sandbox))


class OneCallConnection(Resource):
    """``AzureBlobConnection`` served by :class:`OneCallProvider`."""

    def __init__(
        self, name: str, args: AzureBlobConnectionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        secret_opts = pulumi.ResourceOptions(additional_secret_outputs=SECRET_OUTPUTS)
        super().__init__(
            OneCallProvider(), name, _props(name, args), pulumi.ResourceOptions.merge(opts, secret_opts)
        )
