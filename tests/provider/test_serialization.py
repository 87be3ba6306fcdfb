"""The provider pickles by reference, small, with nothing secret (it is stored in every state)."""

from __future__ import annotations

import base64

import dill
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_aep.provider import AzureBlobConnectionProvider


def test_pickled_by_reference_and_small() -> None:
    raw = base64.b64decode(serialize_provider(AzureBlobConnectionProvider()))
    assert len(raw) < 200
    assert b"pulumi_aep.provider" in raw
    assert b"AzureBlobConnectionProvider" in raw
    assert b"co_code" not in raw


def test_configured_provider_captures_no_credentials() -> None:
    provider = AzureBlobConnectionProvider()
    provider.configure(
        ConfigureRequest(
            Config({"aep:clientSecret": "cs-0123456789", "aep:accessToken": "tok-0123456789"}, "p")
        )
    )
    raw = base64.b64decode(serialize_provider(provider))
    assert b"cs-0123456789" not in raw
    assert b"tok-0123456789" not in raw
    assert len(raw) < 200


def test_round_trip() -> None:
    raw = base64.b64decode(serialize_provider(AzureBlobConnectionProvider()))
    assert type(dill.loads(raw)) is AzureBlobConnectionProvider  # noqa: S301 - our own bytes


def test_not_secret_always() -> None:
    assert AzureBlobConnectionProvider.serialize_as_secret_always is False
