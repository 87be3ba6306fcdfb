"""The lifecycle against Flow Service: create (adopt, reconcile), read, update (412 retry), delete, verify."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from pulumi_aep.client import ConnectionRef, FlowServiceClient, Json
from pulumi_aep.created_window import create_reconciled
from pulumi_aep.errors import (
    ApiError,
    ConnectionInUseError,
    NotFoundError,
    PreconditionFailedError,
    ValidationError,
)
from pulumi_aep.model import (
    AZURE_BLOB_SPEC_ID,
    auth_from_spec_name,
    auth_input,
    create_body,
    outputs,
    patch_ops,
    secrets_of,
)
from pulumi_aep.reconcile import lookup
from pulumi_aep.verification import verify, verify_new, with_listing

log = logging.getLogger(__name__)

#: Adobe codes meaning "this resource does not exist" (FSERR 1101, SRCERR 1003/1102/1602, label-hidden 1439).
#: Any other 404 (unknown sandbox 2100/2101, a wrong aep:platformUrl) must not drop resources from state.
MISSING_CODES: Final = ("1101-", "1003-", "1102-", "1602-", "1439-")

Props = Mapping[str, Any]


def create(
    client: FlowServiceClient,
    props: Props,
    sandbox: str,
    now_ms: Callable[[], int] | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> Json:
    """Create (or adopt) the connection and return its full outputs.

    Raises:
        AepError: the create failed; nothing was left behind unless the message says so.
    """
    if props.get("adopt_existing_id"):
        return adopt(client, props, sandbox, connection_id=str(props["adopt_existing_id"]))
    ref = create_once(client, props, sandbox, clock=clock)
    listed = verify_new(client, props, sandbox=sandbox, connection_id=ref.id) if props.get("verify") else None
    now = (now_ms or _now_ms)()
    return with_listing(written(props, ref, sandbox, state="enabled", created_at=now, updated_at=now), listed)


def create_once(
    client: FlowServiceClient,
    props: Props,
    sandbox: str,
    now_ms: Callable[[], int] | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> ConnectionRef:
    """POST; when the outcome is unknown (no answer after sending, or 5xx) reconcile instead of repeating.

    ``created_window.create_reconciled`` with the connection's ``reconcile.lookup``: the connection
    this very attempt created is adopted; several candidates, or a failing list, stop with an error
    naming what may exist; nothing, and it is sent again. A 429 or a refused connection is sent again
    after the policy's wait. All of it within one budget: ``aep:maxRetries`` + 1 POSTs in all.
    """
    del now_ms  # kept for callers of the older signature; the server's clock decides now
    body = create_body(props)
    return create_reconciled(
        client.policy,
        f"connection {body['name']!r} in sandbox {sandbox!r}",
        lambda: client.create_connection(sandbox, body, secrets_of(props)),
        lookup(client, sandbox, body),
        clock,
    )


def adopt(client: FlowServiceClient, props: Props, sandbox: str, *, connection_id: str) -> Json:
    """Take over an existing connection: GET it, PATCH it to the declared state, return outputs.

    Raises:
        NotFoundError: no such connection in the sandbox.
        ValidationError: it is not an Azure Blob connection of the declared auth type.
    """
    current = client.get_connection(sandbox=sandbox, connection_id=connection_id)
    if (current.get("connectionSpec") or {}).get("id") != AZURE_BLOB_SPEC_ID:
        raise ValidationError(
            "adopt_existing_id", f"connection {connection_id} is not an Azure Blob connection"
        )
    if auth_from_spec_name(current) != auth_input(props):
        raise ValidationError(
            "adopt_existing_id",
            f"connection {connection_id} uses auth type {((current.get('auth') or {}).get('specName'))!r}; "
            f"declare the same credentials type ({auth_from_spec_name(current)}) to adopt it",
        )
    log.info("adopting existing connection %s", connection_id)
    # Credentials are always re-sent: the API masks them, so they cannot be compared.
    ops = patch_ops(outputs({}, current, sandbox), props)
    ref = _patch(
        client, {}, props, sandbox, connection_id=connection_id, etag=str(current.get("etag")), ops=ops
    )
    return written(props, ref, sandbox, state=current.get("state"), created_at=current.get("createdAt"))


def update(client: FlowServiceClient, olds: Props, news: Props, *, connection_id: str, sandbox: str) -> Json:
    """One JSON Patch with ``If-Match`` from state; on 412 re-read and retry once (declared state wins)."""
    ops = patch_ops(olds, news)
    if ops:
        ref = _patch(
            client,
            olds,
            news,
            sandbox,
            connection_id=connection_id,
            etag=str(olds.get("etag") or ""),
            ops=ops,
        )
        outs = written(news, ref, sandbox, state=olds.get("state"), created_at=olds.get("created_at"))
    else:
        ref = ConnectionRef(id=connection_id, etag=str(olds.get("etag") or ""))
        outs = written(
            news,
            ref,
            sandbox,
            state=olds.get("state"),
            created_at=olds.get("created_at"),
            updated_at=olds.get("updated_at"),
        )
    if news.get("verify"):
        return with_listing(outs, verify(client, news, sandbox=sandbox, connection_id=connection_id))
    return outs


def _patch(
    client: FlowServiceClient,
    olds: Props,
    news: Props,
    sandbox: str,
    *,
    connection_id: str,
    etag: str,
    ops: list[Json],
) -> ConnectionRef:
    """PATCH with If-Match; on 412 re-read, recompute the patch from the fresh state, retry once.

    Recomputing makes the declared state win over every out-of-band edit, not only the fields
    this update meant to change.
    """
    secrets = secrets_of(news)
    if not etag:
        etag = str(client.get_connection(sandbox=sandbox, connection_id=connection_id).get("etag"))
    try:
        return client.patch_connection(
            sandbox=sandbox, connection_id=connection_id, etag=etag, ops=ops, secrets=secrets
        )
    except PreconditionFailedError:
        log.warning("connection %s changed since the last refresh (412); re-reading, retrying", connection_id)
        fresh = client.get_connection(sandbox=sandbox, connection_id=connection_id)
        ops = patch_ops(outputs(olds, fresh, sandbox), news)
        if not ops:
            return ConnectionRef(id=connection_id, etag=str(fresh.get("etag")))
        return client.patch_connection(
            sandbox=sandbox,
            connection_id=connection_id,
            etag=str(fresh.get("etag")),
            ops=ops,
            secrets=secrets,
        )


def written(
    props: Props,
    ref: ConnectionRef,
    sandbox: str,
    *,
    state: Any,
    created_at: Any,
    updated_at: Any = None,
) -> Json:
    """Outputs after a create or update: the declared inputs plus what the write answered.

    Flow Service answers POST and PATCH with only ``{id, etag}``; reading the connection back would
    double the API calls of every create and update. So ``state`` and the timestamps are as of the
    write (a new connection is ``enabled``; times from this machine's clock) until the next
    ``pulumi refresh`` replaces them with the platform's values, which the engine does not report
    as a change (output-only values).
    """
    connection: Json = {
        "id": ref.id,
        "etag": ref.etag,
        "name": props.get("name"),
        "description": props.get("description"),
        "auth": {"params": {"container": props.get("container"), "folderPath": props.get("folder_path")}},
        "sandboxName": sandbox,
        "connectionSpec": {"version": props.get("connection_spec_version")},
        "state": state,
        "createdAt": created_at,
        "updatedAt": updated_at if updated_at is not None else _now_ms(),
    }
    return outputs(props, connection, sandbox)


def read(client: FlowServiceClient, props: Props, *, connection_id: str, sandbox: str) -> Json | None:
    """Current outputs, or None when the connection is gone (404)."""
    try:
        connection = client.get_connection(sandbox=sandbox, connection_id=connection_id)
    except NotFoundError as exc:
        if not is_missing_connection(exc):
            raise
        return None
    return outputs(props, connection, sandbox)


def is_missing_connection(exc: NotFoundError) -> bool:
    """True only for a 404 that says the connection itself does not exist."""
    return (exc.code or "").startswith(MISSING_CODES)


def delete(client: FlowServiceClient, *, connection_id: str, sandbox: str) -> bool:
    """Delete; 204, 202 and a 404 saying the connection does not exist count as success.

    Returns:
        False when the 404 said it was already gone (nothing was deleted), else True.

    Raises:
        ConnectionInUseError: dataflows (or, where Adobe refuses that too, source connections) use the
            connection; the message names them and says to delete them first.
    """
    try:
        client.delete_connection(sandbox=sandbox, connection_id=connection_id)
    except NotFoundError as exc:
        if not is_missing_connection(exc):
            raise
        log.info("connection %s was already deleted", connection_id)
        return False
    except ConnectionInUseError as exc:
        said = adobe_said(exc)
        dependents = "source connections" if "source connection" in said.lower() else "dataflows"
        raise refused_delete(f"connection {connection_id} in sandbox {sandbox!r}", exc, dependents) from exc
    return True


#: A Flow Service id (a UUID): how the dependents of a refused delete are picked out of Adobe's message.
_ENTITY_ID: Final = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", re.IGNORECASE)
#: Where to delete each kind of dependent, said in a refused delete's message.
_WHERE: Final = {
    "dataflows": "in Sources > Dataflows of the AEP UI, or with DELETE /flows/{id}",
    "source connections": "with DELETE /sourceConnections/{id}",
    "target connections": "with DELETE /targetConnections/{id}",
}


def adobe_said(exc: ApiError) -> str:
    """Adobe's own message in ``exc`` (without the provider's ``deleting <what>: `` prefix)."""
    return re.sub(r"^deleting [^:]*: ", "", exc.message)


def refused_delete(label: str, exc: ApiError, dependents: str) -> ConnectionInUseError:
    """The error for a delete of ``label`` Adobe refused (1418, 1447) because ``dependents`` use it.

    Says what failed and on which resource, which dependents block it (their ids when Adobe's answer
    names them), what to delete first and where; quotes Adobe and keeps its status, code and request id.
    ``flow_ids`` holds the ids when the dependents are dataflows.
    """
    said = adobe_said(exc)
    ids = tuple(dict.fromkeys(i for i in _ENTITY_ID.findall(said) if i.lower() not in label.lower()))
    named = ", ".join(ids) if ids else "Adobe's answer does not name them"
    return ConnectionInUseError(
        f"cannot delete {label}: {dependents} still use it ({named}); delete those {dependents} first "
        f"(in the stack that declares them, or {_WHERE.get(dependents, 'in the AEP UI')}), then run "
        f"again. Adobe said: {said}",
        status=exc.status,
        code=exc.code,
        request_id=exc.request_id,
        flow_ids=ids if dependents == "dataflows" else (),
    )


def _now_ms() -> int:
    return int(time.time() * 1000)
