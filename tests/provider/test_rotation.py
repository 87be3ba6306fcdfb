"""D8: after rotating the credential, the one in AEP_* is used once the stored one is rejected."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.errors import AuthenticationError, ConfigurationError

from .helpers import props


def test_rotated_client_secret_in_the_environment_is_used(
    make_provider: Any, emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aep_emulator import defaults

    created = make_provider().create(make_provider().check({}, props()).inputs)
    # `refresh`/`destroy` configure the provider with the secret stored in state: the old, revoked one.
    monkeypatch.setenv("AEP_CLIENT_SECRET", defaults.DEFAULT_CLIENT_SECRET)
    stale = make_provider(clientSecret="p8e-the-secret-before-rotation")
    refreshed = stale.read(created.id, created.outs or {})
    assert refreshed.id == created.id
    stale.delete(created.id, created.outs or {})
    assert emulator.control.connections() == []


def test_rotated_static_token_in_the_environment_is_used(
    make_provider: Any, emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aep_emulator.testing import fetch_token

    created = make_provider().create(make_provider().check({}, props()).inputs)
    monkeypatch.setenv("AEP_ACCESS_TOKEN", fetch_token(emulator.base_url))
    stale = make_provider(accessToken="an-expired-token-from-before-rotation")
    assert stale.read(created.id, created.outs or {}).id == created.id


def test_rejected_credential_without_a_rotated_one_says_what_works(make_provider: Any, emulator: Any) -> None:
    stale = make_provider(clientSecret="p8e-the-secret-before-rotation")
    with pytest.raises(AuthenticationError) as info:
        stale.create(stale.check({}, props()).inputs)
    message = str(info.value)
    assert "AEP_CLIENT_SECRET" in message
    assert "pulumi up` first" in message
    assert "p8e-the-secret-before-rotation" not in message


@pytest.mark.parametrize("variable", ["AEP_CLIENT_SECRET", "AEP_ACCESS_TOKEN"])
@pytest.mark.parametrize(
    "rotated", ["rotated-value\n", " rotated-value", "rotated\tvalue", "rotated\u200bvalue"], ids=ascii
)
def test_rotated_credential_in_the_environment_gets_the_header_check_of_the_configured_one(
    make_provider: Any, emulator: Any, monkeypatch: pytest.MonkeyPatch, variable: str, rotated: str
) -> None:
    # The stored credential is set (so the environment's is only the rotation fallback, never read by
    # ProviderConfig); a newline in it used to reach IMS or the Authorization header unchecked.
    monkeypatch.setenv(variable, rotated)
    stale = make_provider(
        clientSecret="p8e-the-secret-before-rotation", accessToken="the-token-before-rotation"
    )
    with pytest.raises(ConfigurationError) as info:
        stale.create(stale.check({}, props()).inputs)
    key = "clientSecret" if variable == "AEP_CLIENT_SECRET" else "accessToken"
    assert str(info.value).startswith(f"aep:{key} (or {variable}) contains")
    assert rotated.strip() not in str(info.value)
    assert emulator.control.connections() == []
