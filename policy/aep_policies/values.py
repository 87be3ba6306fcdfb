"""Reading resource properties that may be absent, unknown at preview, or behind the analyzer's proxy."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from pulumi.output import Unknown
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

#: The sentinels the engine (and the dynamic-provider servicer, ``pulumi.runtime.rpc.UNKNOWN``) uses for
#: values that are not known until the deployment runs. The string sentinel is the same value as
#: ``pulumi.runtime.rpc.UNKNOWN`` (``04da6b54-...``), which dynamic providers see during preview.
UNKNOWN_SENTINELS: Final = frozenset(
    {
        UNKNOWN_STRING_VALUE,
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)


def is_unknown_sentinel(value: object) -> bool:
    """True for the engine's "computed" sentinel strings, and for ``pulumi.output.Unknown``.

    The analyzer keeps the sentinel strings; the Python SDK's own deserializer (what a dynamic
    provider's ``check`` sees since SDK 3.x) turns them into ``Unknown()`` objects instead.
    """
    if isinstance(value, Unknown):
        return True
    return isinstance(value, str) and value in UNKNOWN_SENTINELS


def has_key(props: Mapping[str, Any], key: str) -> bool:
    """Whether ``key`` is present at all, without reading its (possibly unknown) value.

    ``key in props`` would call ``__getitem__`` on the analyzer's proxy, which raises for unknown values;
    iterating the keys never does.
    """
    return any(k == key for k in props)


def get(props: Mapping[str, Any], key: str, path: Sequence[str] = ()) -> Any:
    """Return ``props[key]``, ``None`` when absent; raise ``UnknownValueError`` when unknown at preview.

    The analyzer turns ``UnknownValueError`` into an advisory "can't run policy ... during preview" note,
    so a policy whose input is not known yet is deferred to ``pulumi up`` instead of failing or passing
    silently. Plain dicts holding the sentinel string (as in unit tests, or nested values the proxy
    did not wrap) are treated exactly like the proxy's unknowns.
    """
    if not has_key(props, key):
        return None
    value = props[key]  # the analyzer's proxy raises UnknownValueError here for unknowns
    if is_unknown_sentinel(value):
        sentinel = value if isinstance(value, str) else UNKNOWN_STRING_VALUE
        raise UnknownValueError(sentinel, [*path, key])
    return value


def get_str(props: Mapping[str, Any], key: str, path: Sequence[str] = ()) -> str | None:
    """Like :func:`get`, but only strings count; other types read as absent."""
    value = get(props, key, path)
    return str(value) if isinstance(value, str) else None


def string_list(value: object) -> list[str]:
    """A policy-config list of strings (anything else becomes an empty list)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return []
    return [item for item in value if isinstance(item, str)]


def collect(*checks: Callable[[], Iterable[str]]) -> list[str]:
    """Run independent checks; defer (re-raise ``UnknownValueError``) only when nothing else was found.

    A violation in a known part of the resource is reported at preview even when another part is still
    unknown; when every known part is fine and something is unknown, the policy is deferred to
    ``pulumi up`` through the analyzer's "can't run policy ... during preview" note.
    """
    messages: list[str] = []
    pending: UnknownValueError | None = None
    for check in checks:
        try:
            messages.extend(check())
        except UnknownValueError as exc:
            pending = pending or exc
    if pending is not None and not messages:
        raise pending
    return messages
