"""Smoke: create, read, delete against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.provider import AzureBlobConnectionProvider

from .helpers import props

pytestmark = pytest.mark.emulator


def test_create_read_delete(provider: AzureBlobConnectionProvider, emulator: Any) -> None:
    inputs = provider.check({}, props()).inputs
    created = provider.create(inputs)
    print(created.outs)
    read = provider.read(created.id, created.outs or {})
    print(read.outs)
    provider.delete(created.id, read.outs or {})
    print(emulator.control.requests())
