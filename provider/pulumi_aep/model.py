"""Mapping between the resource's Pulumi properties (snake_case) and Flow Service JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_aep.definition import AUTH_PROPS, AZURE_BLOB_CONNECTION, SERVICE_PRINCIPAL

#: Adobe's connection spec of the Azure Blob source.
AZURE_BLOB_SPEC_ID: Final = "4c10e202-c428-4796-9208-5f1f5732b1cf"


#: The sentinel ``pulumi.dynamic`` passes for values unknown during preview.
UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
#: Input property -> ``auth.specName`` (the three Azure Blob auth types; immutable once created).
AUTH_SPEC_NAMES: Final = dict(
    zip(
        AUTH_PROPS,
        ("ConnectionString", "SAS URI Authentication", "Service Principal Based Authentication"),
        strict=True,
    )
)
#: Accepted aliases seen in Adobe's docs, by spec name -> auth input property.
SPEC_NAME_TO_AUTH: Final = {
    "connectionstring": "connection_string",
    "sas uri authentication": "sas_uri",
    "sasuriauthentication": "sas_uri",
    "service principal based authentication": "service_principal",
    "serviceprincipalbasedauthentication": "service_principal",
}
#: ``service_principal`` field -> ``auth.params`` key (the schema's camelCase name).
SP_FIELDS: Final = {p.name: p.camel for p in SERVICE_PRINCIPAL}
#: ``auth.params`` keys the API masks on GET.
SECRET_PARAMS: Final = frozenset({"connectionString", "sasUri", "servicePrincipalKey"})
AUTH_INPUTS: Final = AUTH_PROPS
#: Declared properties, and those only the API reports (both from ``pulumi_aep.definition``).
INPUT_KEYS: Final = tuple(p.name for p in AZURE_BLOB_CONNECTION if p.input)
OUTPUT_ONLY_KEYS: Final = tuple(p.name for p in AZURE_BLOB_CONNECTION if not p.input)
DEFAULT_SPEC_VERSION: Final = "1.0"

Props = Mapping[str, Any]


def auth_input(props: Props) -> str | None:
    """Which of the three auth inputs is set (None when none or several are)."""
    present = [k for k in AUTH_INPUTS if props.get(k) is not None]
    return present[0] if len(present) == 1 else None


def auth_params(props: Props) -> dict[str, Any]:
    """``auth.params`` for the declared credentials plus container and folder path."""
    kind = auth_input(props)
    params: dict[str, Any] = {}
    if kind == "connection_string":
        params["connectionString"] = props["connection_string"]
    elif kind == "sas_uri":
        params["sasUri"] = props["sas_uri"]
    elif kind == "service_principal":
        principal = props["service_principal"] or {}
        params.update({api: principal[py] for py, api in SP_FIELDS.items() if principal.get(py) is not None})
    for py, api in (("container", "container"), ("folder_path", "folderPath")):
        if props.get(py) is not None:
            params[api] = props[py]
    return params


def create_body(props: Props) -> dict[str, Any]:
    """The ``POST /connections`` body for checked inputs."""
    kind = auth_input(props) or "connection_string"
    body: dict[str, Any] = {
        "name": props["name"],
        "auth": {"specName": AUTH_SPEC_NAMES[kind], "params": auth_params(props)},
        "connectionSpec": {
            "id": AZURE_BLOB_SPEC_ID,
            "version": props.get("connection_spec_version") or DEFAULT_SPEC_VERSION,
        },
    }
    if props.get("description") is not None:
        body["description"] = props["description"]
    return body


def patch_ops(current: Props, desired: Props) -> list[dict[str, Any]]:
    """JSON Patch taking the connection from ``current`` props to ``desired`` props.

    Credentials are masked by the API, so ``/auth/params`` is replaced whole whenever any auth
    param, the container or the folder path differs.
    """
    ops: list[dict[str, Any]] = []
    if current.get("name") != desired.get("name"):
        ops.append({"op": "replace", "path": "/name", "value": desired["name"]})
    if current.get("description") != desired.get("description"):
        if desired.get("description") is None:
            ops.append({"op": "remove", "path": "/description"})
        else:
            ops.append({"op": "add", "path": "/description", "value": desired["description"]})
    keys = (*AUTH_INPUTS, "container", "folder_path")
    if any(current.get(k) != desired.get(k) for k in keys):
        ops.append({"op": "replace", "path": "/auth/params", "value": auth_params(desired)})
    return ops


def secrets_of(props: Props) -> list[str]:
    """Every secret value in ``props`` (for redaction of API messages)."""
    values = [props.get("connection_string"), props.get("sas_uri")]
    principal = props.get("service_principal")
    if isinstance(principal, Mapping):
        values.append(principal.get("service_principal_key"))
    return [v for v in values if isinstance(v, str) and v]


def outputs(props: Props, connection: Mapping[str, Any], sandbox: str) -> dict[str, Any]:
    """Full outputs: the declared inputs overlaid with what the API reports.

    Masked secret params are never taken from the API: the declared values in ``props`` stay.
    """
    params = (connection.get("auth") or {}).get("params") or {}
    outs: dict[str, Any] = {k: props.get(k) for k in INPUT_KEYS if k in props}
    outs.update(
        name=connection.get("name", props.get("name")),
        description=connection.get("description"),
        container=params.get("container"),
        folder_path=params.get("folderPath"),
        sandbox_name=connection.get("sandboxName") or sandbox,
        connection_spec_version=(connection.get("connectionSpec") or {}).get("version")
        or props.get("connection_spec_version")
        or DEFAULT_SPEC_VERSION,
        connection_id=connection.get("id"),
        etag=connection.get("etag"),
        state=connection.get("state"),
        created_at=connection.get("createdAt"),
        updated_at=connection.get("updatedAt"),
    )
    if props.get("verified_objects") is not None:
        # Output-only: what explore listed when verify ran; kept across refreshes.
        outs["verified_objects"] = props["verified_objects"]
    kind = auth_from_spec_name(connection) or auth_input(props)
    if kind == "service_principal":
        outs["service_principal"] = _principal(props.get("service_principal"), params)
    return outs


def auth_from_spec_name(connection: Mapping[str, Any]) -> str | None:
    """The auth input property matching the connection's ``auth.specName``."""
    spec_name = str((connection.get("auth") or {}).get("specName") or "")
    return SPEC_NAME_TO_AUTH.get(spec_name.lower())


def _principal(declared: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    declared = dict(declared) if isinstance(declared, Mapping) else {}
    merged = {py: params.get(api, declared.get(py)) for py, api in SP_FIELDS.items()}
    # The key comes back masked: keep the declared one.
    merged["service_principal_key"] = declared.get("service_principal_key")
    return {k: v for k, v in merged.items() if v is not None}


def inputs_from_outputs(outs: Props) -> dict[str, Any]:
    """The input view of a refreshed state, so the next preview diffs against reality."""
    return {k: outs[k] for k in INPUT_KEYS if outs.get(k) is not None}
