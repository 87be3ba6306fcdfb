"""aep-connection-naming and aep-connection-description (both advisory)."""

from __future__ import annotations

import pytest

from aep_policies.policies import connection_description, connection_naming
from tests.policy.helpers import connection_props, resource_args, violations

pytestmark = pytest.mark.policy

DEFAULT_PATTERN = r"^(?=.{3,64}$)[a-z0-9]+(-[a-z0-9]+)*$"


def test_kebab_case_name_passes() -> None:
    assert violations(connection_naming, resource_args(connection_props(name="acme-orders-blob"))) == []


def test_name_with_spaces_is_reported() -> None:
    found = violations(connection_naming, resource_args(connection_props(name="ACME Orders")))
    assert found == [
        f"Connection name 'ACME Orders' does not match the pattern {DEFAULT_PATTERN}. Rename it (e.g. "
        "'acme-orders-blob') or change `pattern` in the policy pack config."
    ]


def test_overlong_name_is_reported() -> None:
    assert len(violations(connection_naming, resource_args(connection_props(name="a" * 65)))) == 1


def test_pattern_is_configurable() -> None:
    args = resource_args(connection_props(name="acme-orders-blob"), config={"pattern": "^team-"})
    assert violations(connection_naming, args) == [
        "Connection name 'acme-orders-blob' does not match the pattern ^team-. Rename it (e.g. "
        "'acme-orders-blob') or change `pattern` in the policy pack config."
    ]


def test_invalid_pattern_is_reported() -> None:
    args = resource_args(connection_props(), config={"pattern": "(unclosed"})
    assert violations(connection_naming, args) == [
        "The configured pattern is not a valid regular expression. Fix `pattern` in the policy pack config "
        "for aep-connection-naming."
    ]


def test_absent_name_is_not_judged() -> None:
    assert violations(connection_naming, resource_args(connection_props(name=None))) == []


def test_description_present_passes() -> None:
    assert violations(connection_description, resource_args(connection_props())) == []


def test_missing_description_is_reported() -> None:
    found = violations(connection_description, resource_args(connection_props(description=None)))
    assert found == [
        "The connection has no usable description. Set `description` to a description saying what the "
        "connection feeds and who owns it, so it can be identified in the AEP UI."
    ]


def test_blank_description_is_reported() -> None:
    assert len(violations(connection_description, resource_args(connection_props(description="   ")))) == 1


def test_description_minimum_length_is_configurable() -> None:
    args = resource_args(connection_props(description="Orders"), config={"minLength": 20})
    assert violations(connection_description, args) == [
        "The connection has no usable description. Set `description` to a description of at least 20 "
        "characters saying what the connection feeds and who owns it, so it can be identified in the AEP UI."
    ]
