"""The one behaviour suite, run against every face through the real CLI and the emulator over HTTP.

Faces: the dynamic provider (Python program), the plugin from Python (``pulumi_aep.native``) and the
plugin from YAML. Each test is parametrized over all of them by the ``face`` fixture.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.harness import CONNECTION_STRING, PulumiProject
from tests.e2e.test_lifecycle import ROTATED, SAS_URI, patch_out_of_band
from tests.faces.harness import Face

pytestmark = [pytest.mark.e2e, pytest.mark.emulator, pytest.mark.slow]

SECRETS = (CONNECTION_STRING, ROTATED, SAS_URI, CONNECTION_STRING.split("AccountKey=")[1].split(";")[0])
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def api_writes(emulator: Any) -> list[str]:
    """Flow Service write requests the emulator served (IMS token requests are not writes)."""
    return [
        f"{r['method']} {r['path']}"
        for r in emulator.control.requests()
        if r["method"] in _WRITES and "/flowservice/" in r["path"]
    ]


def ids_in_state(project: PulumiProject, face: Face) -> list[str]:
    resources = project.export()["deployment"].get("resources") or []
    return [r["id"] for r in resources if r["type"] == face.type_token]


def assert_no_plaintext(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_lifecycle(face: Face, face_project: PulumiProject, fresh_emulator: Any) -> None:
    project = face_project
    project.up()
    first = project.outputs()
    assert first["id"]
    assert first["etag"]
    assert [c["id"] for c in fresh_emulator.control.connections()] == [first["id"]]
    assert ids_in_state(project, face) == [first["id"]]
    project.preview("--expect-no-changes")

    # Rename + key rotation: in place, same id, new etag; the diff names properties, never values.
    project.config("connName", "faces (renamed)")
    project.config("connectionString", ROTATED, secret=True)
    diff = project.preview("--diff")
    assert f"~ {face.type_token}: (update)" in diff.stdout, diff.stdout
    assert face.prop("connection_string") in diff.stdout
    assert_no_plaintext(diff.stdout + diff.stderr)
    project.up()
    second = project.outputs()
    assert second["id"] == first["id"]
    assert second["etag"] != first["etag"]
    stored = fresh_emulator.control.connections()[0]
    assert (stored["name"], stored["auth"]["params"]["connectionString"]) == ("faces (renamed)", ROTATED)

    # The auth type cannot change in place: a new connection replaces the old one.
    project.config("sasUri", SAS_URI, secret=True)
    face.set_auth_mode(project, "sas")
    replaced = project.up()
    assert "replaced" in replaced.stdout, replaced.stdout
    third = project.outputs()
    assert third["id"] != first["id"]
    assert [c["id"] for c in fresh_emulator.control.connections()] == [third["id"]]

    # Out-of-band rename: refresh shows the drift.
    patch_out_of_band(
        fresh_emulator.base_url, third["id"], [{"op": "replace", "path": "/name", "value": "by hand"}]
    )
    refreshed = project.refresh("--diff")
    assert "by hand" in refreshed.stdout, refreshed.stdout

    logs = "\n".join(project.log)
    assert_no_plaintext(str(project.export()) + str(project.outputs()) + logs)
    project.destroy()
    assert fresh_emulator.control.connections() == []
    assert ids_in_state(project, face) == []


@pytest.mark.parametrize(
    ("snake", "config_key", "value", "reason"),
    [
        (
            "connection_string",
            "connectionString",
            CONNECTION_STRING.replace("Protocol=https", "Protocol=http"),
            "https",
        ),
        ("container", "container", "Bad_Container!", "container"),
    ],
)
def test_bad_input_fails_at_preview_with_the_property_named_and_no_write(
    face: Face,
    face_project: PulumiProject,
    fresh_emulator: Any,
    snake: str,
    config_key: str,
    value: str,
    reason: str,
) -> None:
    face_project.config(config_key, value, secret=config_key == "connectionString")
    result = face_project.preview(check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert face.prop(snake) in output, output
    assert reason in output.lower(), output
    assert "Traceback" not in output
    assert_no_plaintext(output)
    assert api_writes(fresh_emulator) == []
    assert fresh_emulator.control.connections() == []


def test_api_error_reaches_the_cli_with_adobes_code_and_no_traceback(
    face: Face, face_project: PulumiProject, fresh_emulator: Any
) -> None:
    fresh_emulator.control.inject_fault(method="POST", path_pattern="/connections", status=400, count=10)
    result = face_project.up(check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    # No frames of the layers below the face, nor urllib3's. (The dynamic SDK prints format_exc(): its own
    # frames and the face's re-raise stay; that is the dynamic face's ceiling.)
    for internal in ("pulumi_aep/core", "pulumi_aep/operations", "pulumi_aep/client", "urllib3"):
        assert internal not in output
    if face.is_plugin:
        assert "Traceback" not in output
    assert "400" in output, output
    assert "1100" in output, output  # Adobe's error code
    assert "request id" in output, output
    assert_no_plaintext(output)
    assert fresh_emulator.control.connections() == []


def test_preview_with_values_unknown_until_up_writes_nothing(
    face: Face, face_project: PulumiProject, fresh_emulator: Any
) -> None:
    face.add_chained(face_project)
    preview = face_project.preview()
    assert "+ 3 to create" in preview.stdout, preview.stdout  # the stack and two connections
    assert api_writes(fresh_emulator) == []
    face_project.up()
    stored = {c["name"]: c for c in fresh_emulator.control.connections()}
    # Declared without a name: named <resource name>-<7 hex digits> once, and the name is kept.
    (auto,) = set(stored) - {"faces"}
    assert re.fullmatch(r"chained-[0-9a-f]{7}", auto), auto
    assert stored[auto]["description"] == face_project.outputs()["id"]
    face_project.preview("--expect-no-changes")
