"""``Configure`` of the plugin: its ``aep:*`` values -> ``ProviderConfig`` (the dynamic face's reader)."""

from __future__ import annotations

import json
from typing import Any

from google.protobuf import json_format
from pulumi.runtime.proto import provider_pb2

from pulumi_aep.config import NAMESPACE, ProviderConfig
from pulumi_aep.model import UNKNOWN
from pulumi_aep.plugin.values import SECRET_SIG, SIG


def _plain(value: Any) -> str | None:
    """A config value as ``ProviderConfig`` reads it: strings as is, numbers and bools as JSON."""
    if isinstance(value, dict) and value.get(SIG) == SECRET_SIG:
        value = value.get("value")
    if value is None or value == UNKNOWN:
        return None  # unknown at preview (an input computed from another resource): as if unset
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, str) else json.dumps(value)


def config_values(request: provider_pb2.ConfigureRequest) -> dict[str, str]:
    """``aep:<key>`` -> value, from the provider's inputs, else the legacy ``aep:config:<key>`` variables.

    The engine sends the explicit provider's inputs (or the stack's ``aep:*`` config for the default
    provider) as ``args``, and the same values flattened to strings as ``variables``.
    """
    values: dict[str, str] = {}
    for key, raw in request.variables.items():
        namespace, _, name = key.partition(":config:")
        if namespace == NAMESPACE and name and raw != UNKNOWN:
            values[f"{NAMESPACE}:{name}"] = raw
    for name, value in json_format.MessageToDict(request.args).items():
        plain = _plain(value)
        if plain is not None:
            values[f"{NAMESPACE}:{name}"] = plain
    return values


def config_from(request: provider_pb2.ConfigureRequest) -> ProviderConfig:
    """The provider configuration (``AEP_*`` environment fallbacks as for the dynamic provider).

    Raises:
        ConfigurationError: a URL is not https outside loopback, or a number is malformed.
    """
    return ProviderConfig.from_pulumi_config(config_values(request))
