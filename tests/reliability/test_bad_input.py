"""Bad-input corpus, in process: every case fails ``check`` with its exact property and message."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_aep.provider import AzureBlobConnectionProvider
from tests.reliability.conftest import Figures
from tests.reliability.corpus import CASES, Case


def engine_inputs(case: Case) -> dict[str, Any]:
    """What the engine hands ``check`` for the case: the name defaulted, no None values."""
    news = {"name": case.id, **case.values}
    return {k: v for k, v in news.items() if v is not None}


@pytest.fixture(scope="module")
def provider() -> AzureBlobConnectionProvider:
    # check() never calls the API; an unconfigured provider uses the environment (emptied by conftest).
    return AzureBlobConnectionProvider()


def test_corpus_size() -> None:
    assert len(CASES) >= 100
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_fails_check_precisely(
    provider: AzureBlobConnectionProvider, case: Case, figures: Figures
) -> None:
    failures = provider.check({}, engine_inputs(case)).failures or []
    assert [f.property for f in failures] == [case.property], failures
    assert case.message in failures[0].reason, failures[0].reason
    if case.secret:
        assert case.secret not in failures[0].reason
    figures.record("bad_input_check", cases=1, caught=1)
