"""``pulumi.runtime.test`` with a signature mypy can check (the SDK leaves the decorator unannotated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, cast

import pulumi

P = ParamSpec("P")


def pulumi_test(fn: Callable[P, Any]) -> Callable[P, Any]:
    """Run ``fn`` under the mocks and wait for the ``Output`` it returns, as ``pulumi.runtime.test`` does."""
    return cast("Callable[P, Any]", pulumi.runtime.test(fn))  # type: ignore[no-untyped-call]
