"""The one retry policy: which failures earn another try, and how long every wait is.

Every wait the provider takes is computed here (like stripe-python's ``_should_retry`` and
``_sleep_time_seconds``): a resend of an idempotent call, a resend of a throttled create, and the
pauses between the lists that reconcile a create whose outcome is unknown. The clock, the sleep and
the jitter source are injectable, so tests neither sleep nor depend on chance.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from pulumi_aep.config import RetrySettings

log = logging.getLogger(__name__)

#: Statuses worth another try: throttling and the gateway's transient failures (500 is not: it is
#: usually a bug or a bad input, and a create answered 500 is reconciled, not repeated).
RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
#: Methods whose repetition cannot create a second resource. POST and PATCH are never resent on a
#: status other than 429 (a 429 is known not to have been processed).
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
THROTTLED: Final = 429


@dataclass(frozen=True)
class RetryPolicy:
    """Decides retries and computes waits from one ``RetrySettings`` budget.

    Attributes:
        settings: the budget (``total`` retries after the first attempt) and the backoff numbers.
        sleep: how to wait (``time.sleep``; tests pass a recorder).
        jitter_source: a uniform draw in [0, 1) (``random.random``; tests pass a constant).
    """

    settings: RetrySettings = field(default_factory=RetrySettings)
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    jitter_source: Callable[[], float] = field(default=random.random, compare=False)

    @property
    def attempts(self) -> int:
        """How many times one request may be sent in all (the first try plus ``total`` retries)."""
        return self.settings.total + 1

    def should_retry(
        self, method: str, attempt: int, *, status: int | None = None, request_sent: bool | None = True
    ) -> bool:
        """Whether attempt number ``attempt`` (0-based) of ``method`` may be followed by another.

        Args:
            method: the HTTP method.
            attempt: how many attempts failed before this decision, minus one.
            status: the HTTP status answered, or None when no answer came.
            request_sent: without an answer: False when the request certainly never left.
        """
        if attempt + 1 >= self.attempts:
            return False
        if status is None:  # no answer: resend only what cannot have been applied, or is idempotent
            return request_sent is False or method in IDEMPOTENT_METHODS
        if status == THROTTLED:  # throttled requests were never processed, whatever the method
            return True
        return status in RETRY_STATUSES and method in IDEMPOTENT_METHODS

    def wait_seconds(self, attempt: int, retry_after: float | None = None) -> float:
        """The wait before attempt ``attempt + 1``: ``Retry-After`` when given, else backoff with jitter.

        Backoff is ``backoff_factor * 2**attempt`` plus up to ``jitter`` seconds, capped at
        ``backoff_max``; ``Retry-After`` is honoured up to ``retry_after_max``.
        """
        s = self.settings
        if retry_after is not None:
            return float(min(max(retry_after, 0.0), s.retry_after_max))
        backoff = s.backoff_factor * (2**attempt) + s.jitter * self.jitter_source()
        return float(min(backoff, s.backoff_max))

    def pause(self, attempt: int, what: str, cause: str, retry_after: float | None = None) -> None:
        """Log the retry and wait (never logs headers or bodies)."""
        wait = self.wait_seconds(attempt, retry_after)
        log.warning(
            "%s: %s; retrying in %.1f s (attempt %d of %d)", what, cause, wait, attempt + 2, self.attempts
        )
        self.sleep(wait)


def policy_for(settings: RetrySettings) -> RetryPolicy:
    """The production policy for ``settings`` (real sleep, random jitter)."""
    return RetryPolicy(settings)
