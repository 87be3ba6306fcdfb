"""Verification: have the platform reach the storage through a connection, and list what it sees."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_aep.client import FlowServiceClient, Json
from pulumi_aep.errors import AepError, ApiError, NotFoundError, VerificationError

Props = Mapping[str, Any]


def verify(client: FlowServiceClient, props: Props, *, sandbox: str, connection_id: str) -> list[str]:
    """Ask the platform to reach the storage (``/test``, or ``/explore`` if test is unsupported).

    Returns:
        The names the platform lists at the connection's container and folder (``verified_objects``).

    Raises:
        VerificationError: the platform cannot reach the container with these credentials.
        AepError: the check itself failed (5xx, 429, no answer): the caller says so.
    """
    try:
        ok = client.test_connection(sandbox=sandbox, connection_id=connection_id)
    except ApiError as exc:
        if exc.status not in (404, 405, 501):
            raise
        try:
            client.explore(sandbox=sandbox, connection_id=connection_id)
            ok = True
        except ApiError as explore_failed:
            if explore_failed.status >= 500 or explore_failed.status == 429:
                raise  # Adobe failed: that says nothing about the storage
            ok = False
    if not ok:
        where = f"container {props.get('container')!r}" if props.get("container") else "the storage account"
        raise VerificationError(
            f"connection {connection_id} ({props.get('name')!r}): Adobe Experience Platform cannot reach "
            f"{where} with it: check the credentials, their expiry and permissions, and the "
            "storage firewall (allow Adobe's IP ranges), then run again"
        )
    return listing(client, props, sandbox=sandbox, connection_id=connection_id)


def verify_new(client: FlowServiceClient, props: Props, *, sandbox: str, connection_id: str) -> list[str]:
    """``verify`` a connection the create just made; on any failure delete it again.

    Raises:
        VerificationError: it could not be verified; the message says whether it was deleted again
            or still exists (and then how to remove or adopt it).
    """
    try:
        return verify(client, props, sandbox=sandbox, connection_id=connection_id)
    except AepError as exc:
        raise _removed_after(client, exc, sandbox=sandbox, connection_id=connection_id) from exc


def _removed_after(client: FlowServiceClient, exc: AepError, *, sandbox: str, connection_id: str) -> AepError:
    """Delete a connection that failed verification; the error says truthfully whether it is gone."""
    try:
        client.delete_connection(sandbox=sandbox, connection_id=connection_id)
    except NotFoundError:
        outcome = f"the new connection {connection_id} is already gone"
    except AepError as cleanup:
        outcome = (
            f"deleting the new connection {connection_id} failed too ({cleanup}), so it still exists: "
            f"delete it (DELETE /connections/{connection_id}, or Sources > Accounts in the AEP UI) or "
            "set adopt_existing_id to it, then run again"
        )
    else:
        outcome = f"the new connection {connection_id} was deleted again"
    if isinstance(exc, VerificationError):
        return VerificationError(f"{exc}; {outcome}")
    return VerificationError(f"verifying connection {connection_id} could not be done: {exc}; {outcome}")


def listing(client: FlowServiceClient, props: Props, *, sandbox: str, connection_id: str) -> list[str]:
    """What explore lists at ``/{container}/{folder_path}/`` (the root without a container)."""
    container = str(props.get("container") or "").strip("/")
    folder = str(props.get("folder_path") or "").strip("/")
    path = "/".join(p for p in (container, folder) if p)
    try:
        items = (
            client.explore(
                sandbox=sandbox, connection_id=connection_id, object_type="folder", obj=f"/{path}/"
            )
            if path
            else client.explore(sandbox=sandbox, connection_id=connection_id)
        )
    except ApiError as exc:
        raise VerificationError(
            f"connection {connection_id} ({props.get('name')!r}): Adobe Experience Platform cannot list "
            f"'/{path}' ({exc.code or exc.status}): check that the container and folder exist"
        ) from exc
    return sorted(str(item["name"]) for item in items if isinstance(item, dict) and "name" in item)


def with_listing(outs: Json, listed: list[str] | None) -> Json:
    """OUTS with ``verified_objects`` when verification listed something (``None``: it did not run)."""
    if listed is not None:
        outs["verified_objects"] = listed
    return outs
