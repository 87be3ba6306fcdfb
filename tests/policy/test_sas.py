"""aep-sas-read-list-short-lived: SAS tokens grant only read and list, and expire within maxExpiryDays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pulumi_policy import ResourceValidationArgs

from aep_policies.policies import sas_read_list_short_lived
from tests.policy.helpers import (
    ACCOUNT_KEY,
    connection_props,
    resource_args,
    sas_token,
    sas_uri,
    violations,
)

pytestmark = pytest.mark.policy


def fix(days: int = 90, permissions: str = "rl") -> str:
    what = "read (r) and list (l)" if permissions == "rl" else f"'{permissions}'"
    return (
        f"Generate a new SAS with only {what} permissions (sp={permissions}) that expires within {days} "
        "days, "
        f"e.g. `az storage container generate-sas --permissions {permissions} --expiry <date> --https-only`."
    )


def sas_args(token_uri: str, config: dict[str, object] | None = None) -> ResourceValidationArgs:
    return resource_args(connection_props(connection_string=None, sas_uri=token_uri), config=config)


def test_read_list_token_expiring_in_30_days_passes() -> None:
    assert violations(sas_read_list_short_lived, sas_args(sas_uri("rl", 30))) == []


def test_write_and_delete_permissions_are_reported() -> None:
    assert violations(sas_read_list_short_lived, sas_args(sas_uri("rwdl", 30))) == [
        f"sas_uri grants permissions 'dw' beyond read (r) and list (l). {fix()}"
    ]


def test_expiry_beyond_the_limit_is_reported() -> None:
    expiry = datetime.now(UTC) + timedelta(days=400)
    token = (
        f"https://acmeorders.blob.core.windows.net/landing?{sas_token(expiry=f'{expiry:%Y-%m-%dT%H:%M:%SZ}')}"
    )
    found = violations(sas_read_list_short_lived, sas_args(token))
    assert found == [
        f"sas_uri expires on {expiry:%Y-%m-%d}, 399 days from now, later than the 90 days allowed "
        f"(maxExpiryDays). {fix()}"
    ]


def test_max_expiry_days_is_configurable() -> None:
    found = violations(sas_read_list_short_lived, sas_args(sas_uri("rl", 30), {"maxExpiryDays": 7}))
    assert len(found) == 1
    assert "later than the 7 days allowed (maxExpiryDays)" in found[0]


def test_expired_token_is_reported() -> None:
    token = f"https://acmeorders.blob.core.windows.net/landing?{sas_token(expiry='2020-01-31')}"
    assert violations(sas_read_list_short_lived, sas_args(token)) == [
        f"sas_uri expired on 2020-01-31. {fix()}"
    ]


def test_date_only_expiry_is_understood() -> None:
    expiry = (datetime.now(UTC) + timedelta(days=10)).strftime("%Y-%m-%d")
    token = f"https://acmeorders.blob.core.windows.net/landing?{sas_token(expiry=expiry)}"
    assert violations(sas_read_list_short_lived, sas_args(token)) == []


def test_missing_expiry_is_reported() -> None:
    token = "https://acmeorders.blob.core.windows.net/landing?sv=2022-11-02&sp=rl&sig=abc"
    assert violations(sas_read_list_short_lived, sas_args(token)) == [
        f"sas_uri has no expiry (se) parameter. {fix()}"
    ]


def test_unreadable_expiry_is_reported() -> None:
    token = "https://acmeorders.blob.core.windows.net/landing?sv=2022-11-02&sp=rl&se=tomorrow&sig=abc"
    assert violations(sas_read_list_short_lived, sas_args(token)) == [
        f"sas_uri has an expiry (se) that is not an ISO 8601 time. {fix()}"
    ]


def test_stored_access_policy_token_is_reported() -> None:
    token = "https://acmeorders.blob.core.windows.net/landing?sv=2022-11-02&si=aep-read&sig=abc"
    assert violations(sas_read_list_short_lived, sas_args(token)) == [
        f"sas_uri uses a stored access policy (si), so its permissions and expiry cannot be checked. {fix()}"
    ]


def test_allowed_permissions_are_configurable() -> None:
    found = violations(sas_read_list_short_lived, sas_args(sas_uri("rl", 30), {"allowedPermissions": "r"}))
    assert found == [f"sas_uri grants permissions 'l' beyond 'r'. {fix(permissions='r')}"]


def test_sas_inside_a_connection_string_is_checked() -> None:
    value = (
        f"BlobEndpoint=https://acmeorders.blob.core.windows.net;SharedAccessSignature={sas_token('rwl', 30)}"
    )
    found = violations(sas_read_list_short_lived, resource_args(connection_props(connection_string=value)))
    assert found == [
        "connection_string SharedAccessSignature grants permissions 'w' beyond read (r) and list (l). "
        + fix()
    ]


def test_account_key_connection_is_not_a_sas() -> None:
    value = f"DefaultEndpointsProtocol=https;AccountName=acmeorders;AccountKey={ACCOUNT_KEY}"
    found = violations(sas_read_list_short_lived, resource_args(connection_props(connection_string=value)))
    assert found == []
