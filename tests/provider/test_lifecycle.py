"""create / read / update / delete against the emulator, one behaviour per test."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.errors import ConnectionInUseError, NotFoundError, ValidationError
from pulumi_aep.provider import AzureBlobConnectionProvider

from .conftest import flow_requests, stored
from .helpers import connection_string, props, sas_uri, service_principal

pytestmark = pytest.mark.emulator
P = AzureBlobConnectionProvider


def _create(provider: P, **overrides: Any) -> tuple[str, dict[str, Any]]:
    inputs = provider.check({}, props(**overrides)).inputs
    result = provider.create(inputs)
    assert result.outs is not None
    return result.id, result.outs


# --- create -------------------------------------------------------------------------------------


def test_create_outputs(provider: P) -> None:
    id_, outs = _create(provider)
    assert outs["connection_id"] == id_
    assert outs["etag"].startswith('"')
    assert outs["state"] == "enabled"
    assert outs["sandbox_name"] == "prod"
    assert isinstance(outs["created_at"], int)
    assert outs["updated_at"] >= outs["created_at"]
    assert (outs["name"], outs["container"], outs["folder_path"]) == ("landing", "landing", "/incoming")


def test_create_keeps_secret_input_in_outputs(provider: P) -> None:
    value = connection_string()
    _, outs = _create(provider, connection_string=value)
    assert outs["connection_string"] == value


def test_create_sends_connection_string_auth(provider: P, emulator: Any) -> None:
    value = connection_string()
    id_, _ = _create(provider, connection_string=value)
    record = stored(emulator, id_)
    assert record["auth"]["specName"] == "ConnectionString"
    assert record["auth"]["params"] == {
        "connectionString": value,
        "container": "landing",
        "folderPath": "/incoming",
    }
    assert record["connectionSpec"] == {"id": "4c10e202-c428-4796-9208-5f1f5732b1cf", "version": "1.0"}


def test_create_sas_uri(provider: P, emulator: Any) -> None:
    value = sas_uri()
    id_, outs = _create(provider, connection_string=None, sas_uri=value)
    record = stored(emulator, id_)
    assert record["auth"]["specName"] == "SAS URI Authentication"
    assert record["auth"]["params"]["sasUri"] == value
    assert outs["sas_uri"] == value


def test_create_service_principal(provider: P, emulator: Any) -> None:
    principal = service_principal()
    id_, outs = _create(provider, connection_string=None, service_principal=principal)
    params = stored(emulator, id_)["auth"]["params"]
    assert params["servicePrincipalKey"] == principal["service_principal_key"]
    assert params["tenant"] == principal["tenant"]
    assert params["accountKind"] == "StorageV2"
    assert outs["service_principal"] == principal


def test_create_in_other_sandbox(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider, sandbox_name="dev")
    assert stored(emulator, id_)["sandboxName"] == "dev"
    assert outs["sandbox_name"] == "dev"


def test_sandbox_defaults_to_config(make_provider: Any, emulator: Any) -> None:
    provider = make_provider(sandboxName="dev")
    id_, _ = _create(provider, sandbox_name=None)
    assert stored(emulator, id_)["sandboxName"] == "dev"


def test_create_validates_before_any_call(provider: P, emulator: Any) -> None:
    inputs = props(container="Bad_Name")
    with pytest.raises(ValidationError, match=r"^container: 'Bad_Name' is not a valid container name"):
        provider.create(inputs)
    assert flow_requests(emulator) == []


def test_create_without_description(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider, description=None)
    assert "description" not in stored(emulator, id_)
    assert outs["description"] is None


# --- read ---------------------------------------------------------------------------------------


def test_read_keeps_masked_secret(provider: P) -> None:
    id_, outs = _create(provider)
    result = provider.read(id_, outs)
    assert result.outs is not None
    assert result.outs["connection_string"] == outs["connection_string"]
    as_of_write = ("created_at", "updated_at")
    assert {k: v for k, v in result.outs.items() if k not in as_of_write} == {
        k: v for k, v in outs.items() if k not in as_of_write
    }


def test_create_and_update_make_one_api_call_each(provider: P, emulator: Any) -> None:
    emulator.control.reset()
    id_, outs = _create(provider)
    news = provider.check(outs, props(name="renamed", description="changed")).inputs
    updated = provider.update(id_, outs, news)
    calls = [(r["method"], r["path"]) for r in emulator.control.requests() if "/flowservice/" in r["path"]]
    assert [method for method, _ in calls] == ["POST", "PATCH"]
    assert updated.outs is not None
    assert (updated.outs["name"], updated.outs["connection_id"]) == ("renamed", id_)
    assert updated.outs["etag"] != outs["etag"]


def test_write_time_outputs_are_replaced_by_the_platforms_on_read(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    stored = next(c for c in emulator.control.connections() if c["id"] == id_)
    assert outs["state"] == stored["state"] == "enabled"
    assert abs(outs["created_at"] - stored["createdAt"]) < 60_000
    result = provider.read(id_, outs)
    assert result.outs is not None
    assert (result.outs["created_at"], result.outs["updated_at"]) == (
        stored["createdAt"],
        stored["updatedAt"],
    )


def test_read_returns_inputs(provider: P) -> None:
    id_, outs = _create(provider)
    result = provider.read(id_, outs)
    assert result.inputs is not None
    assert result.inputs["connection_string"] == outs["connection_string"]
    assert "etag" not in result.inputs
    assert "connection_id" not in result.inputs


def test_read_shows_drift(provider: P, oob: Any) -> None:
    id_, outs = _create(provider)
    params = {"connectionString": outs["connection_string"], "container": "moved", "folderPath": "/elsewhere"}
    oob.patch_connection(
        sandbox="prod",
        connection_id=id_,
        etag=outs["etag"],
        ops=[
            {"op": "replace", "path": "/name", "value": "renamed in UI"},
            {"op": "add", "path": "/description", "value": "edited"},
            {"op": "replace", "path": "/auth/params", "value": params},
        ],
    )
    result = provider.read(id_, outs)
    assert result.outs is not None
    assert result.inputs is not None
    drift = {k: result.outs[k] for k in ("name", "description", "container", "folder_path")}
    assert drift == {
        "name": "renamed in UI",
        "description": "edited",
        "container": "moved",
        "folder_path": "/elsewhere",
    }
    assert result.outs["etag"] != outs["etag"]
    assert result.inputs["name"] == "renamed in UI"


def test_read_deleted_out_of_band(provider: P, oob: Any) -> None:
    id_, outs = _create(provider)
    oob.delete_connection(sandbox="prod", connection_id=id_)
    result = provider.read(id_, outs)
    assert (result.id, result.outs) == (None, {})


def test_read_with_only_an_id(provider: P) -> None:
    id_, _ = _create(provider, sandbox_name=None)
    result = provider.read(id_, {"__provider": "x"})
    assert result.id == id_
    assert result.outs is not None
    assert result.inputs is not None
    assert result.outs["name"] == "landing"
    assert result.outs["container"] == "landing"
    assert result.outs["sandbox_name"] == "prod"
    assert "connection_string" not in result.inputs


def test_read_imported_service_principal_shows_non_secret_fields(provider: P) -> None:
    principal = service_principal()
    id_, _ = _create(provider, connection_string=None, service_principal=principal)
    result = provider.read(id_, {})
    assert result.outs is not None
    assert result.outs["service_principal"]["tenant"] == principal["tenant"]
    assert "service_principal_key" not in result.outs["service_principal"]


# --- update -------------------------------------------------------------------------------------


def test_update_rename_is_one_conditional_patch(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    news = provider.check(outs, props(connection_string=outs["connection_string"], name="renamed")).inputs
    result = provider.update(id_, outs, news)
    patches = flow_requests(emulator, "PATCH")
    assert len(patches) == 1
    assert result.outs is not None
    assert result.outs["name"] == "renamed"
    assert result.outs["connection_id"] == id_
    assert result.outs["etag"] != outs["etag"]
    assert result.outs["connection_string"] == outs["connection_string"]
    assert stored(emulator, id_)["name"] == "renamed"


def test_update_returns_full_outputs(provider: P) -> None:
    id_, outs = _create(provider)
    news = provider.check(outs, props(connection_string=outs["connection_string"], description="new")).inputs
    result = provider.update(id_, outs, news)
    assert result.outs is not None
    missing = set(outs) - set(result.outs)
    assert missing == set()


def test_update_removes_description(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    news = provider.check(outs, props(connection_string=outs["connection_string"], description=None)).inputs
    provider.update(id_, outs, news)
    assert "description" not in stored(emulator, id_)


def test_update_rotates_credentials(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    rotated = connection_string()
    news = provider.check(outs, props(connection_string=rotated, container="other", folder_path="/x")).inputs
    result = provider.update(id_, outs, news)
    params = stored(emulator, id_)["auth"]["params"]
    assert params == {"connectionString": rotated, "container": "other", "folderPath": "/x"}
    assert result.outs is not None
    assert result.outs["connection_string"] == rotated


def test_update_on_stale_etag_rereads_and_retries_once(provider: P, emulator: Any, oob: Any) -> None:
    id_, outs = _create(provider)
    oob.patch_connection(
        sandbox="prod",
        connection_id=id_,
        etag=outs["etag"],
        ops=[{"op": "replace", "path": "/name", "value": "theirs"}],
    )
    news = provider.check(outs, props(connection_string=outs["connection_string"], name="ours")).inputs
    result = provider.update(id_, outs, news)
    statuses = [r["status"] for r in flow_requests(emulator, "PATCH")]
    assert statuses == [200, 412, 200]
    assert result.outs is not None
    assert result.outs["name"] == "ours"
    assert stored(emulator, id_)["name"] == "ours"


def test_update_of_deleted_connection_fails(provider: P, oob: Any) -> None:
    id_, outs = _create(provider)
    oob.delete_connection(sandbox="prod", connection_id=id_)
    news = provider.check(outs, props(connection_string=outs["connection_string"], name="x")).inputs
    with pytest.raises(NotFoundError) as info:
        provider.update(id_, outs, news)
    assert info.value.status == 404
    assert info.value.code == "1101-404"
    assert f"updating connection {id_} in sandbox 'prod'" in str(info.value)


def test_update_without_api_change_sends_no_patch(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    news = provider.check(outs, props(connection_string=outs["connection_string"], verify=False)).inputs
    result = provider.update(id_, outs, news)
    assert flow_requests(emulator, "PATCH") == []
    assert result.outs is not None
    assert result.outs["verify"] is False


# --- delete -------------------------------------------------------------------------------------


def test_delete(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    provider.delete(id_, outs)
    assert all(c["id"] != id_ for c in emulator.control.connections())


def test_delete_already_gone_succeeds(provider: P, oob: Any) -> None:
    id_, outs = _create(provider)
    oob.delete_connection(sandbox="prod", connection_id=id_)
    provider.delete(id_, outs)


def test_delete_accepts_202(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    emulator.control.inject_fault("DELETE", "/connections/*", 1, status=202)
    provider.delete(id_, outs)


def test_delete_in_use_names_dataflows(provider: P, emulator: Any) -> None:
    id_, outs = _create(provider)
    flows = ["d1c3b9a2-0000-4000-8000-000000000001", "d1c3b9a2-0000-4000-8000-000000000002"]
    emulator.control.mark_used_by_flows(id_, flows)
    with pytest.raises(ConnectionInUseError) as info:
        provider.delete(id_, outs)
    error = info.value
    assert (error.status, error.code) == (400, "1418-400")
    assert error.request_id
    assert error.flow_ids == tuple(flows)
    assert "delete those dataflows first" in str(error)
    assert all(flow in str(error) for flow in flows)


def test_read_in_unknown_sandbox_raises_instead_of_dropping_state(provider: P) -> None:
    id_, outs = _create(provider)
    with pytest.raises(NotFoundError) as info:
        provider.read(id_, dict(outs, sandbox_name="nosuch"))
    assert info.value.code == "2100-404"


def test_delete_in_unknown_sandbox_is_not_success(provider: P) -> None:
    id_, outs = _create(provider)
    with pytest.raises(NotFoundError, match=r"The sandbox with the name 'nosuch' could not be found"):
        provider.delete(id_, dict(outs, sandbox_name="nosuch"))


def test_read_against_wrong_platform_path_raises(make_provider: Any, emulator: Any) -> None:
    provider = make_provider(platformUrl=emulator.base_url + "/wrong-prefix")
    with pytest.raises(NotFoundError):
        provider.read("4cb0c374-d3bb-4557-b139-5712880adc55", {"sandbox_name": "prod"})


def test_preview_check_and_diff_make_no_api_calls(provider: P, emulator: Any) -> None:
    from .helpers import UNKNOWN

    olds = dict(props(), connection_id="c1", etag='"e"', __provider="p")
    news = provider.check(olds, props(connection_string=UNKNOWN, container=UNKNOWN)).inputs
    assert provider.check(olds, news).failures == []
    assert provider.diff("c1", olds, news).changes is None
    assert emulator.control.requests() == []


def test_stale_etag_retry_restores_every_declared_field(provider: P, emulator: Any, oob: Any) -> None:
    id_, outs = _create(provider)
    oob.patch_connection(
        sandbox="prod",
        connection_id=id_,
        etag=outs["etag"],
        ops=[{"op": "add", "path": "/description", "value": "edited in UI"}],
    )
    news = provider.check(outs, props(connection_string=outs["connection_string"], name="ours")).inputs
    provider.update(id_, outs, news)
    record = stored(emulator, id_)
    assert (record["name"], record["description"]) == ("ours", "landing container")


def test_adopt_removes_undeclared_description(provider: P, emulator: Any, oob: Any) -> None:
    body = {
        "name": "legacy",
        "description": "old text",
        "auth": {"specName": "ConnectionString", "params": {"connectionString": connection_string()}},
        "connectionSpec": {"id": "4c10e202-c428-4796-9208-5f1f5732b1cf", "version": "1.0"},
    }
    existing = oob.create_connection("prod", body).id
    provider.create(provider.check({}, props(description=None, adopt_existing_id=existing)).inputs)
    assert "description" not in stored(emulator, existing)
