"""``diff``: which inputs changed, and which of those force a replacement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi.dynamic import DiffResult

from pulumi_aep.model import AUTH_INPUTS, auth_input
from pulumi_aep.validation import is_unknown

#: Changed in place with one JSON Patch (``verify`` only re-runs the check on update).
UPDATABLE: Final = ("name", "description", *AUTH_INPUTS, "container", "folder_path", "verify")
#: The API cannot change these on an existing connection: a new one is created. ``org_id`` is
#: ``aep:orgId`` as recorded with the connection (set by ``check``, not by the program).
REPLACING: Final = ("sandbox_name", "connection_spec_version", "org_id")
#: Recorded only since this provider version: an old state without it is not a change.
RECORDED_LATER: Final = ("org_id",)
#: Never a reason for a diff: the pickled provider, and the create-time-only adopt id.
IGNORED: Final = ("__provider", "adopt_existing_id")


def changed(old: Any, new: Any) -> bool:
    """True when a property differs; a value unknown at preview counts as changed."""
    if is_unknown(new):
        return True
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        keys = set(old) | set(new)
        return any(changed(old.get(k), new.get(k)) for k in keys)
    return bool(old != new)


def diff_props(olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
    """Compare old outputs with new checked inputs.

    No change (``__provider`` and ``adopt_existing_id`` never count) -> ``changes=False``: no step.
    Otherwise ``changes=None`` plus explicit ``replaces``: the dynamic-provider servicer cannot send
    a detailed diff, and with "unknown" the engine diffs old and new inputs itself, which gives
    ``pulumi preview --diff`` per-property lines (``~ connection_string: [secret] => [secret]``)
    and makes ``replace_on_changes`` work; ``replaces`` is still honoured (checked with the CLI).
    The auth type (which of ``connection_string``, ``sas_uri``, ``service_principal`` is set) is
    immutable in Flow Service, so switching it replaces, as do sandbox, spec version and org
    (``aep:orgId``) changes.
    """
    keys = changed_keys(olds, news)
    replaces: list[str] = [k for k in REPLACING if k in keys]
    old_auth, new_auth = auth_input(olds), auth_input(news)
    if old_auth is not None and old_auth != new_auth:
        replaces.extend(k for k in AUTH_INPUTS if k in keys)
    return DiffResult(
        changes=None if keys else False, replaces=replaces, stables=[], delete_before_replace=False
    )


def changed_keys(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The diffed input properties whose value differs (or is unknown in ``news``)."""
    return [
        k
        for k in (*UPDATABLE, *REPLACING)
        if not _recorded_later(k, olds, news) and changed(olds.get(k), news.get(k))
    ]


def _recorded_later(key: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """A property an old state could not have recorded yet, and the new value known: not a change."""
    return key in RECORDED_LATER and olds.get(key) is None and not is_unknown(news.get(key))
