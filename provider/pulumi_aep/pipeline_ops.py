"""The lifecycle steps every pipeline entity shares: create with reconcile-not-repeat, read, patch, delete.

Flow Service entities (source and target connections, flows) and Catalog datasets alike:
- a create whose outcome is unknown (no answer after sending, or 5xx) is reconciled by listing the
  entities of the same name created by this API client since the attempt: one is adopted, none means
  the POST did not land and it is sent again, several is an error naming them; a 429 is resent after
  ``Retry-After`` (it was not processed);
- a 404 means "gone" only with a code saying the entity itself does not exist (``is_missing_connection``);
- a delete refused because something still uses the entity (1418, 1447) says what to delete first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final, TypeVar

from pulumi_aep.config import ProviderConfig
from pulumi_aep.errors import (
    ApiError,
    ConnectionInUseError,
    CreateOutcomeUnknownError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from pulumi_aep.operations import is_missing_connection
from pulumi_aep.reconcile import LOCAL_SKEW_MS
from pulumi_aep.retry import RetryPolicy

log = logging.getLogger(__name__)

#: TODO(issue 14): reconcile pipeline entities by the server's clock as ``pulumi_aep.reconcile`` does
#: for connections; until then this machine's clock is used, with the same skew allowance.
CLOCK_SKEW_MS: Final = LOCAL_SKEW_MS

#: Adobe's codes for "something still uses this entity": a flow uses a base connection (1418), a flow
#: uses a source/target connection or a target connection writes to a dataset (1447).
IN_USE_CODES: Final = ("1418", "1447")

_T = TypeVar("_T")


def _now_ms() -> int:
    return int(time.time() * 1000)


def create_reconciled(
    config: ProviderConfig,
    label: str,
    post: Callable[[], _T],
    find: Callable[[int], list[_T]],
    now_ms: Callable[[], int] = _now_ms,
    sleep: Callable[[float], None] = time.sleep,
) -> _T:
    """``post()`` once; when its outcome is unknown, ``find(since_ms)`` what it may have created.

    ``find`` lists the entities matching the POSTed body created by this client since ``since_ms``.

    Raises:
        AepError: the create failed (the last error).
        CreateOutcomeUnknownError: several candidates exist (named).
    """
    policy = RetryPolicy(config.retries, sleep=sleep)
    attempts = policy.attempts
    for attempt in range(1, attempts + 1):
        since = now_ms() - CLOCK_SKEW_MS
        try:
            return post()
        except RateLimitedError as exc:
            if attempt == attempts:
                raise
            policy.pause(attempt - 1, f"create of {label}", "throttled (429)", exc.retry_after)
            continue
        except (TransportError, ServerError) as exc:
            if isinstance(exc, TransportError) and exc.request_sent is False:
                if attempt == attempts:
                    raise
                continue
            log.warning("create of %s: outcome unknown (%s); reconciling", label, type(exc).__name__)
            found = find(since)
            if not found and attempt == attempts:
                raise
        if len(found) == 1:
            log.warning("create of %s: adopting what the lost attempt created", label)
            return found[0]
        if len(found) > 1:
            raise CreateOutcomeUnknownError(
                f"creating {label}: the outcome was lost and {len(found)} matching entities exist "
                f"({', '.join(map(str, found))}); delete the extras, then run `pulumi up` again",
                candidate_ids=tuple(map(str, found)),
            )
    raise AssertionError("unreachable")


def read_or_gone(label: str, get: Callable[[], _T]) -> _T | None:
    """``get()``, or None when a 404 says the entity itself is gone (any other 404 is raised)."""
    try:
        return get()
    except NotFoundError as exc:
        if not is_missing_connection(exc):
            raise
        log.info("%s is gone", label)
        return None


def delete_or_gone(label: str, remove: Callable[[], None], first: str) -> None:
    """``remove()``; already gone counts as success; in use -> an error saying to delete ``first``.

    Raises:
        ConnectionInUseError: Adobe refused because something uses it (its code and request id kept).
    """
    try:
        remove()
    except NotFoundError as exc:
        if not is_missing_connection(exc):
            raise
        log.info("%s was already deleted", label)
    except ApiError as exc:
        if not (exc.code or "").startswith(IN_USE_CODES):
            raise
        flows = getattr(exc, "flow_ids", ())
        raise ConnectionInUseError(
            f"cannot delete {label}: {first} still use it ({exc.message}); delete those first "
            "(remove them from the program, or DELETE them in the AEP UI), then run again",
            status=exc.status,
            code=exc.code,
            request_id=exc.request_id,
            flow_ids=tuple(flows),
        ) from exc


def created_since(
    item: dict[str, object], client_id: str | None, since_ms: int, key: str = "createdAt"
) -> bool:
    """Created by this API client (when known) no earlier than ``since_ms``."""
    created = item.get(key)
    return (client_id is None or item.get("createdClient") in (None, client_id)) and (
        isinstance(created, int | float) and created >= since_ms
    )
