"""RFC 6902 JSON Patch of a base connection: the ops and paths Flow Service allows, applied with jsonpatch."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import jsonpatch

from aep_emulator.errors import FlowError, bad_request

ALLOWED_OPS = frozenset({"add", "replace", "remove"})
#: The documented patchable paths (flow-service-api.md §6); ``/auth/params/<key>`` is allowed too.
PATCHABLE = ("/name", "/description", "/auth/params")


def _check_path(path: str) -> None:
    if path == "/connectionSpec" or path.startswith("/connectionSpec/"):
        raise bad_request("The connection spec of a connection cannot be updated.", 1414)
    if path == "/auth/specName":
        raise bad_request(
            "The authentication type of a connection cannot be changed. "
            "Create a new base connection to use another authentication type.",
            1414,
        )
    if path in PATCHABLE or path.startswith("/auth/params/"):
        return
    raise bad_request(
        f'An error has occurred while validating patch instructions: Missing field "{path}"', 1455
    )


def normalize(ops: Any, check_path: Callable[[str], None] = _check_path) -> list[dict[str, Any]]:
    """Check the patch document and return it with lowercase op names.

    Raises:
        FlowError: 1100 for a malformed document, 1434 for an unsupported op, 1414/1455 for a refused path.
    """
    if isinstance(ops, dict):
        ops = [ops]  # OAS-S models the body as one operation object; the docs send an array.
    if not isinstance(ops, list):
        raise bad_request("The request body must be a JSON Patch array of operations", 1100)
    result = []
    for op in ops:
        if (
            not isinstance(op, dict)
            or not isinstance(op.get("op"), str)
            or not isinstance(op.get("path"), str)
        ):
            raise bad_request("Every patch operation needs the string fields 'op' and 'path'", 1100)
        name = op["op"].lower()
        if name not in ALLOWED_OPS:
            raise bad_request(f"Unsupported operation '{op['op']}'", 1434)
        check_path(op["path"])
        if name != "remove" and "value" not in op:
            raise bad_request(f"The patch operation '{name}' on {op['path']} needs a value", 1100)
        result.append({**op, "op": name})
    return result


def apply(
    record: dict[str, Any], ops: Any, check_path: Callable[[str], None] = _check_path
) -> dict[str, Any]:
    """Return a patched copy of ``record`` (the stored connection is left untouched).

    Raises:
        FlowError: as :func:`normalize`, or 1100 when an operation cannot apply (e.g. removing a missing one).
    """
    patch = jsonpatch.JsonPatch(normalize(ops, check_path))
    try:
        patched: dict[str, Any] = patch.apply(copy.deepcopy(record))
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
        raise FlowError(1100, 400, f"The patch could not be applied: {exc}") from exc
    return patched


def path_checker(patchable: tuple[str, ...], immutable: tuple[str, ...], kind: str) -> Callable[[str], None]:
    """A path check for ``kind``: paths under ``patchable`` pass, ``immutable`` give 1414, others 1455."""

    def check(path: str) -> None:
        if any(path == p or path.startswith(p + "/") for p in immutable):
            raise bad_request(
                f"The field {path} of {kind} cannot be updated; create a new one instead.", 1414
            )
        if any(path == p or path.startswith(p + "/") for p in patchable):
            return
        raise bad_request(
            f'An error has occurred while validating patch instructions: Missing field "{path}"', 1455
        )

    return check
