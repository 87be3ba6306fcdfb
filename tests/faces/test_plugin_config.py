"""The plugin's ``Configure``: ``aep:*`` from provider inputs or legacy variables, ``AEP_*`` fallbacks."""

from __future__ import annotations

from typing import Any

import pytest
from google.protobuf import struct_pb2
from pulumi.runtime.proto import provider_pb2

from pulumi_aep.errors import ConfigurationError
from pulumi_aep.model import UNKNOWN
from pulumi_aep.plugin.config import config_from
from pulumi_aep.plugin.values import SECRET_SIG, SIG


def request(args: dict[str, Any], variables: dict[str, str] | None = None) -> provider_pb2.ConfigureRequest:
    message = struct_pb2.Struct()
    message.update(args)
    return provider_pb2.ConfigureRequest(args=message, variables=variables or {}, acceptSecrets=True)


def test_provider_inputs_secrets_and_numbers() -> None:
    config = config_from(
        request(
            {
                "orgId": "ORG@AdobeOrg",
                "clientId": "cid",
                "clientSecret": {SIG: SECRET_SIG, "value": "s3cret"},
                "maxRetries": 2.0,
                "readTimeout": 1.5,
            }
        )
    )
    assert (config.org_id, config.client_id, config.client_secret) == ("ORG@AdobeOrg", "cid", "s3cret")
    assert (config.retries.total, config.timeouts.read) == (2, 1.5)
    assert "s3cret" not in repr(config)


def test_legacy_variables_and_environment_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AEP_CLIENT_ID", "from-env")
    config = config_from(request({}, {"aep:config:orgId": "VAR@AdobeOrg", "other:config:orgId": "no"}))
    assert (config.org_id, config.client_id) == ("VAR@AdobeOrg", "from-env")


def test_bad_url_names_the_key() -> None:
    with pytest.raises(ConfigurationError, match="aep:platformUrl"):
        config_from(request({"platformUrl": "http://platform.example.com"}))


def test_values_unknown_at_preview_count_as_unset() -> None:
    config = config_from(request({"platformUrl": UNKNOWN, "orgId": UNKNOWN}, {"aep:config:imsUrl": UNKNOWN}))
    assert (config.platform_url, config.org_id) == ("https://platform.adobe.io", None)
    assert config.ims_url.startswith("https://")
