"""Auto-naming: a resource declared without ``name`` is named ``<resource name>-<7 hex digits>``, for life.

Flow Service does not refuse two connections (or flows, ...) with the same name, and a create whose
answer was lost is found again by listing what matches its name (``pulumi_aep.created_window``). Two
stacks that give their resources the same names would find each other's entities there; a random
suffix, Pulumi's convention for physical names, keeps every new entity's name its own. The name is
chosen once: whatever name the resource already has in state is kept, so stacks written before
auto-naming (whose connections carry the bare resource name) are never renamed. An explicit ``name``
always wins, and the engine's ``pulumi:autonaming`` settings (a proposed name, or naming disabled)
are honoured on the plugin face, which receives them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any, Final

#: Pulumi's providers append 7 hex digits (2^28 names per resource name).
SUFFIX_DIGITS: Final = 7
#: The dynamic face's private input carrying the resource name to ``check``: the dynamic provider
#: protocol gives ``check`` no URN. ``check`` removes it, so it is never stored in state.
AUTONAME_KEY: Final = "__autoname"


def suffix(seed: bytes = b"") -> str:
    """7 hex digits: from the engine's random seed (so preview and up agree), else random."""
    if seed:
        return hashlib.sha256(seed).hexdigest()[:SUFFIX_DIGITS]
    return secrets.token_hex(4)[:SUFFIX_DIGITS]


def name_for(
    resource_name: str,
    olds: Mapping[str, Any],
    *,
    seed: bytes = b"",
    proposed: str = "",
    disabled: bool = False,
) -> str:
    """The ``name`` of a resource declared without one.

    Args:
        resource_name: the Pulumi resource (logical) name.
        olds: the inputs the resource had (empty for a new resource): a name there is kept.
        seed: the engine's random seed for this resource, if it sends one.
        proposed: the name the engine's autonaming settings propose, if any.
        disabled: the engine's autonaming settings disable auto-naming: the bare resource name.
    """
    kept = olds.get("name")
    if isinstance(kept, str) and kept:
        return kept
    if proposed:
        return proposed
    if disabled:
        return resource_name
    return f"{resource_name}-{suffix(seed)}"
