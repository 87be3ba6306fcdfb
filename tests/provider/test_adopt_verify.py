"""The adopt path (adopt_existing_id) and verify=True (test endpoint, explore fallback)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pulumi_aep.errors import NotFoundError, ValidationError, VerificationError
from pulumi_aep.provider import AzureBlobConnectionProvider

from .conftest import flow_requests, stored
from .helpers import account_key, connection_string, props, sas_uri

pytestmark = pytest.mark.emulator
P = AzureBlobConnectionProvider
MISSING_ID = "4cb0c374-d3bb-4557-b139-5712880adc55"


def _existing(oob: Any, **body_overrides: Any) -> str:
    body: dict[str, Any] = {
        "name": "made by hand",
        "auth": {"specName": "ConnectionString", "params": {"connectionString": connection_string()}},
        "connectionSpec": {"id": "4c10e202-c428-4796-9208-5f1f5732b1cf", "version": "1.0"},
    }
    body.update(body_overrides)
    return str(oob.create_connection("prod", body).id)


def test_adopt_takes_over_and_applies_declared_state(provider: P, oob: Any, emulator: Any) -> None:
    existing = _existing(oob)
    declared = props(name="managed", adopt_existing_id=existing)
    result = provider.create(provider.check({}, declared).inputs)
    assert result.id == existing
    record = stored(emulator, existing)
    assert record["name"] == "managed"
    assert record["auth"]["params"]["connectionString"] == declared["connection_string"]
    posts = [r for r in flow_requests(emulator, "POST") if r["path"].endswith("/connections")]
    assert len(posts) == 1  # only the hand-made one


def test_adopt_missing_connection(provider: P) -> None:
    with pytest.raises(NotFoundError) as info:
        provider.create(provider.check({}, props(adopt_existing_id=MISSING_ID)).inputs)
    assert info.value.code == "1101-404"
    assert MISSING_ID in str(info.value)


def test_adopt_other_auth_type_refused(provider: P, oob: Any) -> None:
    existing = _existing(oob, auth={"specName": "SAS URI Authentication", "params": {"sasUri": sas_uri()}})
    with pytest.raises(ValidationError) as info:
        provider.create(provider.check({}, props(adopt_existing_id=existing)).inputs)
    assert info.value.property == "adopt_existing_id"
    assert "declare the same credentials type (sas_uri)" in str(info.value)


def test_verify_passes_for_reachable_storage(provider: P, emulator: Any) -> None:
    provider.create(provider.check({}, props(verify=True)).inputs)
    assert [r["status"] for r in flow_requests(emulator, "GET") if r["path"].endswith("/test")] == [200]


def _unreachable(emulator: Any) -> str:
    # A loopback blob endpoint that is not Azure storage: the platform's test call fails.
    return (
        f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={account_key()};"
        f"BlobEndpoint={emulator.base_url}/devstoreaccount1"
    )


def test_verify_failure_on_create_removes_the_connection(provider: P, emulator: Any) -> None:
    value = _unreachable(emulator)
    with pytest.raises(VerificationError) as info:
        provider.create(provider.check({}, props(connection_string=value, verify=True)).inputs)
    message = str(info.value)
    assert "cannot reach container 'landing'" in message
    assert re.search(r"the new connection [0-9a-f-]{36} was deleted again", message), message
    assert value not in message
    assert emulator.control.connections() == []


def test_verify_failure_on_update(provider: P, emulator: Any) -> None:
    created = provider.create(provider.check({}, props()).inputs)
    assert created.outs is not None
    news = provider.check(created.outs, props(connection_string=_unreachable(emulator), verify=True)).inputs
    with pytest.raises(VerificationError, match=r"check the credentials"):
        provider.update(created.id, created.outs, news)


def test_verify_falls_back_to_explore(provider: P, emulator: Any) -> None:
    emulator.control.inject_fault("GET", "/connections/*/test", 1, status=501)
    provider.create(provider.check({}, props(verify=True)).inputs)
    assert any(r["path"].endswith("/explore") for r in flow_requests(emulator, "GET"))


def test_verify_reports_what_the_platform_lists(provider: P, emulator: Any) -> None:
    created = provider.create(provider.check({}, props(verify=True)).inputs)
    assert created.outs is not None
    # The emulator's seeded tree below folder_path "/incoming": three folders.
    assert created.outs["verified_objects"] == ["customers", "events", "sales"]
    explores = [r for r in flow_requests(emulator, "GET") if r["path"].endswith("/explore")]
    assert len(explores) == 1


def test_verified_objects_survive_a_refresh(provider: P, emulator: Any) -> None:
    created = provider.create(provider.check({}, props(verify=True)).inputs)
    assert created.outs is not None
    refreshed = provider.read(created.id, created.outs)
    assert refreshed.outs is not None
    assert refreshed.outs["verified_objects"] == created.outs["verified_objects"]


def test_without_verify_nothing_is_listed(provider: P, emulator: Any) -> None:
    created = provider.create(provider.check({}, props()).inputs)
    assert created.outs is not None
    assert "verified_objects" not in created.outs
    assert not [r for r in flow_requests(emulator, "GET") if r["path"].endswith("/explore")]


@pytest.mark.parametrize(
    ("route", "fault"),
    [
        ("/connections/*/test", {"status": 500}),
        ("/connections/*/test", {"status": 429, "retry_after": 0, "count": 10}),
        ("/connections/*/test", {"status": 403}),
        ("/connections/*/test", {"action": "reset", "count": 10}),
        ("/connections/*/explore", {"status": 500}),
    ],
    ids=["test-500", "test-429", "test-403", "test-no-answer", "explore-500"],
)
def test_verify_that_cannot_run_deletes_the_new_connection(
    make_provider: Any, emulator: Any, route: str, fault: dict[str, Any]
) -> None:
    provider = make_provider(maxRetries="1")
    emulator.control.inject_fault("GET", route, fault.pop("count", 1), **fault)
    with pytest.raises(VerificationError) as info:
        provider.create(provider.check({}, props(verify=True)).inputs)
    assert re.search(r"the new connection [0-9a-f-]{36} was deleted again", str(info.value)), info.value
    assert emulator.control.connections() == []


def test_failed_clean_up_names_the_connection_that_remains(provider: P, emulator: Any) -> None:
    emulator.control.inject_fault("GET", "/connections/*/test", 1, status=500)
    emulator.control.inject_fault("DELETE", "/connections/*", 1, status=500)
    with pytest.raises(VerificationError) as info:
        provider.create(provider.check({}, props(verify=True)).inputs)
    [left] = emulator.control.connections()
    message = str(info.value)
    assert f"deleting the new connection {left['id']} failed too" in message
    assert "so it still exists" in message
    assert "was deleted again" not in message
