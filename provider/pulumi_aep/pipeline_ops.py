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
    AepError,
    ApiError,
    ConnectionInUseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from pulumi_aep.operations import (
    CLOCK_SKEW_MS,
    CREATE_ATTEMPTS,
    MAX_RATE_LIMIT_WAIT_S,
    RATE_LIMIT_WAIT_S,
    is_missing_connection,
)

log = logging.getLogger(__name__)

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
        AepError: the create failed (the last error), or several candidates exist (named).
    """
    attempts = max(CREATE_ATTEMPTS, config.retries.total + 1)
    for attempt in range(1, attempts + 1):
        since = now_ms() - CLOCK_SKEW_MS
        try:
            return post()
        except RateLimitedError as exc:
            if attempt == attempts:
                raise
            wait = min(
                exc.retry_after if exc.retry_after is not None else RATE_LIMIT_WAIT_S, MAX_RATE_LIMIT_WAIT_S
            )
            log.warning("create of %s: throttled (429); retrying in %.1f s", label, wait)
            sleep(wait)
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
            raise AepError(
                f"creating {label}: the outcome was lost and {len(found)} matching entities exist "
                f"({', '.join(map(str, found))}); delete the extras, then run `pulumi up` again"
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
