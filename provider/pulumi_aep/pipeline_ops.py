"""The lifecycle steps every pipeline entity shares besides the create: read, delete.

Flow Service entities (source and target connections, flows) and Catalog datasets alike (a create
whose outcome is unknown is reconciled by the base connection's loop, ``created_window.create_reconciled``):
- a 404 means "gone" only with a code saying the entity itself does not exist (``is_missing_connection``);
- a delete refused because something still uses the entity (1418, 1447) says what to delete first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final, TypeVar

from pulumi_aep.errors import NotFoundError
from pulumi_aep.operations import is_missing_connection

log = logging.getLogger(__name__)

#: Adobe's codes for "something still uses this entity": a flow uses a base connection (1418), a flow
#: uses a source/target connection or a target connection writes to a dataset (1447).
IN_USE_CODES: Final = ("1418", "1447")

_T = TypeVar("_T")


def read_or_gone(label: str, get: Callable[[], _T]) -> _T | None:
    """``get()``, or None when a 404 says the entity itself is gone (any other 404 is raised)."""
    try:
        return get()
    except NotFoundError as exc:
        if not is_missing_connection(exc):
            raise
        log.info("%s is gone", label)
        return None
