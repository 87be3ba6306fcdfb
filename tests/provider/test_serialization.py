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


#: ``__provider`` exactly as pulumi-aep 0.1.0 writes it into state (pulumi 3.272, dill 0.4). Existing stacks
#: hold this string: if this test fails, a rename or move broke every deployed stack; add an alias instead.
STATE_V0_1_0 = "gASVOgAAAAAAAACME3B1bHVtaV9hZXAucHJvdmlkZXKUjBtBenVyZUJsb2JDb25uZWN0aW9uUHJvdmlkZXKUk5QpgZQu"


def test_state_written_by_0_1_0_still_loads() -> None:
    provider = dill.loads(base64.b64decode(STATE_V0_1_0))  # noqa: S301 - our own fixed bytes
    assert type(provider) is AzureBlobConnectionProvider


def test_serialization_is_stable() -> None:
    assert serialize_provider(AzureBlobConnectionProvider()) == STATE_V0_1_0
