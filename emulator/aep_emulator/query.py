"""List queries of every collection: ``property`` filters, ``orderby``, ``limit``, keyset paging, ``count``.

Semantics (flow-service-api.md §5, flow-service-pipeline.md §10): a comma-separated value list means "any of",
repeated ``property`` params are ANDed, a filter may name any dotted path with ``[]`` after an array segment,
values may be wrapped in double quotes, ``orderby`` takes ``+``/``-`` prefixes, ``limit`` is at most 100 and
``count=true`` answers ``{"count": N}``.

Queries are judged by the collection's known fields (:mod:`aep_emulator.fields`), never by the items it holds:
a comparison on a non-number field or through an array is 1448 on an empty collection too, and ``orderby``
takes the collection's known scalar fields (1433 otherwise). Filters and ``orderby`` see each item as GET
shows it (``view``): a masked secret compares as ``xxxx`` and private ``_`` fields are not there, so a filter
is never an oracle for what GET hides.

The continuation token is self-contained: base64url (no padding, so never ``=`` or ``&``) of the collection,
the filters, the order, the limit and the sort key of the last item served. A page starts strictly after that
key (keyset on the sort fields then ``id``), so deleting items between pages neither repeats nor skips any.
When a token is sent, the other list params are ignored: the token carries them. A token continues only the
collection that issued it (1451 elsewhere).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aep_emulator import fields
from aep_emulator.errors import FlowError, bad_request

MAX_LIMIT = 100
#: Adobe does not document the default page size; 20 is what the widely used Python wrapper asks for.
DEFAULT_LIMIT = 20
COMPARISONS = frozenset({">", "<", ">=", "<="})
_PATH = re.compile(r"^[A-Za-z_$][\w$]*(\[\])?(\.[A-Za-z_$][\w$]*(\[\])?)*$")
_FILTER = re.compile(r"^([^=!<>~]+?)(==|!=|>=|<=|>|<|~)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Filter:
    """One ``property=`` expression."""

    field: str
    op: str
    values: tuple[str, ...]


@dataclass
class ListQuery:
    """The parsed query parameters of a list call on ``collection``."""

    collection: str
    filters: list[Filter] = field(default_factory=list)
    orderby: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    limit: int = DEFAULT_LIMIT
    after: list[Any] | None = None  # sort key of the last item served (keyset position)
    count: bool = False


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _parse_filter(expr: str, types: fields.FieldTypes) -> Filter:
    match = _FILTER.match(expr)
    if match is None or match.group(3).startswith(("=", ">", "<", "!")):
        raise bad_request(f"Invalid operator in filter '{expr}'", 1450)
    name, op, value = match.groups()
    if op == "~":
        raise bad_request("Operator '~' not implemented", 1440)
    if not _PATH.match(name):
        raise bad_request(f"Invalid field '{name}' in filter params", 1449)
    if value == "":
        raise bad_request(f"Invalid query value in '{expr}'", 1453)
    values = tuple(_unquote(v) for v in value.split(","))
    if len(values) > 1 and op != "==":
        raise bad_request(f"Operator '{op}' is not allowed for multiple values", 1443)
    if op in COMPARISONS:
        kind = fields.field_type(types, name)
        if kind == fields.ARRAY or fields.through_array(types, name):
            raise bad_request(f"Operator '{op}' is not supported for the array field '{name}'", 1448)
        if not all(_number(v) is not None for v in values):
            raise bad_request(f"Invalid value '{value}' for operator '{op}' on field '{name}'", 1452)
        if kind not in (None, fields.NUMBER):
            raise bad_request(f"Operator '{op}' is not supported for the field '{name}'", 1448)
    return Filter(name, op, values)


def _parse_orderby(value: str, types: fields.FieldTypes) -> list[tuple[str, bool]]:
    result = []
    for part in value.split(","):
        # An unencoded '+' arrives as a space: treat it as the ascending prefix it was meant to be.
        token = part.strip() if part.startswith(" ") else part
        descending = token.startswith("-")
        if token[:1] in "+-":
            token = token[1:]
        if not token or not (token[0].isalpha()):
            raise bad_request(f"Wrong sort order prefix in orderby '{part}': use '+' or '-'", 1432)
        if not fields.sortable(types, token):
            raise bad_request(f"Incorrect field '{token}' in orderBy", 1433)
        result.append((token, descending))
    return result


def _parse_limit(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise bad_request(f"Invalid query param limit={value}: it must be between 1 and {MAX_LIMIT}", 1451)
    return int(value)


def parse(params: list[tuple[str, str]], collection: str) -> ListQuery:
    """Parse the query string pairs of a list call on ``collection`` (a continuation token replaces the rest).

    Raises:
        FlowError: 1401, 1432, 1433, 1440-1453 (all 400).
    """
    types = fields.FIELDS[collection]
    for key, value in params:
        if key == "continuationToken":
            return _decode_token(value, collection)
    query = ListQuery(collection)
    limit_given = False
    for key, value in params:
        if key == "property":
            query.filters.append(_parse_filter(value, types))
        elif key == "orderby":
            query.orderby = _parse_orderby(value, types)
        elif key == "limit":
            query.limit, limit_given = _parse_limit(value), True
        elif key == "count":
            query.count = value.lower() == "true"
    if query.count and limit_given:
        raise bad_request("The limit and count parameters cannot be given together", 1401)
    return query


def _decode_token(token: str, collection: str) -> ListQuery:
    types = fields.FIELDS[collection]
    invalid = bad_request(f"Invalid query param continuationToken={token}", 1451)
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        issuer = str(data["c"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise invalid from exc
    if issuer != collection:
        raise _foreign(issuer, collection)
    try:
        filters = [_parse_filter(expr, types) for expr in data["f"]]
        orderby = [(str(name), bool(desc)) for name, desc in data["o"]]
        after = list(data["a"])
        limit = int(data["l"])
    except (ValueError, KeyError, TypeError, FlowError) as exc:
        raise invalid from exc
    if not 1 <= limit <= MAX_LIMIT or not all(fields.sortable(types, name) for name, _ in orderby):
        raise invalid
    return ListQuery(collection, filters, orderby, limit, after)


def _foreign(issuer: str, collection: str) -> FlowError:
    return bad_request(
        f"Invalid query param continuationToken: it continues the list of /{issuer}, not /{collection}", 1451
    )


def _encode_token(query: ListQuery, after: list[Any]) -> str:
    data = {
        "c": query.collection,
        "f": [f"{f.field}{f.op}{','.join(f.values)}" for f in query.filters],
        "o": query.orderby,
        "l": query.limit,
        "a": after,
    }
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def values_at(record: Any, path: str) -> list[Any]:
    """Every value at a dotted path; ``seg[]`` fans out over the array (and a bare array segment does too)."""
    found: list[Any] = [record]
    for part in path.split("."):
        name = part.removesuffix("[]")
        step: list[Any] = []
        for value in found:
            value = value.get(name) if isinstance(value, dict) else None
            if isinstance(value, list):
                step.extend(value)
            elif value is not None:
                step.append(value)
        found = step
    return found


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
}


def _scalar_text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _matches(record: dict[str, Any], flt: Filter) -> bool:
    actual = values_at(record, flt.field)
    if flt.op in COMPARISONS:  # the field's type was checked by parse(): non-numbers just do not match
        numbers = [n for n in (_number(a) for a in actual) if n is not None]
        wanted = float(flt.values[0])
        return any(_OPS[flt.op](n, wanted) for n in numbers)
    texts = {_scalar_text(a) for a in actual}
    hit = bool(texts & set(flt.values))
    return hit if flt.op == "==" else not hit


def _sort_value(record: dict[str, Any], name: str) -> Any:
    found = values_at(record, name)
    return found[0] if found else None


def _rank(value: Any) -> tuple[int, Any]:
    """A total order over JSON values: missing, then numbers, then strings, then anything else."""
    if value is None:
        return (0, 0)
    number = _number(value) if not isinstance(value, str) else None
    if number is not None:
        return (1, number)
    return (2, value) if isinstance(value, str) else (3, json.dumps(value, sort_keys=True))


def _compare(a: list[Any], b: list[Any], directions: list[bool]) -> int:
    for left, right, descending in zip(a, b, directions, strict=True):
        lr, rr = _rank(left), _rank(right)
        if lr == rr:
            continue
        order = -1 if lr < rr else 1
        return -order if descending else order
    return 0


def run_query(
    records: list[dict[str, Any]], query: ListQuery, view: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Filter, sort and page ``records`` as ``view`` shows them; return the list answer (or ``{"count": N}``).

    Filters and the order see only the view (masked secrets, no private fields). The default order is the
    most recently updated first (OAS-D); ties are broken by ``id``.
    """
    shown = [view(r) for r in records]
    selected = [r for r in shown if all(_matches(r, f) for f in query.filters)]
    if query.count:
        return {"count": len(selected)}
    orderby = [*(query.orderby or [("updatedAt", True)]), ("id", False)]
    directions = [desc for _, desc in orderby]
    keyed: list[tuple[list[Any], dict[str, Any]]] = [
        ([_sort_value(r, n) for n, _ in orderby], r) for r in selected
    ]

    def by_key(x: tuple[list[Any], dict[str, Any]], y: tuple[list[Any], dict[str, Any]]) -> int:
        return _compare(x[0], y[0], directions)

    keyed.sort(key=functools.cmp_to_key(by_key))
    if query.after is not None:
        after = query.after
        keyed = [(k, r) for k, r in keyed if _compare(k, after, directions) > 0]
    page = keyed[: query.limit]
    answer: dict[str, Any] = {"items": [r for _, r in page]}
    if len(keyed) > query.limit:
        token = _encode_token(query, page[-1][0])
        answer["_links"] = {"next": {"href": f"/{query.collection}?continuationToken={token}"}}
    return answer
