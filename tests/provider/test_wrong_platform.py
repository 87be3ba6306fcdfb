"""D7: a wrong aep:platformUrl that answers 200 to everything never empties state and never crashes."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_aep.errors import UnexpectedResponseError
from pulumi_aep.provider import AzureBlobConnectionProvider
from tests.helpers.welcome import welcome_url

from .helpers import props

__all__ = ["welcome_url"]  # a pytest fixture


@pytest.fixture
def wrong_platform(welcome_url: str) -> AzureBlobConnectionProvider:
    from pulumi_aep.provider import reset_clients

    reset_clients()
    provider = AzureBlobConnectionProvider()
    config = {
        "aep:platformUrl": welcome_url,
        "aep:accessToken": "static-token-for-the-test",
        "aep:clientId": "cid",
        "aep:orgId": "ORG@AdobeOrg",
        "aep:maxRetries": "0",
    }
    provider.configure(ConfigureRequest(Config(config, "proj")))
    return provider


def _outs(connection_id: str) -> dict[str, Any]:
    return {**props(), "connection_id": connection_id, "etag": '"e"', "sandbox_name": "prod"}


def test_delete_answered_200_is_not_counted_as_deleted(wrong_platform: AzureBlobConnectionProvider) -> None:
    with pytest.raises(UnexpectedResponseError, match=r"not 204 or 202, so it was not deleted") as info:
        wrong_platform.delete("c0ffee00-0000-4000-8000-000000000001", _outs("c0ffee00"))
    assert "aep:platformUrl" in str(info.value)


def test_refresh_against_a_non_json_answer_names_the_platform_url(
    wrong_platform: AzureBlobConnectionProvider,
) -> None:
    with pytest.raises(UnexpectedResponseError, match=r"not Flow Service's JSON \(text/html\)") as info:
        wrong_platform.read("c0ffee00-0000-4000-8000-000000000001", _outs("c0ffee00"))
    assert "aep:platformUrl" in str(info.value)


def test_create_against_a_non_json_answer_names_the_platform_url(
    wrong_platform: AzureBlobConnectionProvider,
) -> None:
    with pytest.raises(UnexpectedResponseError, match=r"aep:platformUrl"):
        wrong_platform.create(wrong_platform.check({}, props()).inputs)
