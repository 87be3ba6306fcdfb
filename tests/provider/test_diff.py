"""diff(): in place vs replacement, unknowns, and __provider never causing a diff.

``changes=None`` means "changed; engine, compute the per-property detail" (see diffing.diff_props).
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.diffing import diff_props

from .helpers import UNKNOWN, connection_string, props, sas_uri, service_principal


def _olds(**overrides: Any) -> dict[str, Any]:
    base = props(**overrides)
    base.update(__provider="old-pickle", connection_id="c1", etag='"e1"', state="enabled")
    return base


def test_no_change() -> None:
    olds = _olds()
    news = {k: v for k, v in olds.items() if k not in ("connection_id", "etag", "state")}
    result = diff_props(olds, news)
    assert (result.changes, result.replaces) == (False, [])


def test_provider_change_alone_is_no_diff() -> None:
    olds = _olds()
    news = dict(olds, __provider="new-pickle")
    assert diff_props(olds, news).changes is False


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ("name", "renamed"),
        ("description", "new text"),
        ("description", None),
        ("connection_string", connection_string()),
        ("container", "other"),
        ("folder_path", "/other"),
        ("verify", True),
    ],
)
def test_in_place_update(prop: str, value: Any) -> None:
    olds = _olds()
    news = dict(olds, **{prop: value})
    result = diff_props(olds, news)
    assert (result.changes, result.replaces) == (None, [])


@pytest.mark.parametrize(("prop", "value"), [("sandbox_name", "dev"), ("connection_spec_version", "2.0")])
def test_replacing_props(prop: str, value: str) -> None:
    olds = _olds()
    result = diff_props(olds, dict(olds, **{prop: value}))
    assert (result.changes, result.replaces) == (None, [prop])
    assert result.delete_before_replace is False


def test_auth_type_change_replaces() -> None:
    olds = _olds()
    news = dict(olds, sas_uri=sas_uri())
    del news["connection_string"]
    result = diff_props(olds, news)
    assert result.changes is None
    assert sorted(result.replaces or []) == ["connection_string", "sas_uri"]


def test_service_principal_key_rotation_in_place() -> None:
    olds = _olds(connection_string=None, service_principal=service_principal())
    news = dict(olds, service_principal=dict(olds["service_principal"], service_principal_key="rotated-key"))
    result = diff_props(olds, news)
    assert (result.changes, result.replaces) == (None, [])


def test_unknown_value_is_a_change() -> None:
    olds = _olds()
    assert diff_props(olds, dict(olds, connection_string=UNKNOWN)).changes is None


def test_unknown_sandbox_replaces() -> None:
    olds = _olds()
    assert diff_props(olds, dict(olds, sandbox_name=UNKNOWN)).replaces == ["sandbox_name"]


def test_adopt_id_never_diffs() -> None:
    olds = _olds()
    assert (
        diff_props(olds, dict(olds, adopt_existing_id="4cb0c374-d3bb-4557-b139-5712880adc55")).changes
        is False
    )
