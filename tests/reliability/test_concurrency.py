"""The shared token cache and session under 8 threads: one token per lifetime, no error, no 401."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from aep_emulator import defaults
from aep_emulator.server import EmulatorServer
from tests.provider.helpers import props
from tests.reliability.conftest import Figures
from tests.reliability.helpers import make_provider

pytestmark = [pytest.mark.emulator]

THREADS = 8
#: Tokens live 4 s; the provider renews at half the lifetime (its margin is min(300 s, lifetime / 2)).
LIFETIME_S = 4
RENEW_EVERY_S = LIFETIME_S / 2
HAMMER_S = 7.0


@pytest.fixture
def short_tokens() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, token_lifetime_s=LIFETIME_S) as server:
        yield server


def _hammer(
    provider: Any, created: list[Any], deadline: float, errors: list[BaseException], calls: list[int]
) -> None:
    n = 0
    try:
        while time.monotonic() < deadline:
            for result in created:
                assert provider.read(result.id, result.outs).id == result.id
                n += 1
    except BaseException as exc:  # noqa: BLE001 - collected and asserted on the main thread
        errors.append(exc)
    calls.append(n)


def _token_requests(server: EmulatorServer) -> list[dict[str, Any]]:
    return [r for r in server.control.requests() if r["path"] == defaults.IMS_TOKEN_PATH]


def test_eight_threads_one_token_per_lifetime(short_tokens: EmulatorServer, figures: Figures) -> None:
    provider = make_provider(short_tokens.base_url)
    created: list[Any] = []
    lock = threading.Lock()

    def create(i: int) -> None:
        result = provider.create(props(name=f"hammer-{i}"))
        with lock:
            created.append(result)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(created) == THREADS
    assert len(_token_requests(short_tokens)) == 1  # 8 concurrent creates, one token

    errors: list[BaseException] = []
    calls: list[int] = []
    started = time.monotonic()
    deadline = started + HAMMER_S
    threads = [
        threading.Thread(target=_hammer, args=(provider, created, deadline, errors, calls))
        for _ in range(THREADS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started

    assert errors == []
    served = short_tokens.control.requests()
    fetches = [r["time"] for r in served if r["path"] == defaults.IMS_TOKEN_PATH]
    gaps = [b - a for a, b in itertools.pairwise(fetches)]
    # One fetch per renewal window, never two for the same expiry (a little slack for scheduling).
    assert all(gap >= RENEW_EVERY_S * 0.9 for gap in gaps), gaps
    assert len(fetches) <= 2 + int(elapsed / RENEW_EVERY_S), (len(fetches), elapsed)
    assert [r for r in served if r["status"] == 401] == [], "a token was used after it expired"
    assert [r for r in served if r["status"] >= 400] == []
    figures.record(
        "concurrency",
        threads=THREADS,
        calls=sum(calls) + THREADS,
        seconds=round(elapsed, 1),
        token_lifetime_s=LIFETIME_S,
        token_fetches=len(fetches),
        min_gap_s=round(min(gaps), 2) if gaps else None,
        errors=len(errors),
        unauthorized=0,
    )


def test_eight_threads_share_one_token_when_it_does_not_expire(fresh_emulator: Any, figures: Figures) -> None:
    fresh_emulator.control.reset(tokens=True)
    provider = make_provider(fresh_emulator.base_url)
    created = provider.create(props(name="shared"))
    errors: list[BaseException] = []
    calls: list[int] = []
    deadline = time.monotonic() + 2.0
    threads = [
        threading.Thread(target=_hammer, args=(provider, [created], deadline, errors, calls))
        for _ in range(THREADS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(_token_requests(fresh_emulator)) == 1
    figures.record("concurrency", calls_one_token=sum(calls), token_fetches_one_lifetime=1)
