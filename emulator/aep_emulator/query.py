"""List queries of ``GET /connections``: ``property`` filters, ``orderby``, ``limit``, paging, ``count``.

Semantics (flow-service-api.md §5): a comma-separated value list means "any of", repeated ``property`` params
are ANDed, ``orderby`` takes ``+``/``-`` prefixes, ``limit`` is at most 100, and ``count=true`` answers
``{"count": N}``. The continuation token is opaque to clients (base64 JSON of an offset and the query).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aep_emulator.errors import bad_request

MAX_LIMIT = 100
#: Adobe does not document the default page size; 20 is what the widely used Python wrapper asks for.
DEFAULT_LIMIT = 20

FIELDS = frozenset(
    {
        "id", "name", "description", "state", "connectionSpec.id", "connectionSpec.version", "auth.specName",
        "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient",
        "sandboxId", "sandboxName", "imsOrgId", "etag", "version",
    }
)  # fmt: skip
_NUMERIC = frozenset({"createdAt", "updatedAt"})
_FILTER = re.compile(r"^([A-Za-z][A-Za-z0-9_.\[\]]*)(==|!=|>=|<=|>|<|~)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Filter:
    """One ``property=`` expression."""

    field: str
    op: str
    values: tuple[str, ...]


@dataclass
class ListQuery:
    """The parsed query parameters of a list call."""

    filters: list[Filter] = field(default_factory=list)
    orderby: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    count: bool = False
    raw: list[tuple[str, str]] = field(default_factory=list)  # params to repeat in _links.next.href


def _parse_filter(expr: str) -> Filter:
    match = _FILTER.match(expr)
    if match is None:
        raise bad_request(f"Invalid operator in filter '{expr}'", 1450)
    name, op, value = match.groups()
    if op == "~":
        raise bad_request("Operator '~' not implemented", 1440)
    if name not in FIELDS:
        raise bad_request(f"Invalid field '{name}' in filter params", 1449)
    if value == "":
        raise bad_request(f"Invalid query value in '{expr}'", 1453)
    values = tuple(value.split(","))
    if len(values) > 1 and op != "==":
        raise bad_request(f"Operator '{op}' is not allowed for multiple values", 1443)
    if name in _NUMERIC and not all(v.lstrip("-").isdigit() for v in values):
        raise bad_request(f"Invalid value '{value}' for field '{name}'", 1452)
    return Filter(name, op, values)


def _parse_orderby(value: str) -> list[tuple[str, bool]]:
    result = []
    for part in value.split(","):
        # An unencoded '+' arrives as a space: treat it as the ascending prefix it was meant to be.
        token = part.strip() if part.startswith(" ") else part
        descending = token.startswith("-")
        if token[:1] in "+-":
            token = token[1:]
        if not token or not (token[0].isalpha()):
            raise bad_request(f"Wrong sort order prefix in orderby '{part}': use '+' or '-'", 1432)
        if token not in FIELDS:
            raise bad_request(f"Incorrect field '{token}' in orderBy", 1433)
        result.append((token, descending))
    return result


def parse(params: list[tuple[str, str]]) -> ListQuery:
    """Parse the query string pairs of a list call.

    Raises:
        FlowError: 1401, 1432, 1433, 1440-1453 (all 400).
    """
    query = ListQuery()
    limit_given = False
    for key, value in params:
        if key == "property":
            query.filters.append(_parse_filter(value))
            query.raw.append((key, value))
        elif key == "orderby":
            query.orderby = _parse_orderby(value)
            query.raw.append((key, value))
        elif key == "limit":
            if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
                raise bad_request(
                    f"Invalid query param limit={value}: it must be between 1 and {MAX_LIMIT}", 1451
                )
            query.limit, limit_given = int(value), True
            query.raw.append((key, value))
        elif key == "count":
            query.count = value.lower() == "true"
        elif key == "continuationToken":
            query.offset = _decode_token(value)
    if query.count and limit_given:
        raise bad_request("The limit and count parameters cannot be given together", 1401)
    return query


def _decode_token(token: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset = int(data["o"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise bad_request(f"Invalid query param continuationToken={token}", 1451) from exc
    if offset < 0:
        raise bad_request(f"Invalid query param continuationToken={token}", 1451)
    return offset


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _get(record: dict[str, Any], dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _matches(record: dict[str, Any], flt: Filter) -> bool:
    actual = _get(record, flt.field)
    if actual is None:
        return flt.op == "!="
    if flt.field in _NUMERIC:
        wanted: list[Any] = [int(v) for v in flt.values]
    else:
        actual, wanted = str(actual), list(flt.values)
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        ">": lambda a, b: a > b,
        "<": lambda a, b: a < b,
        ">=": lambda a, b: a >= b,
        "<=": lambda a, b: a <= b,
    }
    return any(ops[flt.op](actual, w) for w in wanted)


def _sort_key(name: str) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    def key(record: dict[str, Any]) -> tuple[int, Any]:
        value = _get(record, name)
        return (0, "") if value is None else (1, value)

    return key


def run_query(
    records: list[dict[str, Any]], query: ListQuery, view: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Filter, sort and page ``records``; return the list answer (or ``{"count": N}``)."""
    selected = [r for r in records if all(_matches(r, f) for f in query.filters)]
    if query.count:
        return {"count": len(selected)}
    # Default: most recently created or updated first (OAS-D). Sorts are stable, so ties keep creation order
    # (newest first by default), which keeps pages deterministic.
    if not query.orderby:
        selected.reverse()
    for name, descending in reversed(query.orderby or [("updatedAt", True)]):
        selected.sort(key=_sort_key(name), reverse=descending)
    page = selected[query.offset : query.offset + query.limit]
    answer: dict[str, Any] = {"items": [view(r) for r in page]}
    if query.offset + query.limit < len(selected):
        params = [*query.raw, ("continuationToken", _encode_token(query.offset + query.limit))]
        answer["_links"] = {"next": {"href": "/connections?" + urlencode(params)}}
    return answer
