"""The lifecycle against Flow Service: create (adopt, reconcile), read, update (412 retry), delete, verify."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from pulumi_aep.client import ConnectionRef, FlowServiceClient, Json
from pulumi_aep.errors import (
    AepError,
    ConnectionInUseError,
    NotFoundError,
    PreconditionFailedError,
    RateLimitedError,
    ServerError,
    TransportError,
    ValidationError,
    VerificationError,
)
from pulumi_aep.model import (
    AZURE_BLOB_SPEC_ID,
    SECRET_PARAMS,
    auth_from_spec_name,
    auth_input,
    create_body,
    outputs,
    patch_ops,
    secrets_of,
)
from pulumi_aep.verification import verify, with_listing

log = logging.getLogger(__name__)

#: POST attempts when an outcome is unknown and reconciliation finds nothing to adopt.
CREATE_ATTEMPTS: Final = 3  # the floor; the retry budget (aep:maxRetries + 1) raises it
#: Wait after a 429 on create without ``Retry-After``, and the longest wait honoured.
RATE_LIMIT_WAIT_S: Final = 2.0
MAX_RATE_LIMIT_WAIT_S: Final = 60.0
#: Server and client clocks may disagree: look this far before the attempt for our connection.
CLOCK_SKEW_MS: Final = 120_000
#: Adobe codes meaning "this resource does not exist" (FSERR 1101, SRCERR 1003/1102/1602, label-hidden 1439).
#: Any other 404 (unknown sandbox 2100/2101, a wrong aep:platformUrl) must not drop resources from state.
MISSING_CODES: Final = ("1101-", "1003-", "1102-", "1602-", "1439-")

Props = Mapping[str, Any]


def create(
    client: FlowServiceClient, props: Props, sandbox: str, now_ms: Callable[[], int] | None = None
) -> Json:
    """Create (or adopt) the connection and return its full outputs.

    Raises:
        AepError: the create failed; nothing was left behind unless the message says so.
    """
    if props.get("adopt_existing_id"):
        return adopt(client, props, sandbox, str(props["adopt_existing_id"]))
    ref = create_once(client, props, sandbox, now_ms or _now_ms)
    listed: list[str] | None = None
    if props.get("verify"):
        try:
            listed = verify(client, sandbox, ref.id, props)
        except VerificationError as exc:
            _delete_quietly(client, sandbox, ref.id)
            raise VerificationError(f"{exc}; the new connection was deleted again") from exc
    now = (now_ms or _now_ms)()
    return with_listing(written(props, ref, sandbox, state="enabled", created_at=now, updated_at=now), listed)


def create_once(
    client: FlowServiceClient, props: Props, sandbox: str, now_ms: Callable[[], int]
) -> ConnectionRef:
    """POST; when the outcome is unknown (no answer after sending, or 5xx) reconcile instead of repeating.

    Reconciling lists connections with the same name, spec, auth type and non-secret params
    created by this API client since the attempt (minus a clock-skew allowance): exactly one is
    adopted, none means the POST did not land and is sent again, several is an error naming them.
    A 429 is known not to have been processed: it is simply sent again after ``Retry-After``.
    """
    body = create_body(props)
    # As many attempts as an idempotent call gets (each failed one is reconciled, never blindly resent).
    attempts = max(CREATE_ATTEMPTS, client.config.retries.total + 1)
    for attempt in range(1, attempts + 1):
        started = now_ms() - CLOCK_SKEW_MS
        try:
            return client.create_connection(sandbox, body, secrets_of(props))
        except (TransportError, ServerError, RateLimitedError) as exc:
            last = attempt == attempts
            # The last attempt's outcome may be unknown too: reconcile it before giving up (no orphan).
            found = (
                []
                if last and isinstance(exc, RateLimitedError)
                else _after_failed_post(client, sandbox, body, started, exc)
            )
            if last and not found:
                raise
        if len(found) == 1:
            log.warning(
                "create of connection %r: adopting %s created by the lost attempt", body["name"], found[0].id
            )
            return found[0]
        if len(found) > 1:
            ids = ", ".join(r.id for r in found)
            raise AepError(
                f"creating connection {body['name']!r} in sandbox {sandbox!r}: the outcome was lost and "
                f"{len(found)} matching connections exist ({ids}); delete the extras, then adopt one"
            )
    raise AssertionError("unreachable")


def _after_failed_post(
    client: FlowServiceClient, sandbox: str, body: Json, since_ms: int, exc: AepError
) -> list[ConnectionRef]:
    """Connections the failed POST may have created (none when it certainly was not processed)."""
    name = body["name"]
    if isinstance(exc, RateLimitedError):
        wait = min(
            exc.retry_after if exc.retry_after is not None else RATE_LIMIT_WAIT_S, MAX_RATE_LIMIT_WAIT_S
        )
        log.warning("create of connection %r: throttled (429); retrying in %.1f s", name, wait)
        time.sleep(wait)
        return []
    if isinstance(exc, TransportError) and exc.request_sent is False:
        return []
    log.warning("create of connection %r: outcome unknown (%s); reconciling", name, type(exc).__name__)
    return _find_created(client, sandbox, body, since_ms)


def _find_created(client: FlowServiceClient, sandbox: str, body: Json, since_ms: int) -> list[ConnectionRef]:
    items = client.list_connections(sandbox, {"name": str(body["name"])})
    return [
        ConnectionRef(id=str(c["id"]), etag=str(c.get("etag", "")))
        for c in items
        if _looks_like(c, body)
        and (client.client_id is None or c.get("createdClient") in (None, client.client_id))
        and int(c.get("createdAt") or 0) >= since_ms
    ]


def _looks_like(connection: Json, body: Json) -> bool:
    """Same name, spec id and version, auth type and non-secret params as the POSTed body."""
    spec, want_spec = connection.get("connectionSpec") or {}, body["connectionSpec"]
    auth, want_auth = connection.get("auth") or {}, body["auth"]
    params = auth.get("params") or {}
    return (
        connection.get("name") == body["name"]
        and (spec.get("id"), spec.get("version")) == (want_spec["id"], want_spec["version"])
        and auth_from_spec_name(connection) == auth_from_spec_name(body)
        and all(params.get(k) == v for k, v in want_auth["params"].items() if k not in SECRET_PARAMS)
    )


def adopt(client: FlowServiceClient, props: Props, sandbox: str, connection_id: str) -> Json:
    """Take over an existing connection: GET it, PATCH it to the declared state, return outputs.

    Raises:
        NotFoundError: no such connection in the sandbox.
        ValidationError: it is not an Azure Blob connection of the declared auth type.
    """
    current = client.get_connection(sandbox, connection_id)
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
    ref = _patch(client, {}, props, sandbox, connection_id, str(current.get("etag")), ops)
    return written(props, ref, sandbox, state=current.get("state"), created_at=current.get("createdAt"))


def update(client: FlowServiceClient, connection_id: str, olds: Props, news: Props, sandbox: str) -> Json:
    """One JSON Patch with ``If-Match`` from state; on 412 re-read and retry once (declared state wins)."""
    ops = patch_ops(olds, news)
    if ops:
        ref = _patch(client, olds, news, sandbox, connection_id, str(olds.get("etag") or ""), ops)
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
        return with_listing(outs, verify(client, sandbox, connection_id, news))
    return outs


def _patch(
    client: FlowServiceClient,
    olds: Props,
    news: Props,
    sandbox: str,
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
        etag = str(client.get_connection(sandbox, connection_id).get("etag"))
    try:
        return client.patch_connection(sandbox, connection_id, etag, ops, secrets)
    except PreconditionFailedError:
        log.warning("connection %s changed since the last refresh (412); re-reading, retrying", connection_id)
        fresh = client.get_connection(sandbox, connection_id)
        ops = patch_ops(outputs(olds, fresh, sandbox), news)
        if not ops:
            return ConnectionRef(id=connection_id, etag=str(fresh.get("etag")))
        return client.patch_connection(sandbox, connection_id, str(fresh.get("etag")), ops, secrets)


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


def read(client: FlowServiceClient, connection_id: str, props: Props, sandbox: str) -> Json | None:
    """Current outputs, or None when the connection is gone (404)."""
    try:
        connection = client.get_connection(sandbox, connection_id)
    except NotFoundError as exc:
        if not is_missing_connection(exc):
            raise
        return None
    return outputs(props, connection, sandbox)


def is_missing_connection(exc: NotFoundError) -> bool:
    """True only for a 404 that says the connection itself does not exist."""
    return (exc.code or "").startswith(MISSING_CODES)


def delete(client: FlowServiceClient, connection_id: str, sandbox: str) -> None:
    """Delete; 204, 202 and 404 all count as success.

    Raises:
        ConnectionInUseError: dataflows use the connection; the message names them.
    """
    try:
        client.delete_connection(sandbox, connection_id)
    except NotFoundError as exc:
        if not is_missing_connection(exc):
            raise
        log.info("connection %s was already deleted", connection_id)
    except ConnectionInUseError as exc:
        flows = ", ".join(exc.flow_ids) or "see Sources > Dataflows in the AEP UI"
        raise ConnectionInUseError(
            f"cannot delete connection {connection_id} in sandbox {sandbox!r}: dataflows still use it "
            f"({flows}); delete those dataflows first (DELETE /flows/{{id}} or the AEP UI), then run again",
            status=exc.status,
            code=exc.code,
            request_id=exc.request_id,
            flow_ids=exc.flow_ids,
        ) from exc


def _delete_quietly(client: FlowServiceClient, sandbox: str, connection_id: str) -> None:
    try:
        client.delete_connection(sandbox, connection_id)
    except AepError as exc:
        log.warning("could not remove unverified connection %s: %s", connection_id, type(exc).__name__)


def _now_ms() -> int:
    return int(time.time() * 1000)
