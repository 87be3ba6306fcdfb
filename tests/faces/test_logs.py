"""The provider's logging flags as the engine passes them with --logflow (pulumi_aep.logs)."""

from __future__ import annotations

import logging

import pytest

from pulumi_aep.logs import DEBUG_VERBOSITY, Verbosity


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["127.0.0.1:1"], Verbosity(False, 0)),
        (["--logtostderr", "-v=9", "127.0.0.1:1"], Verbosity(True, 9)),
        (["-logtostderr", "--v=3", "127.0.0.1:1"], Verbosity(True, 3)),
        (["--logtostderr=false", "-v", "8", "127.0.0.1:1"], Verbosity(False, 8)),
        (["--tracing", "file:/tmp/t", "-v=x", "127.0.0.1:1"], Verbosity(False, 0)),
    ],
)
def test_flags_are_read_in_the_engines_spellings(argv: list[str], expected: Verbosity) -> None:
    assert Verbosity.parse(argv) == expected


def test_calls_and_requests_are_logged_from_the_engines_grpc_level() -> None:
    assert Verbosity(True, DEBUG_VERBOSITY).python_level == logging.DEBUG
    assert Verbosity(True, DEBUG_VERBOSITY - 1).python_level == logging.INFO
