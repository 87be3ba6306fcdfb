"""Reconciling a create whose outcome is unknown: find the connection this attempt made, or nothing.

The rule: never adopt a connection this attempt did not create. A candidate must match what was
POSTed (name, spec id and version, auth type, non-secret params, API client) and have been created
by the server while the POST was in flight: not before it was sent, by the server's own clock (see
``pulumi_aep.created_window``: the ``Date`` header of the list answer minus the time elapsed since
the POST was sent; no upper bound), so a same-named connection made earlier (another stack's) falls
outside it. When more than one candidate remains, nobody can tell which is ours: stop and name them.
The loop (``created_window.create_reconciled``) is the pipeline entities' too; this is its ``Lookup``.
"""

from __future__ import annotations

from pulumi_aep.client import ConnectionRef, FlowServiceClient, Json, Listing, list_request
from pulumi_aep.created_window import CLOCK_SLACK_MS, LOCAL_SKEW_MS, Lookup
from pulumi_aep.model import AZURE_BLOB_SPEC_ID, SECRET_PARAMS, auth_from_spec_name

#: The window's numbers (re-exported) live in ``pulumi_aep.created_window``, shared with the pipeline.
__all__ = ["CLOCK_SLACK_MS", "LOCAL_SKEW_MS", "looks_like", "lookup"]


def lookup(client: FlowServiceClient, sandbox: str, body: Json) -> Lookup[ConnectionRef]:
    """How to find the connection a POST of ``body`` to ``sandbox`` whose answer was lost created."""
    filters = {"connectionSpec.id": AZURE_BLOB_SPEC_ID, "name": str(body["name"])}

    def listing(resend: bool) -> Listing:
        return client.list_connections_dated(sandbox, filters, resend=resend)

    def candidate(item: Json) -> ConnectionRef | None:
        same = item.get("id") and looks_like(item, body)
        return ConnectionRef(id=str(item["id"]), etag=str(item.get("etag") or "")) if same else None

    return Lookup(
        listing,
        candidate,
        client.client_id,
        f"find it with {list_request('connections', filters)} in sandbox {sandbox!r} "
        "(or Sources > Accounts in the AEP UI)",
        kind="connections",
        pick="Set adopt_existing_id to the one that is yours (the others belong to whoever else created "
        "them at the same time, or delete the extras)",
        if_there="set adopt_existing_id to its id (or delete it)",
    )


def looks_like(connection: Json, body: Json) -> bool:
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
