"""Auto-naming on the dynamic face: check names a connection declared without one, once."""

from __future__ import annotations

import re

from pulumi_aep import naming
from pulumi_aep.provider import AzureBlobConnectionProvider

from .helpers import props


def _checked(
    provider: AzureBlobConnectionProvider, olds: dict[str, object], **news: object
) -> dict[str, object]:
    result = provider.check(olds, props(**{"name": None, naming.AUTONAME_KEY: "landing", **news}))
    assert result.failures == []
    return dict(result.inputs)


def test_a_connection_declared_without_a_name_gets_the_resource_name_and_a_suffix(
    provider: AzureBlobConnectionProvider,
) -> None:
    inputs = _checked(provider, {})
    assert re.fullmatch(r"landing-[0-9a-f]{7}", str(inputs["name"])), inputs["name"]
    assert naming.AUTONAME_KEY not in inputs  # never stored in state


def test_two_new_connections_of_the_same_resource_name_get_different_names(
    provider: AzureBlobConnectionProvider,
) -> None:
    assert _checked(provider, {})["name"] != _checked(provider, {})["name"]


def test_the_name_in_state_is_kept_so_older_stacks_are_never_renamed(
    provider: AzureBlobConnectionProvider,
) -> None:
    """A stack written before auto-naming holds the bare resource name: it stays."""
    assert _checked(provider, {"name": "landing"})["name"] == "landing"
    assert _checked(provider, {"name": "landing-1a2b3c4"})["name"] == "landing-1a2b3c4"


def test_an_explicit_name_wins(provider: AzureBlobConnectionProvider) -> None:
    assert _checked(provider, {"name": "landing"}, name="orders")["name"] == "orders"
