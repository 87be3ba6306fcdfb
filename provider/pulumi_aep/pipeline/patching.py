"""JSON Patch ops (RFC 6902) for inputs that change in place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_aep.pipeline.definition import Props


def field_ops(olds: Props, news: Props, paths: Mapping[str, str]) -> list[dict[str, Any]]:
    """One op per changed input in ``paths`` (input -> JSON pointer): add, replace, or remove when unset."""
    ops: list[dict[str, Any]] = []
    for prop, path in paths.items():
        old, new = olds.get(prop), news.get(prop)
        if old == new:
            continue
        if new is None:
            ops.append({"op": "remove", "path": path})
        else:
            ops.append({"op": "add" if old is None else "replace", "path": path, "value": new})
    return ops


#: The in-place inputs every pipeline resource shares.
NAME_AND_DESCRIPTION = {"name": "/name", "description": "/description"}


def name_and_description_ops(current: Props, desired: Props) -> list[dict[str, Any]]:
    """JSON Patch for the in-place inputs every pipeline resource shares; everything else replaces."""
    return field_ops(current, desired, NAME_AND_DESCRIPTION)


def with_description(body: dict[str, Any], props: Props) -> dict[str, Any]:
    """``body`` with the declared description, when there is one (Adobe stores none otherwise)."""
    if props.get("description") is not None:
        body["description"] = props["description"]
    return body
