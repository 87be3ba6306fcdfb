"""D7: a wrong aep:platformUrl that answers 200 to everything never empties state and never crashes."""

from __future__ import annotations

from collections.abc import Callable

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


ID = "c0ffee00-0000-4000-8000-000000000001"
OUTS = {**props(), "connection_id": ID, "etag": '"e"', "sandbox_name": "prod"}


@pytest.mark.parametrize(
    ("call", "said"),
    [
        # An answer 200 to a DELETE is not counted as deleted.
        (AzureBlobConnectionProvider.delete, r"not 204 or 202, so it was not deleted"),
        # A refresh against a non-JSON answer.
        (AzureBlobConnectionProvider.read, r"not Flow Service's JSON \(text/html\)"),
    ],
)
def test_delete_and_refresh_against_a_welcome_page_name_the_platform_url(
    wrong_platform: AzureBlobConnectionProvider, call: Callable[..., object], said: str
) -> None:
    with pytest.raises(UnexpectedResponseError, match=said) as info:
        call(wrong_platform, ID, OUTS)
    assert "aep:platformUrl" in str(info.value)


def test_create_against_a_non_json_answer_names_the_platform_url(
    wrong_platform: AzureBlobConnectionProvider,
) -> None:
    with pytest.raises(UnexpectedResponseError, match=r"aep:platformUrl"):
        wrong_platform.create(wrong_platform.check({}, props()).inputs)
